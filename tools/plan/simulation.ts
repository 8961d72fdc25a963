/**
 * A one-second model of how Application Auto Scaling and ECS move a Fargate service's task count through a day:
 * scheduled minimums, predictive pre-provisioning, target tracking and step policies driven by CloudWatch
 * alarms, cooldowns, metric publication delays and the cold start. A model of documented AWS behaviour (each
 * rule below names the behaviour it stands for; the dated figures are in data/plan-assumptions.json
 * `daySimulation`), not a measurement. Pure: configuration + demand in, timeline + summary out.
 */

/** The metric an alarm watches, as the model computes it from demand and serving tasks. */
export type SimMetric =
  /** AWS/ECS CPUUtilization: 100 x demand / (serving tasks x CPU units), capped at 100. */
  | 'cpu'
  /** In flight per task: perTaskAtTarget x demand / (serving tasks x units per task at the target); not capped. */
  | 'inFlight';

/** One step of a step policy, bounds relative to the alarm threshold (lower inclusive, upper exclusive). */
export interface SimStep {
  readonly lower?: number;
  readonly upper?: number;
  readonly change: number;
}

/** A step-scaling policy (ChangeInCapacity) and the alarm that invokes it. */
export interface SimStepPolicy {
  readonly name: string;
  readonly metric: SimMetric;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  /** true: GreaterThanOrEqualToThreshold; false: GreaterThanThreshold. */
  readonly inclusive: boolean;
  readonly steps: readonly SimStep[];
  readonly cooldownSeconds: number;
  /** Seconds after a period closes until its datapoint is evaluated. */
  readonly metricDelaySeconds: number;
}

/** A target-tracking policy on the CPU metric, with the alarms Application Auto Scaling creates for it. */
export interface SimTargetTracking {
  readonly name: string;
  readonly targetPercent: number;
  readonly periodSeconds: number;
  readonly scaleOutDatapoints: number;
  readonly scaleInDatapoints: number;
  /** Scale-in alarm threshold as a share of the target. */
  readonly scaleInThresholdShare: number;
  readonly scaleOutCooldownSeconds: number;
  readonly scaleInCooldownSeconds: number;
  readonly metricDelaySeconds: number;
}

/** Everything the simulation needs about one configuration. */
export interface SimConfig {
  readonly label: string;
  /** CPU units of one task (100% CPU). */
  readonly cpuUnitsPerTask: number;
  /** Units of work one task serves at its operating point. */
  readonly unitsPerTask: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Scheduled minimum at each minute of the day (already at least minCapacity). @default - minCapacity */
  readonly scheduledMinByMinute?: readonly number[];
  /** Predictive minimum for each hour, in force from `bufferSeconds` before the hour. @default - none */
  readonly predictive?: { readonly minByHour: readonly number[]; readonly bufferSeconds: number };
  /** From the desired count rising to the new task serving (cold start + health check). */
  readonly startSeconds: number;
  /** From a scaling decision to ECS placing tasks. */
  readonly policyDelaySeconds: number;
  readonly targetTracking?: SimTargetTracking;
  readonly stepPolicies: readonly SimStepPolicy[];
  /** In-flight orders per task at the operating point (for the `inFlight` metric). */
  readonly inFlightPerTaskAtTarget: number;
}

/** A change of the desired count. */
export interface SimEvent {
  readonly second: number;
  readonly source: string;
  readonly from: number;
  readonly to: number;
}

/** One minute of the timeline, for charts. */
export interface SimMinute {
  readonly minute: number;
  /** Highest demand of the minute (units of work). */
  readonly demand: number;
  /** Lowest serving capacity of the minute (serving tasks x units per task). */
  readonly serving: number;
  /** Highest floor of the minute (units of work). */
  readonly floor: number;
  readonly desired: number;
}

/** What a simulated day amounts to. */
export interface SimSummary {
  /** Seconds where demand exceeds serving tasks x units per task. */
  readonly shortfallSeconds: number;
  /** Minutes with at least one such second. */
  readonly shortfallMinutes: number;
  /** Sum over those seconds of the missing serving tasks (demand / units per task - serving). */
  readonly shortfallTaskSeconds: number;
  /** Sum over those seconds of the missing work (demand - serving x units per task), in unit-seconds. */
  readonly shortfallUnitSeconds: number;
  /** Seconds where demand exceeds serving tasks x CPU units (100% CPU: orders queue). */
  readonly saturatedSeconds: number;
  readonly peakTasks: number;
  /** Desired count integrated over the day (billed tasks). */
  readonly taskHours: number;
  /** Longest run of consecutive shortfall seconds. */
  readonly longestShortfallSeconds: number;
}

