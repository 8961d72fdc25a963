import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { asList, referencedLogicalIds, render, resourceOfType, stackResources } from '../template';
import { alarmMetrics } from './alarm-metrics';

/** Rollback events every deployment group must enable. */
export const REQUIRED_ROLLBACK_EVENTS = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] as const;

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
    fix: 'Give the deployment group its target-group alarms (alarms: [...]) and autoRollback { failedDeployment: true, deploymentInAlarm: true }.',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const group = resourceOfType(node, 'AWS::CodeDeploy::DeploymentGroup');
    if (!group) return;
    const p = render(group).properties;
    const alarms = p.AlarmConfiguration as { Enabled?: boolean; Alarms?: unknown[] } | undefined;
    if (alarms?.Enabled !== true || asList(alarms.Alarms).length === 0) {
      this.report(node, 'watches no alarms (AlarmConfiguration is missing, disabled or empty)');
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
