import type { TimedComponent } from './assumptions';
import type { PlanInputs, RollbackAlarmInput, TrafficRouting } from './inputs';

/** Time for new capacity to serve, by path. */
export interface ServeTime {
  /** Per target group of the deployment group: interval x healthy threshold. */
  readonly healthChecks: Array<{
    readonly targetGroup: string;
    readonly intervalSeconds: number;
    readonly healthyThreshold: number;
    readonly budgetSeconds: number;
    readonly defaulted: string[];
  }>;
  /** Slowest target group: seconds from a started container to "healthy" in the ALB. */
  readonly healthCheckSeconds: number;
  readonly warm: {
    /** Tasks always running (the scalable target's minimum). */
    readonly warmFloor: number;
    /** Spare task-equivalents the warm floor holds at the CPU target: warmFloor x (1 - target/100). */
    readonly headroomTaskEquivalents?: number;
    readonly cpuTargetPercent?: number;
    /** A running, healthy task takes a request at once. */
    readonly secondsToServe: number;
  };
  readonly cold: {
    readonly components: Array<{
      readonly id: string;
      readonly label: string;
      readonly seconds: number;
      readonly source: string;
    }>;
    readonly totalSeconds: number;
  };
  /**
   * An unforeseen burst: the step-scaling alarm (period x datapoints) plus a cold task.
   *
   * @default - no step scaling in the template
   */
  readonly burst?: { readonly alarmSeconds: number; readonly totalSeconds: number; readonly alarm: string };
}

/** Computes the time-to-serve budget from the template's health checks, warm floor and the documented start components. */
export function serveTime(inputs: PlanInputs, coldStart: readonly TimedComponent[]): ServeTime {
  const healthChecks = inputs.deployment.targetGroups.map((tg) => ({
    targetGroup: tg.source.logicalId,
    intervalSeconds: tg.intervalSeconds,
    healthyThreshold: tg.healthyThreshold,
    budgetSeconds: tg.intervalSeconds * tg.healthyThreshold,
    defaulted: tg.defaulted,
  }));
  const healthCheckSeconds = Math.max(...healthChecks.map((h) => h.budgetSeconds));
  const components = [
    ...coldStart.map(({ id, label, seconds, source }) => ({ id, label, seconds, source })),
    {
      id: 'healthCheck',
      label: 'Target-group health check passes (interval x healthy threshold, from the template)',
      seconds: healthCheckSeconds,
      source: 'template: AWS::ElasticLoadBalancingV2::TargetGroup',
    },
  ];
  const totalSeconds = components.reduce((s, c) => s + c.seconds, 0);
  const target = inputs.cpuTargetPercent;
  const warmFloor = inputs.service.warmFloor;
  return {
    healthChecks,
    healthCheckSeconds,
    warm: {
      warmFloor,
      cpuTargetPercent: target,
      headroomTaskEquivalents: target === undefined ? undefined : round(warmFloor * (1 - target / 100), 2),
      secondsToServe: 0,
    },
    cold: { components, totalSeconds },
    burst: inputs.burstAlarm
      ? {
          alarm: inputs.burstAlarm.source.logicalId,
          alarmSeconds: inputs.burstAlarm.periodSeconds * inputs.burstAlarm.datapoints,
          totalSeconds: inputs.burstAlarm.periodSeconds * inputs.burstAlarm.datapoints + totalSeconds,
        }
      : undefined,
  };
}

/** Detection and rollback time of one rollback alarm. */
export interface AlarmBudget {
  readonly alarm: string;
  readonly metric: string;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /** Time for the failure to show in the metric (unhealthy threshold x interval for UnHealthyHostCount). */
  readonly signalSeconds: number;
  /**
   * (evaluationPeriods + 1) x period: an M-of-N alarm's breaching datapoints can be spread over all N
   * evaluation periods (an intermittent failure), plus a first period the failure only partly covers.
   */
  readonly datapointSeconds: number;
  readonly totalSeconds: number;
}

/** The rollback model's result. */
export interface RollbackBudget {
  readonly alarms: AlarmBudget[];
  readonly latencies: Array<{
    readonly id: string;
    readonly label: string;
    readonly seconds: number;
    readonly source: string;
  }>;
  /** Slowest alarm path: worst case from a bad green serving production to production back on blue. */
  readonly budgetSeconds: number;
  readonly worstAlarm?: string;
  readonly routing: TrafficRouting;
  readonly routingSource: string;
  /** Share of production traffic green can hold before the rollback lands (percent). */
  readonly maxExposurePercent: number;
  /** Seconds blue stays alive after the full shift (bake window). */
  readonly bakeWindowSeconds: number;
  readonly autoRollbackEvents: string[];
  readonly alarmsEnabled: boolean;
  /** Target groups of the deployment group with no rollback alarm. */
  readonly uncoveredTargetGroups: string[];
  readonly hook?: {
    readonly function: string;
    readonly timeoutSeconds: number;
    readonly timeoutDefaulted: boolean;
    /** Hook timeout + CodeDeploy reaction: when a failing validation has stopped the deployment. */
    readonly decisionSeconds: number;
  };
  /**
   * The two clocks of "rollback within 5 minutes". The requirement runs on the failure-onset clock (a bad
   * green starts failing while it serves production traffic -> production back on blue): that is
   * {@link budgetSeconds}. From CreateDeployment, a bad version that passes validation and fails as soon as it
   * takes traffic is rolled back after: green tasks started and healthy + the validation hook (bounded by its
   * timeout) + the alarm path.
   */
  readonly clocks: {
    readonly fromFailureOnsetSeconds: number;
    readonly fromDeploymentStartSeconds: number;
    /** The parts of the deployment-start clock, in order. */
    readonly deploymentStartParts: ReadonlyArray<{ readonly label: string; readonly seconds: number }>;
  };
}

