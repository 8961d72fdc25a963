import type { Assumptions } from './assumptions';
import { dayCapacity } from './capacity';
import {
  type CfnTemplate,
  type FoundResource,
  PlanInputError,
  getPath,
  numberProp,
  referencedLogicalId,
  resourcesOfType,
} from './cfn';
import { pricePerTaskHour } from './cost';
import type { DaySimulationAssumptions } from './day-assumptions';
import { assertPlainDay, demandCurve } from './demand';
import type { PlanInputs } from './inputs';
import {
  type SimConfig,
  type SimEvent,
  type SimMinute,
  type SimStep,
  type SimStepPolicy,
  type SimSummary,
  type SimTargetTracking,
  simulateDay,
} from './simulation';
import { round } from './timing';

/**
 * The day simulation of one profile: the new configuration read from the synthesized template, the old one
 * from the dated assumptions, both against the same demand curve.
 */

/** Application Auto Scaling's default cooldown for ECS services when a policy does not set one. */
const DEFAULT_ECS_COOLDOWN_SECONDS = 300;
/** PredictiveScalingPolicyConfiguration.SchedulingBufferTime default. */
const DEFAULT_SCHEDULING_BUFFER_SECONDS = 300;

/** One configuration's simulated day. */
export interface SimulatedConfiguration {
  readonly id: 'old' | 'new';
  readonly label: string;
  readonly cpuUnitsPerTask: number;
  readonly unitsPerTask: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly startSeconds: number;
  /** Scaling paths in the model, e.g. `CpuBurst: StepScaling on cpu, 60 s x 1 >= 75, cooldown 60 s`. */
  readonly paths: string[];
  readonly summary: SimSummary & { readonly cost: number; readonly pricePerTaskHour: number };
  /** Desired-count changes (the first {@link MAX_EVENTS}). */
  readonly events: SimEvent[];
  /** Per minute of the chart window: highest demand, lowest serving capacity, floor (units), desired tasks. */
  readonly timeline: {
    readonly fromMinute: number;
    readonly demand: number[];
    readonly serving: number[];
    readonly floor: number[];
    readonly desired: number[];
  };
}

/** The plan's day-simulation section of one profile. */
export interface DaySimulationPlan {
  readonly day: string;
  readonly zone: string;
  readonly peakUnits: number;
  readonly currency: string;
  readonly bursts: DaySimulationAssumptions['bursts'];
  readonly configurations: readonly [SimulatedConfiguration, SimulatedConfiguration];
  /** Findings of the simulation a reviewer should see. */
  readonly advisories: string[];
}

/** The advisories of a day simulation (for the profile's advisory list). */
export function daySimulationAdvisories(plan: DaySimulationPlan): string[] {
  return plan.advisories;
}

/**
 * A step policy whose cooldown ends before the tasks it added serve adds its step again while the alarm still
 * sees the old task count (capacity added during the cooldown counts toward the next scale-out only until the
 * cooldown ends).
 */
function cooldownAdvisories(config: SimConfig, peakTasks: number): string[] {
  const serve = config.policyDelaySeconds + config.startSeconds;
  return config.stepPolicies
    .filter((p) => p.cooldownSeconds < serve)
    .map(
      (p) =>
        `${p.name}: its cooldown (${p.cooldownSeconds} s) ends before the tasks it adds serve (${serve} s), so while they start the alarm still sees the old task count and the policy adds its step again each cooldown; in the day simulation the new configuration peaks at ${peakTasks} tasks (MaxCapacity ${config.maxCapacity}). A cooldown of at least ${serve} s adds each step once.`,
    );
}

const label = (r: FoundResource) => r.logicalId;

function optionalNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

