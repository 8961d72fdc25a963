import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { render, resourceOfType } from '../template';

/** A new task must be serving within this many seconds of registering (the mission's "under 30 s"). */
export const MAX_SECONDS_TO_HEALTHY = 30;

/** Elastic Load Balancing defaults for an HTTP/HTTPS target group of type ip or instance. */
export const TARGET_GROUP_DEFAULTS = { intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 5 } as const;

/**
 * The worst-case seconds from registration until ELB marks a target healthy:
 * `HealthCheckIntervalSeconds x HealthyThresholdCount + HealthCheckTimeoutSeconds`.
 *
 * The first check comes at most one interval after registration, the next `threshold - 1` checks one interval
 * apart, and the last one may take up to the timeout to answer: `interval + (threshold - 1) x interval + timeout`.
 * Absent values are ELB's defaults (30 s, 5, 5 s: 155 s). Undefined when a value is not a number.
 */
export function secondsToHealthy(p: Record<string, unknown>): number | undefined {
  const interval = p.HealthCheckIntervalSeconds ?? TARGET_GROUP_DEFAULTS.intervalSeconds;
  const threshold = p.HealthyThresholdCount ?? TARGET_GROUP_DEFAULTS.healthyThreshold;
  const timeout = p.HealthCheckTimeoutSeconds ?? TARGET_GROUP_DEFAULTS.timeoutSeconds;
  if (typeof interval !== 'number' || typeof threshold !== 'number' || typeof timeout !== 'number')
    return undefined;
  return interval * threshold + timeout;
}

/** TAP-DEP-1: a target group makes a new task healthy within 30 s, worst case. */
export class HealthCheckTimeRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-DEP-1',
    area: 'DEP',
    title: `Target groups make a new task healthy within ${MAX_SECONDS_TO_HEALTHY} s (interval x healthy threshold + timeout)`,
    rationale:
      'New capacity must serve in under 30 s; the ELB defaults (30 s x 5 + 5 s) take 155 s, longer than the open spike ramps.',
    fix: 'Set interval, healthyThresholdCount and timeout so that interval x threshold + timeout <= 30 (HEALTH_CHECK in lib/constructs/load-balancing.ts: 5 s x 2 + 3 s).',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const targetGroup = resourceOfType(node, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    if (!targetGroup) return;
    const p = render(targetGroup).properties;
    if (p.TargetType === 'lambda') return;
    if (p.HealthCheckEnabled === false) {
      this.report(node, 'has health checks disabled');
      return;
    }
    const seconds = secondsToHealthy(p);
    if (seconds === undefined) {
      this.report(node, 'has a health-check interval, threshold or timeout that is not a literal number');
    } else if (seconds > MAX_SECONDS_TO_HEALTHY) {
      this.report(
        node,
        `takes up to ${seconds} s to mark a new task healthy (interval ${String(p.HealthCheckIntervalSeconds ?? '30 (default)')} s x threshold ${String(p.HealthyThresholdCount ?? '5 (default)')} + timeout ${String(p.HealthCheckTimeoutSeconds ?? '5 (default)')} s), above ${MAX_SECONDS_TO_HEALTHY} s`,
      );
    }
  }
}
