import type { IConstruct } from 'constructs';
import { MAX_DEPLOYMENT_GROUP_ALARMS } from '../../lib/constructs/blue-green';
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

/** Metrics each target group of a blue/green deployment group must have a rollback alarm on. */
export const ROLLBACK_ALARM_METRICS = ['HTTPCode_Target_5XX_Count', 'UnHealthyHostCount'] as const;

/**
 * TAP-ALM-3: every CodeDeploy deployment group watches alarms and rolls back on failure and on alarm; a
 * blue/green group watches a 5xx and an unhealthy-host alarm on EACH of its target groups (blue and green swap
 * on every deployment).
 */
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
      const count = asList(alarms.Alarms).length;
      if (count > MAX_DEPLOYMENT_GROUP_ALARMS) {
        this.report(
          node,
          `watches ${count} alarms; CodeDeploy accepts at most ${MAX_DEPLOYMENT_GROUP_ALARMS} per deployment group (the create or update fails with AlarmsLimitExceededException)`,
        );
      }
    }
    const watched = asList(alarms?.Alarms as Array<{ Name?: unknown }> | undefined).flatMap((a) =>
      typeof a.Name === 'string' ? [a.Name] : referencedLogicalIds(a.Name),
    );
    const alarmResources = stackResources(node, 'AWS::CloudWatch::Alarm').filter(
      (a) => watched.includes(a.logicalId) || watched.includes(String(a.properties.AlarmName)),
    );
    const pairs = asList(
      (p.BlueGreenDeploymentConfiguration === undefined ? undefined : p.LoadBalancerInfo) as
        { TargetGroupPairInfoList?: Array<{ TargetGroups?: Array<{ Name?: unknown }> }> } | undefined,
    ).flatMap((info) => asList(info.TargetGroupPairInfoList));
    const targetGroups = pairs.flatMap((pair) =>
      asList(pair.TargetGroups).flatMap((tg) => referencedLogicalIds(tg.Name)),
    );
    for (const targetGroup of targetGroups) {
      const missing = ROLLBACK_ALARM_METRICS.filter(
        (metric) =>
          !alarmResources.some((a) =>
            alarmMetrics(a.properties).some(
              (m) => m.metricName === metric && (m.dimensions.TargetGroup ?? []).includes(targetGroup),
            ),
          ),
      );
      if (missing.length > 0) {
        this.report(node, `watches no ${missing.join(' or ')} alarm on target group ${targetGroup}`);
      }
    }
    const rollback = p.AutoRollbackConfiguration as { Enabled?: boolean; Events?: string[] } | undefined;
    const events = rollback?.Enabled === true ? asList(rollback.Events) : [];
    const missing = REQUIRED_ROLLBACK_EVENTS.filter((e) => !events.includes(e));
    if (missing.length > 0) this.report(node, `does not roll back automatically on ${missing.join(', ')}`);
  }
}