/** The simulation's result. */
export interface SimResult {
  readonly summary: SimSummary;
  readonly minutes: SimMinute[];
  readonly events: SimEvent[];
  /** Serving and desired tasks at every second. */
  readonly serving: Int32Array;
  readonly desired: Int32Array;
}

const EPSILON = 1e-9;

/** ceil that ignores floating-point noise just above an integer. */
function ceilTasks(x: number): number {
  return Math.ceil(x - EPSILON);
}

interface Series {
  readonly metric: SimMetric | 'work';
  readonly period: number;
  sum: number;
  readonly points: number[];
}

/**
 * Runs `config` against `demand` (units of work per second, index = second of the day).
 *
 * Rules (each an AWS behaviour; sources in data/plan-assumptions.json `daySimulation`):
 * - The desired count stays within [floor, maxCapacity]; the floor is the largest of MinCapacity, the
 *   scheduled minimum in force and the predictive minimum. A higher floor raises the desired count at once; a
 *   lower one changes nothing until a policy scales in.
 * - Added tasks serve `policyDelaySeconds + startSeconds` after the decision; removed tasks stop at once,
 *   not-yet-serving ones first.
 * - A metric datapoint is the mean of its period's per-second values; it is evaluated `metricDelaySeconds`
 *   after the period closes. An alarm is in ALARM when `datapointsToAlarm` of its last `evaluationPeriods`
 *   datapoints breach; a scaling alarm invokes its policy at every evaluation while in ALARM.
 * - Step policy: the step holding (latest datapoint - threshold) is added. During its cooldown it only adds
 *   what a larger step adds beyond the capacity before the step that started the cooldown.
 * - Target tracking: scale out when the last `scaleOutDatapoints` exceed the target, to
 *   max(desired, ceil(work consumed / (CPU units x target))); scale in when the last `scaleInDatapoints` are
 *   below `scaleInThresholdShare` x target, to that figure, at most once per scale-in cooldown (a scale-out
 *   ends the scale-in cooldown).
 * - Of policies evaluated in the same second, the largest capacity wins; a policy in ALARM proposes at
 *   least the current count, so only target tracking scales in, and only when nothing else is in ALARM then.
 */