function stepPolicies(
  template: CfnTemplate,
  targetId: string,
  sim: DaySimulationAssumptions,
): SimStepPolicy[] {
  const policies = resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalingPolicy').filter(
    (p) =>
      p.properties.PolicyType === 'StepScaling' &&
      referencedLogicalId(p.properties.ScalingTargetId) === targetId,
  );
  const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
  const out: SimStepPolicy[] = [];
  for (const policy of policies) {
    const config = getPath(policy.properties, ['StepScalingPolicyConfiguration']);
    const adjustment = getPath(config, ['AdjustmentType']);
    if (adjustment !== 'ChangeInCapacity') {
      throw new PlanInputError(
        `AWS::ApplicationAutoScaling::ScalingPolicy ${policy.logicalId}: AdjustmentType = ${JSON.stringify(adjustment ?? null)}; the day simulation models ChangeInCapacity only`,
      );
    }
    const raw = getPath(config, ['StepAdjustments']);
    const steps: SimStep[] = (Array.isArray(raw) ? raw : []).map((s) => ({
      lower: optionalNumber(getPath(s, ['MetricIntervalLowerBound'])),
      upper: optionalNumber(getPath(s, ['MetricIntervalUpperBound'])),
      change: optionalNumber(getPath(s, ['ScalingAdjustment'])) ?? 0,
    }));
    const cooldown = optionalNumber(getPath(config, ['Cooldown'])) ?? DEFAULT_ECS_COOLDOWN_SECONDS;
    for (const alarm of alarms) {
      const actions = alarm.properties.AlarmActions;
      if (!Array.isArray(actions) || !actions.some((a) => referencedLogicalId(a) === policy.logicalId))
        continue;
      const namespace = alarm.properties.Namespace;
      const metricName = alarm.properties.MetricName;
      const metric =
        namespace === 'AWS/ECS' && metricName === 'CPUUtilization'
          ? 'cpu'
          : metricName === sim.inFlightMetric.metricName
            ? 'inFlight'
            : undefined;
      if (metric === undefined) {
        throw new PlanInputError(
          `AWS::CloudWatch::Alarm ${alarm.logicalId}: metric ${String(namespace)}/${String(metricName)} has no model in the day simulation (known: AWS/ECS/CPUUtilization, ${sim.inFlightMetric.metricName})`,
        );
      }
      const operator = alarm.properties.ComparisonOperator;
      if (operator !== 'GreaterThanOrEqualToThreshold' && operator !== 'GreaterThanThreshold') {
        throw new PlanInputError(
          `AWS::CloudWatch::Alarm ${alarm.logicalId}: ComparisonOperator = ${JSON.stringify(operator ?? null)}; the day simulation models scale-out alarms (GreaterThanOrEqualToThreshold, GreaterThanThreshold)`,
        );
      }
      const evaluationPeriods = numberProp(alarm, 'EvaluationPeriods');
      out.push({
        name: label(policy),
        metric,
        periodSeconds: numberProp(alarm, 'Period'),
        evaluationPeriods,
        datapointsToAlarm: numberProp(alarm, 'DatapointsToAlarm', evaluationPeriods),
        threshold: numberProp(alarm, 'Threshold'),
        inclusive: operator === 'GreaterThanOrEqualToThreshold',
        steps,
        cooldownSeconds: cooldown,
        metricDelaySeconds:
          metric === 'cpu' ? sim.metricDelays.ecsMetricSeconds : sim.metricDelays.emfSeconds,
      });
    }
  }
  return out;
}

function targetTracking(
  template: CfnTemplate,
  targetId: string,
  sim: DaySimulationAssumptions,
): SimTargetTracking | undefined {
  const policy = resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalingPolicy').find(
    (p) =>
      p.properties.PolicyType === 'TargetTrackingScaling' &&
      referencedLogicalId(p.properties.ScalingTargetId) === targetId &&
      getPath(p.properties, [
        'TargetTrackingScalingPolicyConfiguration',
        'PredefinedMetricSpecification',
        'PredefinedMetricType',
      ]) === 'ECSServiceAverageCPUUtilization',
  );
  if (!policy) return undefined;
  const c = getPath(policy.properties, ['TargetTrackingScalingPolicyConfiguration']);
  const target = optionalNumber(getPath(c, ['TargetValue']));
  if (target === undefined || !(target > 0 && target <= 100)) {
    throw new PlanInputError(
      `AWS::ApplicationAutoScaling::ScalingPolicy ${policy.logicalId}: TargetValue = ${JSON.stringify(getPath(c, ['TargetValue']) ?? null)}; expected a CPU percentage in (0, 100]`,
    );
  }
  const t = sim.targetTracking;
  return {
    name: policy.logicalId,
    targetPercent: target,
    periodSeconds: t.periodSeconds,
    scaleOutDatapoints: t.scaleOutDatapoints,
    scaleInDatapoints: t.scaleInDatapoints,
    scaleInThresholdShare: t.scaleInThresholdShareOfTarget,
    scaleOutCooldownSeconds: optionalNumber(getPath(c, ['ScaleOutCooldown'])) ?? DEFAULT_ECS_COOLDOWN_SECONDS,
    scaleInCooldownSeconds: optionalNumber(getPath(c, ['ScaleInCooldown'])) ?? DEFAULT_ECS_COOLDOWN_SECONDS,
    metricDelaySeconds: sim.metricDelays.ecsMetricSeconds,
  };
}

