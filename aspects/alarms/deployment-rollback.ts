import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { asList, referencedLogicalIds, render, resourceOfType, stackResources } from '../template';
import { alarmMetrics } from './alarm-metrics';

/** Rollback events every deployment group must enable. */
export const REQUIRED_ROLLBACK_EVENTS = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] as const;

/**
 * Triggers the alarms of a deployment group must cover, beyond target 5xx and unhealthy hosts: what the ALB
 * itself returns, a 5xx RATE (metric math over RequestCount: a count misses a 10% canary on light traffic) and
 * a latency regression.
 */
export const REQUIRED_ROLLBACK_TRIGGERS: ReadonlyArray<{
  readonly name: string;
  readonly matches: (metrics: ReturnType<typeof alarmMetrics>) => boolean;
}> = [
  {
    name: 'ALB-generated 5xx (HTTPCode_ELB_5XX_Count)',
    matches: (m) => m.some((x) => x.metricName === 'HTTPCode_ELB_5XX_Count'),
  },
  {
    name: '5xx rate (metric math over RequestCount and HTTPCode_Target_5XX_Count)',
    matches: (m) =>
      m.some((x) => x.metricName === 'RequestCount') &&
      m.some((x) => x.metricName === 'HTTPCode_Target_5XX_Count'),
  },
  {
    name: 'latency (TargetResponseTime)',
    matches: (m) => m.some((x) => x.metricName === 'TargetResponseTime'),
  },
];

/** TAP-ALM-3: every CodeDeploy deployment group watches alarms and rolls back on failure and on alarm. */
export class DeploymentRollbackRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-ALM-3',
    area: 'ALM',
    title: 'Each CodeDeploy deployment group watches alarms and rolls back on failure and on alarm',
    rationale: 'A bad version deployed during market hours must roll back within 5 minutes without a human.',
    fix: 'Give the deployment group its target-group alarms (target 5xx, unhealthy hosts, 5xx rate, p99 latency) and the ALB 5xx alarm (alarms: [...]) and autoRollback { failedDeployment: true, deploymentInAlarm: true }.',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const group = resourceOfType(node, 'AWS::CodeDeploy::DeploymentGroup');
    if (!group) return;
    const p = render(group).properties;
    const alarms = p.AlarmConfiguration as { Enabled?: boolean; Alarms?: unknown[] } | undefined;
    if (alarms?.Enabled !== true || asList(alarms.Alarms).length === 0) {
      this.report(node, 'watches no alarms (AlarmConfiguration is missing, disabled or empty)');
    } else {
      const watched = asList(alarms.Alarms).flatMap((a) => referencedLogicalIds(a));
      const metrics = stackResources(node, 'AWS::CloudWatch::Alarm')
        .filter((a) => watched.includes(a.logicalId))
        .map((a) => alarmMetrics(a.properties));
      const missing = REQUIRED_ROLLBACK_TRIGGERS.filter((t) => !metrics.some((m) => t.matches(m)));
      if (missing.length > 0) {
        this.report(node, `has no rollback alarm on ${missing.map((t) => t.name).join(', ')}`);
      }
    }
    const rollback = p.AutoRollbackConfiguration as { Enabled?: boolean; Events?: string[] } | undefined;
    const events = rollback?.Enabled === true ? asList(rollback.Events) : [];
    const missing = REQUIRED_ROLLBACK_EVENTS.filter((e) => !events.includes(e));
    if (missing.length > 0) this.report(node, `does not roll back automatically on ${missing.join(', ')}`);
  }
}
