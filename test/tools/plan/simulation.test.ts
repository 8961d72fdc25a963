import {
  type SimConfig,
  type SimStepPolicy,
  type SimTargetTracking,
  floorAt,
  simulateDay,
} from '../../../tools/plan/simulation';

/**
 * Small hand-computed days. A task has 200 CPU units and serves 100 units of work at its operating point
 * (the 50% target); new tasks serve 5 s (placement) + 30 s (start) after a decision.
 */
const base: SimConfig = {
  label: 'test',
  cpuUnitsPerTask: 200,
  unitsPerTask: 100,
  minCapacity: 1,
  maxCapacity: 10,
  startSeconds: 30,
  policyDelaySeconds: 5,
  stepPolicies: [],
  inFlightPerTaskAtTarget: 100,
};

/** `before` until second `at`, then `after`, for `n` seconds. */
const stepDemand = (n: number, at: number, before: number, after: number) =>
  Array.from({ length: n }, (_, t) => (t < at ? before : after));

/** A 10-second in-flight alarm (>= 100, one datapoint) adding one task; EMF datapoints land 10 s late. */
const fast = (cooldownSeconds: number): SimStepPolicy => ({
  name: 'Fast',
  metric: 'inFlight',
  periodSeconds: 10,
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  threshold: 100,
  inclusive: true,
  steps: [{ lower: 0, change: 1 }],
  cooldownSeconds,
  metricDelaySeconds: 10,
});

const events = (r: ReturnType<typeof simulateDay>) => r.events.map((e) => [e.second, e.source, e.from, e.to]);

describe('step scaling on a 10-second alarm', () => {
  // Demand steps from 50 to 150 units at t = 100 (a period boundary): the datapoint of [100, 110) reads
  // 150 in flight, lands at 120, the policy adds a task that serves at 120 + 5 + 30 = 155.
  const demand = stepDemand(400, 100, 50, 150);

  test('a step demand is short for exactly detection + delay + start: 55 seconds', () => {
    const r = simulateDay({ ...base, stepPolicies: [fast(60)] }, demand);
    expect(events(r)).toEqual([[120, 'Fast', 1, 2]]);
    expect([r.serving[154], r.serving[155]]).toEqual([1, 2]);
    expect(r.summary.shortfallSeconds).toBe(55);
    // Seconds 100-154 touch minute 1 (60-119) and minute 2 (120-179).
    expect(r.summary.shortfallMinutes).toBe(2);
    expect(r.summary.longestShortfallSeconds).toBe(55);
    // Half a task missing for 55 s.
    expect(r.summary.shortfallTaskSeconds).toBeCloseTo(27.5, 9);
    expect(r.summary.shortfallUnitSeconds).toBeCloseTo(2750, 6);
    expect(r.summary.saturatedSeconds).toBe(0);
    expect(r.summary.peakTasks).toBe(2);
    expect(r.summary.taskHours).toBeCloseTo((120 * 1 + 280 * 2) / 3600, 9);
  });

  test('a cooldown shorter than the start adds the step again while the new task is still starting', () => {
    // Cooldown 30 s: at 150 the cooldown is over and the datapoint of [130, 140) still sees one task.
    const r = simulateDay({ ...base, stepPolicies: [fast(30)] }, demand);
    expect(events(r)).toEqual([
      [120, 'Fast', 1, 2],
      [150, 'Fast', 2, 3],
    ]);
    expect(r.summary.shortfallSeconds).toBe(55);
    expect(r.summary.peakTasks).toBe(3);
  });

  test('MaxCapacity caps a step', () => {
    const big = { ...fast(60), steps: [{ lower: 0, change: 5 }] };
    const r = simulateDay({ ...base, maxCapacity: 3, stepPolicies: [big] }, demand);
    expect(events(r)).toEqual([[120, 'Fast', 1, 3]]);
  });
});

test('a one-minute CPU alarm acts on the datapoint 60 s after its period, with the step the breach selects', () => {
  // 180 units on one 200-unit task = 90% CPU from t = 60: the datapoint of [60, 120) is 90 (threshold 75 + 15,
  // the second step, lower bound inclusive) and lands at 180; +2 tasks serve at 215.
  const cpu: SimStepPolicy = {
    name: 'Cpu',
    metric: 'cpu',
    periodSeconds: 60,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 75,
    inclusive: true,
    steps: [
      { lower: 0, upper: 15, change: 1 },
      { lower: 15, change: 2 },
    ],
    cooldownSeconds: 120,
    metricDelaySeconds: 60,
  };
  const r = simulateDay({ ...base, stepPolicies: [cpu] }, stepDemand(600, 60, 100, 180));
  expect(events(r)).toEqual([[180, 'Cpu', 1, 3]]);
  expect(r.summary.shortfallSeconds).toBe(215 - 60);
});