/** The predictive policy in ForecastAndScale mode, if any: its scheduling buffer. */
function predictiveBuffer(template: CfnTemplate, targetId: string): number | undefined {
  const policy = resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalingPolicy').find(
    (p) =>
      p.properties.PolicyType === 'PredictiveScaling' &&
      referencedLogicalId(p.properties.ScalingTargetId) === targetId,
  );
  const c = getPath(policy?.properties, ['PredictiveScalingPolicyConfiguration']);
  if (!policy || getPath(c, ['Mode']) !== 'ForecastAndScale') return undefined;
  return optionalNumber(getPath(c, ['SchedulingBufferTime'])) ?? DEFAULT_SCHEDULING_BUFFER_SECONDS;
}

function describe(config: SimConfig): string[] {
  const paths: string[] = [];
  if (config.scheduledMinByMinute && new Set(config.scheduledMinByMinute).size > 1) {
    paths.push('Scheduled actions: the scheduled minimum of the day, minute by minute');
  }
  if (config.predictive) {
    paths.push(
      `Predictive (ForecastAndScale): hourly minimum ${config.predictive.minByHour.join('/')} from ${config.predictive.bufferSeconds} s before each hour`,
    );
  }
  const tt = config.targetTracking;
  if (tt) {
    paths.push(
      `${tt.name}: target tracking ${round(tt.targetPercent, 1)}% CPU; out after ${tt.scaleOutDatapoints} x ${tt.periodSeconds} s above, in after ${tt.scaleInDatapoints} x ${tt.periodSeconds} s below ${round(tt.targetPercent * tt.scaleInThresholdShare, 1)}%; cooldowns ${tt.scaleOutCooldownSeconds} s out / ${tt.scaleInCooldownSeconds} s in; metric delay ${tt.metricDelaySeconds} s`,
    );
  }
  for (const p of config.stepPolicies) {
    const steps = p.steps
      .filter((s) => s.change > 0)
      .map(
        (s) =>
          `+${s.change} at ${p.threshold + (s.lower ?? 0)}${s.upper === undefined ? '+' : `-${p.threshold + s.upper}`}`,
      )
      .join(', ');
    paths.push(
      `${p.name}: step scaling on ${p.metric === 'cpu' ? 'CPU %' : 'in-flight orders per task'}, ${p.periodSeconds} s x ${p.datapointsToAlarm}/${p.evaluationPeriods} ${p.inclusive ? '>=' : '>'} ${p.threshold} (${steps}); cooldown ${p.cooldownSeconds} s; metric delay ${p.metricDelaySeconds} s`,
    );
  }
  paths.push(`Tasks serve ${config.policyDelaySeconds} s + ${config.startSeconds} s after a decision`);
  return paths;
}

/** Units of work a task of the running task definition serves at the target-tracking target. */
export function unitsPerNewTask(
  template: CfnTemplate,
  inputs: PlanInputs,
  sim: DaySimulationAssumptions,
): number {
  const running = runningTask(inputs);
  const target = targetTracking(template, inputs.scalableTarget.source.logicalId, sim)?.targetPercent ?? 100;
  return (running.cpuUnits * target) / 100;
}

