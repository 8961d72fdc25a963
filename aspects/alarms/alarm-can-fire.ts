import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { render, resourceOfType } from '../template';

/** CloudWatch: EvaluationPeriods x Period may not exceed one day. */
export const MAX_EVALUATION_SECONDS = 86400;

/** Comparisons against a static Threshold. */
export const STATIC_COMPARISONS = [
  'GreaterThanThreshold',
  'GreaterThanOrEqualToThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;

/** A metric whose value is a percentage from 0 to 100 (CPU, memory, the service's own utilization KPIs). */
export function isUtilizationMetric(metricName: unknown): boolean {
  return typeof metricName === 'string' && /Utilization$/.test(metricName);
}

/**
 * Why an alarm's threshold can never be crossed (or is always crossed), or undefined when it can fire.
 * Every metric of this platform is non-negative; utilization metrics lie in [0, 100].
 */
export function thresholdProblem(p: Record<string, unknown>): string | undefined {
  const threshold = p.Threshold;
  const operator = p.ComparisonOperator;
  if (p.ThresholdMetricId !== undefined) return undefined;
  if (typeof threshold !== 'number')
    return `has threshold ${JSON.stringify(threshold)}, not a literal number`;
  if (!STATIC_COMPARISONS.includes(operator as (typeof STATIC_COMPARISONS)[number])) {
    return `compares with ${JSON.stringify(operator)}, which needs a ThresholdMetricId (an anomaly band) to fire`;
  }
  const utilization = isUtilizationMetric(p.MetricName);
  if (utilization && (threshold <= 0 || threshold >= 100)) {
    return `has a utilization threshold of ${threshold}: a percentage alarm must have 0 < threshold < 100`;
  }
  if (operator === 'LessThanThreshold' && threshold <= 0)
    return `fires below ${threshold}, and the metric is never negative`;
  if (operator === 'LessThanOrEqualToThreshold' && threshold < 0)
    return `fires at or below ${threshold}, and the metric is never negative`;
  if (operator === 'GreaterThanOrEqualToThreshold' && threshold <= 0)
    return `fires at or above ${threshold}: always in alarm`;
  return undefined;
}

/**
 * TAP-ALM-5: every metric alarm can fire: a literal threshold a static comparison can cross (utilization in
 * (0, 100)), DatapointsToAlarm <= EvaluationPeriods, and EvaluationPeriods x Period within CloudWatch's day.
 */
export class AlarmCanFireRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-ALM-5',
    area: 'ALM',
    title: 'Every alarm can fire: reachable threshold, datapoints <= periods, periods x period <= 1 day',
    rationale:
      'An alarm that can never fire pages nobody and never rolls a deployment back, yet looks like coverage in every report.',
    fix: 'Use a threshold the metric can cross (utilization 0 < t < 100), DatapointsToAlarm <= EvaluationPeriods and EvaluationPeriods x Period <= 86400 s (lib/constructs/observability.ts KPI_THRESHOLDS).',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const alarm = resourceOfType(node, 'AWS::CloudWatch::Alarm');
    if (!alarm) return;
    const p = render(alarm).properties;
    const problem = thresholdProblem(p);
    if (problem) this.report(node, problem);
    const periods: unknown = p.EvaluationPeriods;
    const datapoints: unknown = p.DatapointsToAlarm ?? periods;
    if (typeof periods !== 'number' || periods < 1) {
      this.report(node, `has EvaluationPeriods ${JSON.stringify(periods)}`);
      return;
    }
    if (typeof datapoints !== 'number' || datapoints > periods) {
      this.report(
        node,
        `needs ${JSON.stringify(datapoints)} breaching datapoints out of ${periods}: it can never fire`,
      );
    }
    // Metric-math alarms carry their period on each metric; a single-metric alarm on the alarm.
    const period: unknown = p.Period;
    if (typeof period === 'number' && periods * period > MAX_EVALUATION_SECONDS) {
      this.report(
        node,
        `evaluates ${periods} x ${period} s = ${periods * period} s, beyond CloudWatch's ${MAX_EVALUATION_SECONDS} s`,
      );
    }
  }
}
