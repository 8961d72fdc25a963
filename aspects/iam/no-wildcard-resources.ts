import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { actionsOf, identityPermissions, resourcesOf } from './policies';

/**
 * Actions that cannot be scoped to a resource, so `Resource: *` is the only valid form. Each is listed
 * because a platform component needs it; add one only with the same justification.
 */
export const RESOURCE_STAR_ACTIONS: Readonly<Record<string, string>> = {
  'ecr:GetAuthorizationToken': 'ECS execution role: the registry login token is account-wide.',
  'cloudwatch:PutMetricData': 'Metric publishers: scoped by the cloudwatch:namespace condition, not by ARN.',
  'xray:PutTraceSegments': 'Tracing: X-Ray has no resource-level permissions.',
  'xray:PutTelemetryRecords': 'Tracing: X-Ray has no resource-level permissions.',
  'ec2:CreateNetworkInterface': 'Lambda in a VPC: the ENI does not exist yet when it is created.',
  'ec2:DescribeNetworkInterfaces': 'Lambda in a VPC: Describe calls have no resource-level permissions.',
  'ec2:DescribeSubnets': 'Lambda in a VPC: Describe calls have no resource-level permissions.',
  'ec2:DeleteNetworkInterface':
    'Lambda in a VPC: AWS recommends "*" (managed policy AWSLambdaVPCAccessExecutionRole).',
  'ec2:AssignPrivateIpAddresses': 'Lambda in a VPC (AWSLambdaVPCAccessExecutionRole).',
  'ec2:UnassignPrivateIpAddresses': 'Lambda in a VPC (AWSLambdaVPCAccessExecutionRole).',
};

/** TAP-IAM-2: `Resource: *` only for actions that accept nothing else. */
export class NoWildcardResourcesRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-IAM-2',
    area: 'IAM',
    title: 'IAM policies use `Resource: *` only for actions that accept nothing else',
    rationale:
      'A wildcard resource extends a grant to every resource of the account (least privilege, NIST AC-6).',
    fix: "Scope the statement to the resource's ARN (use the resource's attribute or grant method); if the action truly accepts only '*', add it to RESOURCE_STAR_ACTIONS in aspects/iam/no-wildcard-resources.ts with the reason.",
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const permissions = identityPermissions(node);
    if (!permissions) return;
    for (const statement of permissions.statements) {
      if (statement.Effect !== 'Allow') continue;
      if (statement.NotResource !== undefined) {
        this.report(node, 'an Allow statement uses NotResource, which allows every resource not listed');
      }
      if (!resourcesOf(statement).includes('*')) continue;
      const scopable = actionsOf(statement).filter((a) => !(a in RESOURCE_STAR_ACTIONS));
      if (scopable.length > 0) {
        this.report(node, `allows ${scopable.join(', ')} on Resource "*"`);
      }
    }
  }
}
