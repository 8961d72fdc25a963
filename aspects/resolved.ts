import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { STAND_IN_ACCOUNT, TemplateResolver } from '../lib/compliance/intrinsics';
import { render } from './template';

const CACHE = new WeakMap<Stack, TemplateResolver>();

/**
 * Resolves intrinsics of rendered values of the stack of `node` (Ref, GetAtt, Join, Sub, Select, Split) with
 * its pseudo parameters, so a rule compares what AWS will see: a role named by Ref, by a literal name or by
 * a name cut out of its ARN is the same role. Built once per stack, when the first READONLY rule asks (the
 * tree no longer changes then).
 */
export function resolverOf(node: IConstruct): TemplateResolver {
  const stack = Stack.of(node);
  let resolver = CACHE.get(stack);
  if (!resolver) {
    const resources: Record<string, { Type: string; Properties?: unknown }> = {};
    for (const c of stack.node.findAll()) {
      if (!CfnResource.isCfnResource(c) || Stack.of(c) !== stack) continue;
      const r = render(c);
      resources[r.logicalId] = { Type: r.type, Properties: r.properties };
    }
    resolver = new TemplateResolver(resources, {
      account: Token.isUnresolved(stack.account) ? STAND_IN_ACCOUNT : stack.account,
      region: Token.isUnresolved(stack.region) ? 'us-east-2' : stack.region,
      partition: 'aws',
      stackName: stack.stackName,
    });
    CACHE.set(stack, resolver);
  }
  return resolver;
}

/** The logical ID of the CloudFormation resource of a construct (an L2 or the CfnResource itself). */
export function logicalIdOf(construct: IConstruct): string | undefined {
  const cfn = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  return CfnResource.isCfnResource(cfn) ? render(cfn).logicalId : undefined;
}
