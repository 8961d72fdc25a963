import type { IConstruct } from 'constructs';
import { logicalIdOf, resolverOf } from '../resolved';
import { type RuleInfo, TapRule } from '../rule';
import { asList, render, resourceOfType } from '../template';

/** The ECS service principal that assumes task roles. */
export const ECS_TASKS_PRINCIPAL = 'ecs-tasks.amazonaws.com';

/**
 * TAP-IAM-6: the contract task role's trust policy is exactly one statement: Allow `sts:AssumeRole` to
 * `ecs-tasks.amazonaws.com`, with `aws:SourceAccount` equal to the stack's account (StringEquals) and
 * `aws:SourceArn` an ECS ARN of the stack's account and region (ArnLike) — the confused-deputy conditions AWS
 * recommends for ECS task roles. Any other principal or statement is a finding.
 */
export class TaskRoleTrustRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-IAM-6',
    area: 'IAM',
    title: 'The task role trusts only ecs-tasks.amazonaws.com, with aws:SourceAccount and aws:SourceArn',
    rationale:
      'Anyone else who can assume the role holds the service permissions; without the conditions ECS could be used as a confused deputy by another account.',
    fix: 'Keep the assumedBy of OrderBrokerTaskRole (lib/constructs/task-role.ts): ServicePrincipal ecs-tasks.amazonaws.com with StringEquals aws:SourceAccount and ArnLike aws:SourceArn arn:<partition>:ecs:<region>:<account>:*; add no other statement.',
    level: 'error',
  };

  constructor(private readonly taskRoles: readonly IConstruct[]) {
    super();
  }

  public visit(node: IConstruct): void {
    const resource = resourceOfType(node, 'AWS::IAM::Role');
    if (!resource) return;
    const rendered = render(resource);
    if (!this.taskRoles.map(logicalIdOf).includes(rendered.logicalId)) return;
    const resolver = resolverOf(node);
    const { account, region, partition } = resolver.pseudo;
    const trust = resolver.resolve(rendered.properties.AssumeRolePolicyDocument) as
      { Statement?: unknown } | undefined;
    const statements = asList(trust?.Statement) as Array<Record<string, unknown>>;
    const problems: string[] = [];
    if (statements.length !== 1) problems.push(`has ${statements.length} trust statements instead of 1`);
    for (const s of statements) {
      const principal = s.Principal as Record<string, unknown> | string | undefined;
      const keys = typeof principal === 'object' && principal ? Object.keys(principal) : [];
      if (
        s.Effect !== 'Allow' ||
        JSON.stringify(asList(s.Action as string[])) !== JSON.stringify(['sts:AssumeRole']) ||
        s.NotPrincipal !== undefined ||
        keys.length !== 1 ||
        JSON.stringify(asList((principal as Record<string, unknown>)?.Service as string[])) !==
          JSON.stringify([ECS_TASKS_PRINCIPAL])
      ) {
        problems.push(
          `trusts ${JSON.stringify(principal ?? s.NotPrincipal)} for ${JSON.stringify(s.Action)} (only Allow sts:AssumeRole to ${ECS_TASKS_PRINCIPAL})`,
        );
        continue;
      }
      const condition = (s.Condition ?? {}) as Record<string, Record<string, unknown>>;
      if (condition.StringEquals?.['aws:SourceAccount'] !== account)
        problems.push(`lacks StringEquals aws:SourceAccount = ${account}`);
      const sourceArn = condition.ArnLike?.['aws:SourceArn'];
      if (
        typeof sourceArn !== 'string' ||
        !sourceArn.startsWith(`arn:${partition}:ecs:${region}:${account}:`)
      )
        problems.push(`lacks ArnLike aws:SourceArn = arn:${partition}:ecs:${region}:${account}:*`);
    }
    if (problems.length > 0) this.report(node, `trust policy ${problems.join('; ')}`);
  }
}