export function simulateDay(config: SimConfig, demand: ArrayLike<number>): SimResult {
  const n = demand.length;
  const serving = new Int32Array(n);
  const desiredAt = new Int32Array(n);
  const events: SimEvent[] = [];
  const minutes: SimMinute[] = [];
  const readyAt: number[] = [];
  const initialFloor = floorAt(config, 0);
  for (let i = 0; i < initialFloor; i++) readyAt.push(-Infinity);
  let desired = initialFloor;

  const series = new Map<string, Series>();
  const seriesFor = (metric: Series['metric'], period: number): Series => {
    const key = `${metric}/${period}`;
    let s = series.get(key);
    if (!s) {
      s = { metric, period, sum: 0, points: [] };
      series.set(key, s);
    }
    return s;
  };
  const tt = config.targetTracking;
  if (tt) {
    seriesFor('cpu', tt.periodSeconds);
    seriesFor('work', tt.periodSeconds);
  }
  for (const p of config.stepPolicies) seriesFor(p.metric, p.periodSeconds);

  const allSeries = [...series.values()];
  const clocks = [
    ...(tt ? [{ period: tt.periodSeconds, delay: tt.metricDelaySeconds }] : []),
    ...config.stepPolicies.map((p) => ({ period: p.periodSeconds, delay: p.metricDelaySeconds })),
  ];
  const evaluatedAt = (t: number) => clocks.some((c) => t - c.delay > 0 && (t - c.delay) % c.period === 0);
  const stepState = config.stepPolicies.map(() => ({ cooldownUntil: -Infinity, base: 0 }));
  let scaleInCooldownUntil = -Infinity;

  const setDesired = (to: number, t: number, source: string) => {
    const clamped = Math.min(config.maxCapacity, Math.max(floorAt(config, t), to));
    if (clamped === desired) return;
    if (clamped > desired) {
      for (let i = desired; i < clamped; i++)
        readyAt.push(t + config.policyDelaySeconds + config.startSeconds);
    } else {
      readyAt.length = clamped;
    }
    events.push({ second: t, source, from: desired, to: clamped });
    desired = clamped;
  };

  /** Index of the newest datapoint of a period/delay that becomes available at second t, or -1. */
  const newestAt = (period: number, delay: number, t: number): number => {
    const closed = t - delay;
    return closed > 0 && closed % period === 0 ? closed / period - 1 : -1;
  };

  let s = 0;
  let shortfallSeconds = 0;
  let shortfallTaskSeconds = 0;
  let shortfallUnitSeconds = 0;
  let saturatedSeconds = 0;
  let peakTasks = desired;
  let taskSeconds = 0;
  let run = 0;
  let longest = 0;
  const shortMinutes = new Set<number>();
  let mDemand = 0;
  let mServing = Infinity;
  let mFloor = 0;
  let mDesired = 0;

  for (let t = 0; t < n; t++) {
    // 1. The floor (schedule, predictive) raises the desired count at once.
    const floor = floorAt(config, t);
    if (desired < floor) setDesired(floor, t, floorSource(config, t));

    // 2. Policies whose datapoint is evaluated now. Of simultaneous ones the largest capacity wins
    //    (Application Auto Scaling's rule for several policies); a policy in ALARM proposes at least the
    //    current count, so a simultaneous scale-in does not undo it.
    if (evaluatedAt(t)) {
      const proposals: Array<{ to: number; source: string }> = [];
      let scaleIn: { to: number; source: string } | undefined;
      if (tt) {
        const i = newestAt(tt.periodSeconds, tt.metricDelaySeconds, t);
        const cpu = seriesFor('cpu', tt.periodSeconds).points;
        const work = seriesFor('work', tt.periodSeconds).points;
        const perTaskAtTarget = (config.cpuUnitsPerTask * tt.targetPercent) / 100;
        if (i >= 0 && i + 1 >= tt.scaleOutDatapoints) {
          const last = cpu.slice(i + 1 - tt.scaleOutDatapoints, i + 1);
          if (last.every((v) => v > tt.targetPercent + EPSILON)) {
            // Capacity added during the scale-out cooldown counts toward the next scale-out: never below desired.
            proposals.push({ to: Math.max(desired, ceilTasks(work[i] / perTaskAtTarget)), source: tt.name });
          }
        }
        if (i >= 0 && i + 1 >= tt.scaleInDatapoints && t >= scaleInCooldownUntil) {
          const last = cpu.slice(i + 1 - tt.scaleInDatapoints, i + 1);
          if (last.every((v) => v < tt.targetPercent * tt.scaleInThresholdShare - EPSILON)) {
            const needed = Math.max(floor, ceilTasks(work[i] / perTaskAtTarget));
            if (needed < desired) scaleIn = { to: needed, source: tt.name };
          }
        }
      }
      config.stepPolicies.forEach((p, k) => {
        const i = newestAt(p.periodSeconds, p.metricDelaySeconds, t);
        if (i < 0 || i + 1 < p.evaluationPeriods) return;
        const points = seriesFor(p.metric, p.periodSeconds).points;
        const window = points.slice(i + 1 - p.evaluationPeriods, i + 1);
        const breaching = window.filter((v) =>
          p.inclusive ? v >= p.threshold - EPSILON : v > p.threshold + EPSILON,
        ).length;
        if (breaching < p.datapointsToAlarm) return;
        const diff = points[i] - p.threshold;
        const step = p.steps.find(
          (s) =>
            (s.lower === undefined || diff >= s.lower - EPSILON) &&
            (s.upper === undefined || diff < s.upper - EPSILON),
        );
        const change = step && step.change > 0 ? step.change : 0;
        const state = stepState[k];
        if (t < state.cooldownUntil) {
          proposals.push({ to: Math.max(desired, state.base + change), source: p.name });
        } else if (change > 0) {
          state.base = desired;
          state.cooldownUntil = t + p.cooldownSeconds;
          proposals.push({ to: desired + change, source: p.name });
        } else {
          proposals.push({ to: desired, source: p.name });
        }
      });
      if (proposals.length > 0) {
        const best = proposals.reduce((a, b) => (b.to > a.to ? b : a));
        if (best.to > desired) {
          setDesired(best.to, t, best.source);
          scaleInCooldownUntil = -Infinity; // a scale-out ends the scale-in cooldown
        }
      } else if (scaleIn) {
        const before = desired;
        setDesired(scaleIn.to, t, scaleIn.source);
        if (desired < before) scaleInCooldownUntil = t + tt!.scaleInCooldownSeconds;
      }
    }

    // 3. This second's serving capacity, metrics and accounting.
    // readyAt is sorted (every task added later serves later) and shrinks from its end: s only moves back
    // when the tasks it counted were removed.
    if (s > readyAt.length) s = readyAt.length;
    while (s < readyAt.length && readyAt[s] <= t) s++;
    serving[t] = s;
    desiredAt[t] = desired;
    const d = demand[t];
    const cpu = s > 0 ? Math.min(100, (100 * d) / (s * config.cpuUnitsPerTask)) : 100;
    const inFlight = (config.inFlightPerTaskAtTarget * d) / (Math.max(s, 1) * config.unitsPerTask);
    const work = Math.min(d, s * config.cpuUnitsPerTask);
    for (const ser of allSeries) {
      ser.sum += ser.metric === 'cpu' ? cpu : ser.metric === 'inFlight' ? inFlight : work;
      if ((t + 1) % ser.period === 0) {
        ser.points.push(ser.sum / ser.period);
        ser.sum = 0;
      }
    }
    const missing = d / config.unitsPerTask - s;
    if (missing > EPSILON) {
      shortfallSeconds++;
      shortfallTaskSeconds += missing;
      shortfallUnitSeconds += missing * config.unitsPerTask;
      shortMinutes.add(Math.floor(t / 60));
      run++;
      longest = Math.max(longest, run);
    } else run = 0;
    if (d > s * config.cpuUnitsPerTask + EPSILON) saturatedSeconds++;
    taskSeconds += desired;
    peakTasks = Math.max(peakTasks, desired);

    mDemand = Math.max(mDemand, d);
    mServing = Math.min(mServing, s * config.unitsPerTask);
    mFloor = Math.max(mFloor, floor * config.unitsPerTask);
    mDesired = Math.max(mDesired, desired);
    if ((t + 1) % 60 === 0 || t === n - 1) {
      minutes.push({
        minute: Math.floor(t / 60),
        demand: mDemand,
        serving: mServing,
        floor: mFloor,
        desired: mDesired,
      });
      mDemand = 0;
      mServing = Infinity;
      mFloor = 0;
      mDesired = 0;
    }
  }

  return {
    summary: {
      shortfallSeconds,
      shortfallMinutes: shortMinutes.size,
      shortfallTaskSeconds,
      shortfallUnitSeconds,
      saturatedSeconds,
      peakTasks,
      taskHours: taskSeconds / 3600,
      longestShortfallSeconds: longest,
    },
    minutes,
    events,
    serving,
    desired: desiredAt,
  };
}

function predictiveAt(config: SimConfig, t: number): number {
  const p = config.predictive;
  if (!p || p.minByHour.length === 0) return 0;
  const hour = Math.min(p.minByHour.length - 1, Math.floor((t + p.bufferSeconds) / 3600));
  return p.minByHour[hour];
}

function scheduledAt(config: SimConfig, t: number): number {
  const m = config.scheduledMinByMinute;
  return m && m.length > 0 ? m[Math.min(m.length - 1, Math.floor(t / 60))] : config.minCapacity;
}

/** The floor in force at second t: MinCapacity, the scheduled minimum and the predictive minimum, within MaxCapacity. */
export function floorAt(config: SimConfig, t: number): number {
  return Math.min(
    config.maxCapacity,
    Math.max(config.minCapacity, scheduledAt(config, t), predictiveAt(config, t)),
  );
}

function floorSource(config: SimConfig, t: number): string {
  return predictiveAt(config, t) > scheduledAt(config, t) ? 'predictive' : 'schedule';
}