const tracking = (over: Partial<SimTargetTracking>): SimTargetTracking => ({
  name: 'Tracking',
  targetPercent: 50,
  periodSeconds: 60,
  scaleOutDatapoints: 3,
  scaleInDatapoints: 15,
  scaleInThresholdShare: 0.9,
  scaleOutCooldownSeconds: 300,
  scaleInCooldownSeconds: 300,
  metricDelaySeconds: 0,
  ...over,
});

test('the old configuration: five one-minute datapoints, then a 90 s start: 390 short seconds', () => {
  // 80 units on one 100-unit task (operating point 50 units): 80% CPU from t = 0; the fifth datapoint closes
  // at 300, target tracking sets ceil(80 / 50) = 2 tasks, serving at 390.
  const old: SimConfig = {
    ...base,
    cpuUnitsPerTask: 100,
    unitsPerTask: 50,
    startSeconds: 90,
    policyDelaySeconds: 0,
    targetTracking: tracking({ scaleOutDatapoints: 5 }),
  };
  const r = simulateDay(old, stepDemand(1000, 0, 80, 80));
  expect(events(r)).toEqual([[300, 'Tracking', 1, 2]]);
  expect(r.summary.shortfallSeconds).toBe(390);
});

test('target tracking scales in only after 15 one-minute datapoints below 90% of the target', () => {
  // Three tasks until the schedule drops to one at minute 1; 50 units (8% CPU) need one task. The 15th
  // datapoint closes at 900.
  const schedule = Array.from({ length: 20 }, (_, m) => (m === 0 ? 3 : 1));
  const r = simulateDay(
    { ...base, scheduledMinByMinute: schedule, targetTracking: tracking({}) },
    stepDemand(1200, 0, 50, 50),
  );
  expect(events(r)).toEqual([[900, 'Tracking', 3, 1]]);
  expect(r.summary.taskHours).toBeCloseTo((900 * 3 + 300 * 1) / 3600, 9);
});

test('a scheduled minimum raises the desired count at its minute; its tasks serve after the start', () => {
  // 250 units need 2.5 tasks; the schedule asks for 3 from minute 2 (t = 120), serving at 155.
  const schedule = Array.from({ length: 10 }, (_, m) => (m < 2 ? 1 : 3));
  const r = simulateDay({ ...base, scheduledMinByMinute: schedule }, stepDemand(600, 0, 250, 250));
  expect(events(r)).toEqual([[120, 'schedule', 1, 3]]);
  expect(r.summary.shortfallSeconds).toBe(155);
  expect(r.summary.shortfallTaskSeconds).toBeCloseTo(155 * 1.5, 9);
  // 250 units on one 200-unit task: saturated until the scheduled tasks serve.
  expect(r.summary.saturatedSeconds).toBe(155);
});

test('the predictive minimum of an hour is in force from the scheduling buffer before it', () => {
  const config: SimConfig = { ...base, predictive: { minByHour: [1, 4], bufferSeconds: 600 } };
  expect([floorAt(config, 2999), floorAt(config, 3000)]).toEqual([1, 4]);
  const r = simulateDay(config, stepDemand(7200, 0, 10, 10));
  expect(events(r)).toEqual([[3000, 'predictive', 1, 4]]);
});

test('a policy in ALARM keeps a simultaneous target-tracking scale-in from undoing it', () => {
  // Tracking wants to scale in at 900 (15 quiet datapoints at 3 tasks); the in-flight alarm evaluated in the
  // same second (datapoint of [880, 890)) sees a burst that started at 880: the larger capacity wins.
  const schedule = Array.from({ length: 20 }, (_, m) => (m === 0 ? 3 : 1));
  const demand = Array.from({ length: 1200 }, (_, t) => (t >= 880 && t < 890 ? 400 : 50));
  const r = simulateDay(
    {
      ...base,
      scheduledMinByMinute: schedule,
      targetTracking: tracking({ scaleInDatapoints: 15 }),
      stepPolicies: [fast(60)],
    },
    demand,
  );
  // [880, 890): 400 units on 3 tasks = 133 in flight -> +1 at 900 instead of 3 -> 1.
  expect(events(r)[0]).toEqual([900, 'Fast', 3, 4]);
});
