import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { render, resourceOfType } from '../template';

/** TAP-NET-3: ECS services and task sets never give their tasks a public IP. */
export class NoPublicTaskIpRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-NET-3',
    area: 'NET',
    title: 'ECS services and task sets do not assign public IPs to tasks',
    rationale:
      'A task with a public IP is one security-group rule away from the internet; the order path is private (CT.ECS.PR.6).',
    fix: 'Run the tasks in the app subnets with assignPublicIp: false (AssignPublicIp DISABLED).',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const resource = resourceOfType(node, 'AWS::ECS::Service', 'AWS::ECS::TaskSet');
    if (!resource) return;
    const awsvpc = (
      render(resource).properties.NetworkConfiguration as
        { AwsvpcConfiguration?: { AssignPublicIp?: unknown } } | undefined
    )?.AwsvpcConfiguration;
    const assign = awsvpc?.AssignPublicIp;
    if (assign !== undefined && assign !== 'DISABLED') {
      this.report(node, `assigns public IPs to its tasks (AssignPublicIp ${JSON.stringify(assign)})`);
    }
  }
}