function runningTask(inputs: PlanInputs) {
  const running = inputs.taskDefinitions.find(
    (td) => td.architecture === inputs.service.runningArchitecture && td.cpuUnits > 0,
  );
  if (!running) {
    throw new PlanInputError(
      `no task definition of the running architecture ${inputs.service.runningArchitecture}`,
    );
  }
  return running;
}

/**
 * Builds the new configuration from the template: scalable target limits, the scheduled minimum of
 * `sim.day`, target tracking, step policies and their alarms, predictive scaling as a perfect hourly forecast.
 */
export function newConfiguration(
  template: CfnTemplate,
  inputs: PlanInputs,
  sim: DaySimulationAssumptions,
  zone: string,
  startSeconds: number,
  baseDemand: ArrayLike<number>,
): SimConfig {
  const targetId = inputs.scalableTarget.source.logicalId;
  const running = runningTask(inputs);
  const tt = targetTracking(template, targetId, sim);
  const target = tt?.targetPercent ?? 100;
  const unitsPerTask = (running.cpuUnits * target) / 100;
  const { minCapacity, maxCapacity, scheduledActions } = inputs.scalableTarget;
  const scheduled = dayCapacity(scheduledActions, minCapacity, sim.day, zone, 0, 24 * 60 - 1).counts;
  const buffer = predictiveBuffer(template, targetId);
  const minByHour: number[] = [];
  if (buffer !== undefined) {
    for (let h = 0; h < 24; h++) {
      let sum = 0;
      for (let t = h * 3600; t < (h + 1) * 3600; t++) sum += baseDemand[t];
      minByHour.push(Math.min(maxCapacity, Math.ceil(sum / 3600 / unitsPerTask - 1e-9)));
    }
  }
  return {
    label: `New: ${running.cpuUnits} CPU, ${running.architecture}, from the template`,
    cpuUnitsPerTask: running.cpuUnits,
    unitsPerTask,
    minCapacity,
    maxCapacity,
    scheduledMinByMinute: scheduled,
    predictive: buffer === undefined ? undefined : { minByHour, bufferSeconds: buffer },
    startSeconds,
    policyDelaySeconds: sim.metricDelays.policyToPlacementSeconds,
    targetTracking: tt,
    stepPolicies: stepPolicies(template, targetId, sim),
    inFlightPerTaskAtTarget: sim.inFlightMetric.perTaskAtTarget,
  };
}

/**
 * The old configuration: 4096-CPU tasks serving their measured 1800 units, target tracking at that operating
 * point that needs `reactionSeconds` of one-minute datapoints, `startSeconds` starts, no schedule, no
 * predictive or step policies; MinCapacity and MaxCapacity are the new ones converted at equal work.
 */
export function oldConfiguration(assumptions: Assumptions, fresh: SimConfig): SimConfig {
  const old = assumptions.oldConfiguration;
  const sim = assumptions.daySimulation;
  const units = old.averageCpuUnitsUsed;
  const atEqualWork = (tasks: number) => Math.max(1, Math.ceil((tasks * fresh.unitsPerTask) / units - 1e-9));
  const period = sim.targetTracking.periodSeconds;
  return {
    label: `Old: ${old.cpuUnits} CPU, ${old.architecture}, ${sim.old.reactionSeconds / 60}-minute reaction, ${sim.old.startSeconds} s starts, no schedule`,
    cpuUnitsPerTask: old.cpuUnits,
    unitsPerTask: units,
    minCapacity: atEqualWork(fresh.minCapacity),
    maxCapacity: atEqualWork(fresh.maxCapacity),
    startSeconds: sim.old.startSeconds,
    policyDelaySeconds: 0,
    targetTracking: {
      name: 'Reactive scaling',
      targetPercent: (100 * units) / old.cpuUnits,
      periodSeconds: period,
      scaleOutDatapoints: Math.max(1, Math.round(sim.old.reactionSeconds / period)),
      scaleInDatapoints: sim.targetTracking.scaleInDatapoints,
      scaleInThresholdShare: sim.targetTracking.scaleInThresholdShareOfTarget,
      scaleOutCooldownSeconds: DEFAULT_ECS_COOLDOWN_SECONDS,
      scaleInCooldownSeconds: DEFAULT_ECS_COOLDOWN_SECONDS,
      metricDelaySeconds: 0,
    },
    stepPolicies: [],
    inFlightPerTaskAtTarget: sim.inFlightMetric.perTaskAtTarget,
  };
}

