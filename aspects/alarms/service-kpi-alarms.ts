import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { referencedLogicalIds, render, resourceOfType, stackResources } from '../template';
import { type AlarmMetric, alarmMetrics } from './alarm-metrics';

/** Metric names of the service's own KPIs (Embedded Metric Format) that must each have an alarm. */
export interface ServiceKpiAlarmsProps {
  /** e.g. `JvmHeapUtilization`. */
  readonly jvmHeapMetric: string;
  /** e.g. `DbConnectionPoolUtilization`. */
  readonly dbPoolMetric: string;
}

/**
 * TAP-ALM-1: every ECS service has alarms on JVM heap, DB connection-pool utilization, target 5xx and
 * unhealthy targets. The 5xx and unhealthy-host alarms must watch the service's own target group (or, for 5xx,
 * its load balancer).
 */
export class ServiceKpiAlarmsRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-ALM-1',
    area: 'ALM',
    title: 'Each ECS service has JVM heap, DB pool, 5xx and unhealthy-host alarms',
    rationale:
      'The SRE team must be paged before the order path degrades (JVM heap, DB pool) or fails (5xx, unhealthy tasks).',
    fix: 'Add the missing alarm in lib/constructs/observability.ts (or blue-green.ts for target-group alarms), on the metric of this service.',
    level: 'error',
  };

  constructor(private readonly props: ServiceKpiAlarmsProps) {
    super();
  }

  public visit(node: IConstruct): void {
    const service = resourceOfType(node, 'AWS::ECS::Service');
    if (!service) return;
    const targetGroups = referencedLogicalIds(render(service).properties.LoadBalancers);
    const loadBalancers = stackResources(node, 'AWS::ElasticLoadBalancingV2::Listener')
      .filter((l) =>
        referencedLogicalIds(l.properties.DefaultActions).some((id) => targetGroups.includes(id)),
      )
      .flatMap((l) => referencedLogicalIds(l.properties.LoadBalancerArn));
    const metrics = stackResources(node, 'AWS::CloudWatch::Alarm').flatMap((a) => alarmMetrics(a.properties));
    const watches = (m: AlarmMetric, dimension: string, logicalIds: string[]) =>
      (m.dimensions[dimension] ?? []).some((id) => logicalIds.includes(id));

    const missing: string[] = [];
    if (!metrics.some((m) => m.metricName === this.props.jvmHeapMetric))
      missing.push(`JVM heap (${this.props.jvmHeapMetric})`);
    if (!metrics.some((m) => m.metricName === this.props.dbPoolMetric))
      missing.push(`DB pool (${this.props.dbPoolMetric})`);
    if (
      !metrics.some(
        (m) =>
          m.metricName === 'HTTPCode_Target_5XX_Count' &&
          (watches(m, 'TargetGroup', targetGroups) || watches(m, 'LoadBalancer', loadBalancers)),
      )
    ) {
      missing.push('target 5xx (HTTPCode_Target_5XX_Count on its target group or load balancer)');
    }
    if (
      !metrics.some((m) => m.metricName === 'UnHealthyHostCount' && watches(m, 'TargetGroup', targetGroups))
    ) {
      missing.push('unhealthy targets (UnHealthyHostCount on its target group)');
    }
    if (missing.length > 0) this.report(node, `has no alarm on ${missing.join(', ')}`);
  }
}
