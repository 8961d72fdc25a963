import type { IConstruct } from 'constructs';
import { logicalIdOf } from '../resolved';
import { type RuleInfo, TapRule } from '../rule';
import { render, resourceOfType } from '../template';

/**
 * TAP-IAM-5: every ECS task definition runs with the contract task role, named as `Fn::GetAtt` of that role in
 * this template. A literal ARN (a role outside the template), another role of the template, or no task role at
 * all is a finding: the permissions the other IAM rules prove would not be the ones the tasks hold.
 */
export class TaskDefinitionTaskRoleRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-IAM-5',
    area: 'IAM',
    title: "Every task definition's TaskRoleArn is the contract task role of this template",
    rationale:
      'A task role outside the template escapes every least-privilege check (the role the gate proves must be the one the tasks hold).',
    fix: 'Pass OrderBrokerTaskRole (lib/constructs/task-role.ts) as taskRole; never override TaskRoleArn.',
    level: 'error',
  };

  /** @param taskRoles the contract role constructs (`iam.Role`) */
  constructor(private readonly taskRoles: readonly IConstruct[]) {
    super();
  }

  public visit(node: IConstruct): void {
    const resource = resourceOfType(node, 'AWS::ECS::TaskDefinition');
    if (!resource || this.taskRoles.length === 0) return;
    const allowed = this.taskRoles.map(logicalIdOf).filter((id): id is string => !!id);
    const taskRoleArn: unknown = render(resource).properties.TaskRoleArn;
    const getAtt = (taskRoleArn as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
    const ok =
      Array.isArray(getAtt) &&
      getAtt.length === 2 &&
      getAtt[1] === 'Arn' &&
      allowed.includes(String(getAtt[0]));
    if (ok) return;
    this.report(
      node,
      taskRoleArn === undefined
        ? 'has no TaskRoleArn'
        : `runs with task role ${JSON.stringify(taskRoleArn)}, not the contract role ${allowed.join(', ')}`,
    );
  }
}