/** Number of desired-count changes kept per configuration in plan.json. */
export const MAX_EVENTS = 100;

/** Minutes of the day the chart (and plan.json's timeline) shows: 07:00-18:00 local. */
export const CHART_WINDOW = { fromMinute: 7 * 60, toMinute: 18 * 60 } as const;

function timeline(minutes: readonly SimMinute[]): SimulatedConfiguration['timeline'] {
  const shown = minutes.filter(
    (m) => m.minute >= CHART_WINDOW.fromMinute && m.minute <= CHART_WINDOW.toMinute,
  );
  return {
    fromMinute: CHART_WINDOW.fromMinute,
    demand: shown.map((m) => Math.round(m.demand)),
    serving: shown.map((m) => Math.round(m.serving)),
    floor: shown.map((m) => Math.round(m.floor)),
    desired: shown.map((m) => m.desired),
  };
}

/**
 * Simulates `daySimulation.day` for the template's configuration and the old one.
 *
 * @param spikeLevel the larger of the pre-open and pre-close levels: the platform's peak in tasks
 * @param startSeconds cold start + health check of a new task (tools/plan/timing.ts)
 */
export function simulateProfileDay(
  template: CfnTemplate,
  inputs: PlanInputs,
  assumptions: Assumptions,
  spikeLevel: number,
  startSeconds: number,
): DaySimulationPlan {
  const sim = assumptions.daySimulation;
  const zone = assumptions.calendar.zone;
  assertPlainDay(sim.day, zone);
  // The new task's units at the target define the peak; computed once without demand to read it.
  const peakUnits = sim.peak.spikeLevelShare * spikeLevel * unitsPerNewTask(template, inputs, sim);
  const demand = demandCurve(sim, peakUnits);
  const fresh = newConfiguration(template, inputs, sim, zone, startSeconds, demand.base);
  const old = oldConfiguration(assumptions, fresh);
  const oldCfg = assumptions.oldConfiguration;
  const running = inputs.taskDefinitions.find(
    (td) => td.architecture === inputs.service.runningArchitecture,
  )!;
  const run = (id: 'old' | 'new', config: SimConfig, price: number): SimulatedConfiguration => {
    const r = simulateDay(config, demand.perSecond);
    return {
      id,
      label: config.label,
      cpuUnitsPerTask: config.cpuUnitsPerTask,
      unitsPerTask: round(config.unitsPerTask, 2),
      minCapacity: config.minCapacity,
      maxCapacity: config.maxCapacity,
      startSeconds: config.startSeconds,
      paths: describe(config),
      summary: {
        ...r.summary,
        shortfallTaskSeconds: round(r.summary.shortfallTaskSeconds, 1),
        shortfallUnitSeconds: Math.round(r.summary.shortfallUnitSeconds),
        taskHours: round(r.summary.taskHours, 3),
        pricePerTaskHour: round(price, 6),
        cost: round(price * r.summary.taskHours, 2),
      },
      events: r.events.slice(0, MAX_EVENTS),
      timeline: timeline(r.minutes),
    };
  };
  const configurations = [
    run('old', old, pricePerTaskHour(assumptions, oldCfg.architecture, oldCfg.cpuUnits, oldCfg.memoryMiB)),
    run(
      'new',
      fresh,
      pricePerTaskHour(assumptions, running.architecture, running.cpuUnits, running.memoryMiB),
    ),
  ] as const;
  return {
    day: sim.day,
    zone,
    peakUnits: round(peakUnits, 1),
    currency: assumptions.pricing.currency,
    bursts: sim.bursts,
    configurations,
    advisories: cooldownAdvisories(fresh, configurations[1].summary.peakTasks),
  };
}