function signalSeconds(alarm: RollbackAlarmInput, inputs: PlanInputs): number {
  if (!alarm.metric.endsWith('/UnHealthyHostCount')) return 0;
  const tg = inputs.deployment.targetGroups.find((t) => t.source.logicalId === alarm.targetGroupLogicalId);
  return tg ? tg.unhealthyThreshold * tg.intervalSeconds : 0;
}

function exposure(routing: TrafficRouting, budgetSeconds: number): number {
  if (routing.type === 'AllAtOnce') return 100;
  const steps = Math.floor(budgetSeconds / (routing.intervalMinutes * 60));
  if (routing.type === 'TimeBasedCanary') return steps === 0 ? routing.percentage : 100;
  return Math.min(100, routing.percentage * (steps + 1));
}

/**
 * Worst-case rollback: a bad green task set takes production traffic, the failure shows in the slowest
 * rollback alarm, CodeDeploy reacts and re-points the production listener at blue.
 */
export function rollbackBudget(
  inputs: PlanInputs,
  latency: readonly TimedComponent[],
  greenReadySeconds = 0,
): RollbackBudget {
  const latencies = latency.map(({ id, label, seconds, source }) => ({ id, label, seconds, source }));
  const fixed = latencies.reduce((s, l) => s + l.seconds, 0);
  const alarms = inputs.deployment.alarms.map((a): AlarmBudget => {
    const signal = signalSeconds(a, inputs);
    const datapointSeconds = (Math.max(a.evaluationPeriods, a.datapointsToAlarm) + 1) * a.periodSeconds;
    return {
      alarm: a.source.logicalId,
      metric: a.metric,
      periodSeconds: a.periodSeconds,
      evaluationPeriods: a.evaluationPeriods,
      datapointsToAlarm: a.datapointsToAlarm,
      signalSeconds: signal,
      datapointSeconds,
      totalSeconds: signal + datapointSeconds + fixed,
    };
  });
  const worst = [...alarms].sort(
    (a, b) => b.totalSeconds - a.totalSeconds || (a.alarm < b.alarm ? -1 : 1),
  )[0];
  // Without any alarm nothing bounds the rollback: the budget is infinite and the check fails.
  const budgetSeconds = worst ? worst.totalSeconds : Number.POSITIVE_INFINITY;
  const covered = new Set(inputs.deployment.alarms.map((a) => a.targetGroupLogicalId));
  const hook = inputs.hook;
  const reaction = latencies.find((l) => l.id === 'codeDeployReaction')?.seconds ?? 0;
  return {
    alarms,
    latencies,
    budgetSeconds,
    worstAlarm: worst?.alarm,
    routing: inputs.deployment.routing,
    routingSource: inputs.deployment.routingSource,
    maxExposurePercent: exposure(inputs.deployment.routing, budgetSeconds),
    bakeWindowSeconds: inputs.deployment.terminationWaitMinutes * 60,
    autoRollbackEvents: inputs.deployment.autoRollbackEvents,
    alarmsEnabled: inputs.deployment.alarmsEnabled,
    uncoveredTargetGroups: inputs.deployment.targetGroups
      .map((tg) => tg.source.logicalId)
      .filter((id) => !covered.has(id)),
    hook: hook
      ? {
          function: hook.source.logicalId,
          timeoutSeconds: hook.timeoutSeconds,
          timeoutDefaulted: hook.timeoutDefaulted,
          decisionSeconds: hook.timeoutSeconds + reaction,
        }
      : undefined,
    clocks: rollbackClocks(budgetSeconds, greenReadySeconds, hook?.timeoutSeconds ?? 0),
  };
}

function rollbackClocks(
  budgetSeconds: number,
  greenReadySeconds: number,
  hookSeconds: number,
): RollbackBudget['clocks'] {
  const parts = [
    { label: 'green task set started and healthy (cold start)', seconds: greenReadySeconds },
    { label: 'validation hook (at most its timeout)', seconds: hookSeconds },
    { label: 'alarm path from failure onset to production on blue', seconds: budgetSeconds },
  ];
  return {
    fromFailureOnsetSeconds: budgetSeconds,
    fromDeploymentStartSeconds: parts.reduce((sum, p) => sum + p.seconds, 0),
    deploymentStartParts: parts,
  };
}

/** Rounds to `digits` decimals (stable JSON). */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
