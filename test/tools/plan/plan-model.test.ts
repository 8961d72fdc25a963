import { loadAssumptions } from '../../../tools/plan/assumptions';
import { countAt, dayCapacity, dstSwitches, levelSince, taskHours } from '../../../tools/plan/capacity';
import { PlanInputError } from '../../../tools/plan/cfn';
import { pricePerTaskHour } from '../../../tools/plan/cost';
import { readPlanInputs } from '../../../tools/plan/inputs';
import { computeProfilePlan } from '../../../tools/plan/plan';
import { loadCalendar } from '../../../lib/schedule/exchange-calendar';
import { fixtureTemplate, withHook } from './fixture-template';

const assumptions = loadAssumptions();
const NY = 'America/New_York';
// The fixture's scheduled actions are the weekday ones: check them against a calendar without closed days
// (test/plan/calendar-check.test.ts checks the calendar against real holidays).
const WEEKDAYS_ONLY = { ...loadCalendar(), holidays: [], earlyCloses: [] };
const plan = (t = fixtureTemplate()) =>
  computeProfilePlan(t, assumptions, 'fixture', 'Fixture', WEEKDAYS_ONLY);
const checkStatus = (p: ReturnType<typeof plan>, id: string) => p.checks.find((c) => c.id === id)?.status;

describe('reading the template through references', () => {
  test('finds the service, its scalable target, task definitions, target groups and alarms', () => {
    const inputs = readPlanInputs(fixtureTemplate());
    expect(inputs.service.source.logicalId).toBe('Svc');
    expect(inputs.service.warmFloor).toBe(3);
    expect(inputs.service.runningArchitecture).toBe('ARM64');
    expect(inputs.scalableTarget.source.logicalId).toBe('Target');
    expect(inputs.taskDefinitions.map((t) => t.source.logicalId)).toEqual(['TdArm', 'TdX86']);
    expect(inputs.deployment.targetGroups.map((t) => t.source.logicalId)).toEqual(['TgA', 'TgB']);
    expect(inputs.deployment.alarms.map((a) => a.source.logicalId)).toEqual([
      'A5xx',
      'AUnhealthy',
      'B5xx',
      'BUnhealthy',
    ]);
    expect(inputs.deployment.routing).toEqual({
      type: 'TimeBasedCanary',
      percentage: 10,
      intervalMinutes: 5,
    });
    expect(inputs.cpuTargetPercent).toBe(50);
    expect(inputs.burstAlarm?.source.logicalId).toBe('StepAlarm');
  });

  test('ignores a scalable target that does not reference the service', () => {
    const t = fixtureTemplate();
    t.Resources.Target.Properties.ResourceId = 'service/other/other';
    expect(() => readPlanInputs(t)).toThrow(
      'expected exactly one AWS::ApplicationAutoScaling::ScalableTarget (ecs:service:DesiredCount) whose ResourceId references Svc, found 0',
    );
  });

  test('a missing FARGATE capacity provider is an error naming the service', () => {
    const t = fixtureTemplate();
    t.Resources.Svc.Properties.CapacityProviderStrategy = [{ CapacityProvider: 'FARGATE_SPOT', Base: 3 }];
    expect(() => readPlanInputs(t)).toThrow(PlanInputError);
    expect(() => readPlanInputs(t)).toThrow(
      'AWS::ECS::Service Svc: CapacityProviderStrategy has no FARGATE entry',
    );
  });

  test('an alarm that is not in the template cannot be bounded', () => {
    const t = fixtureTemplate();
    t.Resources.Group.Properties.AlarmConfiguration.Alarms.push({ Name: 'imported-alarm' });
    expect(() => readPlanInputs(t)).toThrow(
      'AlarmConfiguration.Alarms[4].Name = "imported-alarm": not an alarm of this template, so the plan cannot bound its detection time',
    );
  });

  test('health-check properties left out fall back to the ELB defaults and say so', () => {
    const t = fixtureTemplate();
    delete t.Resources.TgA.Properties.HealthCheckIntervalSeconds;
    delete t.Resources.TgA.Properties.HealthyThresholdCount;
    const tg = readPlanInputs(t).deployment.targetGroups[0];
    expect([tg.intervalSeconds, tg.healthyThreshold]).toEqual([30, 5]);
    expect(tg.defaulted).toEqual(['HealthCheckIntervalSeconds', 'HealthyThresholdCount']);
  });

  test('a predefined deployment configuration name is understood', () => {
    const t = fixtureTemplate();
    t.Resources.Group.Properties.DeploymentConfigName = 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes';
    expect(readPlanInputs(t).deployment.routing).toEqual({
      type: 'TimeBasedLinear',
      percentage: 10,
      intervalMinutes: 1,
    });
  });
});

describe('capacity over a day', () => {
  const actions = readPlanInputs(fixtureTemplate()).scalableTarget.scheduledActions;

  test('the level in force at each minute follows the last action that fired', () => {
    const day = dayCapacity(actions, 3, '2027-01-13', NY, 8 * 60, 17 * 60);
    expect(day.counts).toHaveLength(541);
    expect([
      countAt(day, '09:09'),
      countAt(day, '09:10'),
      countAt(day, '10:29'),
      countAt(day, '10:30'),
    ]).toEqual([3, 6, 6, 3]);
    expect(day.segments.map((s) => `${s.from}-${s.to}:${s.tasks}`)).toEqual([
      '08:00-09:09:3',
      '09:10-10:29:6',
      '10:30-15:39:3',
      '15:40-16:29:5',
      '16:30-17:00:3',
    ]);
    expect(levelSince(day, '09:25')).toBe('09:10');
    expect(day.offset).toBe('-05:00 EST');
  });

  test('a Saturday keeps the level Friday 16:30 left', () => {
    const day = dayCapacity(actions, 7, '2027-01-16', NY, 0, 1439);
    expect(new Set(day.counts)).toEqual(new Set([3]));
    expect(taskHours(day)).toBe(72);
  });

  test('of two actions at the same instant the lower minimum applies, in either template order', () => {
    const preOpen = actions.find((a) => a.name === 'PreOpen')!;
    const hold = { ...preOpen, name: 'PreOpenHold', minCapacity: 4 };
    const rest = actions.filter((a) => a !== preOpen);
    for (const order of [
      [preOpen, hold],
      [hold, preOpen],
    ]) {
      const day = dayCapacity([...order, ...rest], 3, '2027-01-13', NY, 8 * 60, 17 * 60);
      expect([countAt(day, '09:09'), countAt(day, '09:10'), countAt(day, '10:29')]).toEqual([3, 4, 4]);
    }
  });

  test('with no action in the lookback the target minimum applies', () => {
    const day = dayCapacity([], 4, '2027-01-13', NY, 0, 59);
    expect(new Set(day.counts)).toEqual(new Set([4]));
  });

  test('luxon finds both DST switches of 2027 and the trading days around them', () => {
    expect(dstSwitches(NY, 2027)).toEqual([
      {
        switchDate: '2027-03-14',
        offsetBefore: '-05:00',
        offsetAfter: '-04:00',
        dstStarts: true,
        before: '2027-03-12',
        after: '2027-03-15',
      },
      {
        switchDate: '2027-11-07',
        offsetBefore: '-04:00',
        offsetAfter: '-05:00',
        dstStarts: false,
        before: '2027-11-05',
        after: '2027-11-08',
      },
    ]);
  });
});

describe('the plan of the fixture', () => {
  test('passes every check as written', () => {
    const p = plan();
    expect(p.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(p.capacity.preOpen).toEqual({ action: 'PreOpen', level: 6 });
    expect(p.capacity.preClose).toEqual({ action: 'PreClose', level: 5 });
  });

  test('a pre-open action at 09:30 leaves 09:25 at the floor and fails PLAN-CAP-1', () => {
    const t = fixtureTemplate();
    t.Resources.Target.Properties.ScheduledActions[0].Schedule = 'cron(30 9 ? * MON-FRI *)';
    const p = plan(t);
    expect(countAt(p.capacity.days[0], '09:25')).toBe(3);
    expect(checkStatus(p, 'PLAN-CAP-1')).toBe('fail');
    expect(checkStatus(p, 'PLAN-CAP-2')).toBe('pass');
  });

  test('a pre-open action at 09:24 is in force at 09:25 but its cold tasks are not serving: PLAN-CAP-4 fails', () => {
    const t = fixtureTemplate();
    t.Resources.Target.Properties.ScheduledActions[0].Schedule = 'cron(24 9 ? * MON-FRI *)';
    const p = plan(t);
    expect(checkStatus(p, 'PLAN-CAP-1')).toBe('pass');
    expect(checkStatus(p, 'PLAN-CAP-4')).toBe('fail');
  });

  test('schedules declared in UTC pass in winter and visibly break after the spring DST switch', () => {
    const t = fixtureTemplate();
    const utc = [
      'cron(10 14 ? * MON-FRI *)',
      'cron(30 15 ? * MON-FRI *)',
      'cron(40 20 ? * MON-FRI *)',
      'cron(30 21 ? * MON-FRI *)',
    ];
    t.Resources.Target.Properties.ScheduledActions.forEach((a: Record<string, unknown>, i: number) => {
      a.Schedule = utc[i];
      delete a.Timezone;
    });
    const p = plan(t);
    const open = p.checks.find((c) => c.id === 'PLAN-CAP-1')!;
    expect(open.status).toBe('fail');
    expect(open.details).toEqual([
      '2027-03-15 (-04:00 EDT): 3 tasks at 09:25, PreOpen level 6',
      '2027-11-05 (-04:00 EDT): 3 tasks at 09:25, PreOpen level 6',
    ]);
    expect(p.advisories.some((a) => a.includes('without a Timezone run in UTC'))).toBe(true);
  });

  test('a scheduled minimum below the FARGATE base fails PLAN-CAP-3', () => {
    const t = fixtureTemplate();
    t.Resources.Target.Properties.ScheduledActions[3].ScalableTargetAction.MinCapacity = 2;
    const p = plan(t);
    expect(checkStatus(p, 'PLAN-CAP-3')).toBe('fail');
  });

  test('default health checks (30 s x 5) move the budget to 150 s and fail PLAN-SERVE-2', () => {
    const t = fixtureTemplate();
    for (const tg of ['TgA', 'TgB']) {
      t.Resources[tg].Properties.HealthCheckIntervalSeconds = 30;
      t.Resources[tg].Properties.HealthyThresholdCount = 5;
    }
    const before = plan();
    const after = plan(t);
    expect(before.serveTime.healthCheckSeconds).toBe(10);
    expect(after.serveTime.healthCheckSeconds).toBe(150);
    expect(after.serveTime.cold.totalSeconds - before.serveTime.cold.totalSeconds).toBe(140);
    expect(checkStatus(after, 'PLAN-SERVE-2')).toBe('fail');
  });

  test('states both rollback clocks: failure onset (the requirement) and deployment start', () => {
    const p = plan(withHook(fixtureTemplate(), 120));
    const c = p.rollback.clocks;
    expect(c.fromFailureOnsetSeconds).toBe(p.rollback.budgetSeconds);
    expect(c.fromDeploymentStartSeconds).toBe(p.serveTime.cold.totalSeconds + 120 + p.rollback.budgetSeconds);
    expect(c.deploymentStartParts.map((x) => x.seconds)).toEqual([
      p.serveTime.cold.totalSeconds,
      120,
      p.rollback.budgetSeconds,
    ]);
  });

  test('no warm floor fails PLAN-SERVE-1', () => {
    const t = fixtureTemplate();
    t.Resources.Target.Properties.MinCapacity = 0;
    expect(checkStatus(plan(t), 'PLAN-SERVE-1')).toBe('fail');
  });

  test('the warm floor is the scalable target minimum, not a strategy base', () => {
    const t = fixtureTemplate();
    t.Resources.Target.Properties.MinCapacity = 5;
    expect(readPlanInputs(t).service.warmFloor).toBe(5);
    expect(checkStatus(plan(t), 'PLAN-CAP-6')).toBe('pass');
  });

  test('a base on the CODE_DEPLOY service strategy fails PLAN-CAP-6 (UpdateService cannot change it)', () => {
    const t = fixtureTemplate();
    t.Resources.Svc.Properties.CapacityProviderStrategy[0].Base = 3;
    expect(checkStatus(plan(t), 'PLAN-CAP-6')).toBe('fail');
  });

  test('the rollback budget is the slowest alarm: (evaluation periods + 1) x period + signal + latencies', () => {
    const p = plan();
    const fixed = assumptions.rollbackLatency.reduce((s, l) => s + l.seconds, 0);
    // UnHealthyHostCount also waits for the target group to mark a target unhealthy: 2 x 5 s.
    expect(p.rollback.budgetSeconds).toBe(10 + 3 * 60 + fixed);
    expect(p.rollback.worstAlarm).toBe('AUnhealthy');
  });

  test('a 1-of-3 alarm counts all three evaluation periods: an intermittent failure spreads over them', () => {
    const t = fixtureTemplate();
    Object.assign(t.Resources.B5xx.Properties, { EvaluationPeriods: 3, DatapointsToAlarm: 1 });
    const b5xx = plan(t).rollback.alarms.find((a) => a.alarm === 'B5xx')!;
    expect(b5xx.datapointSeconds).toBe(4 * 60);
  });

  test('five-minute alarm periods push the rollback past 300 s and fail PLAN-RB-1', () => {
    const t = fixtureTemplate();
    for (const a of ['A5xx', 'AUnhealthy', 'B5xx', 'BUnhealthy']) t.Resources[a].Properties.Period = 300;
    const p = plan(t);
    expect(p.rollback.budgetSeconds).toBeGreaterThan(300);
    expect(checkStatus(p, 'PLAN-RB-1')).toBe('fail');
  });

  test('alarms on only one target group fail PLAN-RB-4', () => {
    const t = fixtureTemplate();
    t.Resources.Group.Properties.AlarmConfiguration.Alarms = [{ Name: { Ref: 'A5xx' } }];
    const p = plan(t);
    expect(p.rollback.uncoveredTargetGroups).toEqual(['TgB']);
    expect(checkStatus(p, 'PLAN-RB-4')).toBe('fail');
  });

  test('rollback on alarm switched off fails PLAN-RB-2', () => {
    const t = fixtureTemplate();
    t.Resources.Group.Properties.AutoRollbackConfiguration.Events = ['DEPLOYMENT_FAILURE'];
    expect(checkStatus(plan(t), 'PLAN-RB-2')).toBe('fail');
  });

  test('a bake window shorter than the budget fails PLAN-RB-3', () => {
    const t = fixtureTemplate();
    t.Resources.Group.Properties.BlueGreenDeploymentConfiguration.TerminateBlueInstancesOnDeploymentSuccess.TerminationWaitTimeInMinutes = 1;
    expect(checkStatus(plan(t), 'PLAN-RB-3')).toBe('fail');
  });

  test('without the hook output the hook path is not modeled', () => {
    const p = plan();
    expect(p.rollback.hook).toBeUndefined();
    expect(p.checks.some((c) => c.id === 'PLAN-RB-5')).toBe(false);
    expect(p.advisories).toContain(
      'The validation hook path is not modeled: the template has no output ValidationHookFunctionName naming an AWS::Lambda::Function.',
    );
  });

  test('the hook output is followed to the Lambda and its Timeout bounds the hook path', () => {
    const p = plan(withHook(fixtureTemplate(), 120));
    expect(p.rollback.hook).toMatchObject({
      function: 'HookFn',
      timeoutSeconds: 120,
      timeoutDefaulted: false,
    });
    expect(checkStatus(p, 'PLAN-RB-5')).toBe('pass');
    expect(checkStatus(plan(withHook(fixtureTemplate(), 900)), 'PLAN-RB-5')).toBe('fail');
    expect(plan(withHook(fixtureTemplate(), undefined)).rollback.hook).toMatchObject({
      timeoutSeconds: 3,
      timeoutDefaulted: true,
    });
  });

  test('a hook output that names something else than a Lambda is an error', () => {
    const t = fixtureTemplate();
    t.Outputs.ValidationHookFunctionName = { Value: 'some-function' };
    expect(() => plan(t)).toThrow(
      'output ValidationHookFunctionName: expected a Ref/Fn::GetAtt to an AWS::Lambda::Function, found "some-function"',
    );
  });

  test('a canary shorter than the rollback budget is an advisory, not a failure', () => {
    const t = fixtureTemplate();
    t.Resources.Canary.Properties.TrafficRoutingConfig.TimeBasedCanary.CanaryInterval = 3;
    const p = plan(t);
    expect(p.rollback.maxExposurePercent).toBe(100);
    expect(
      p.advisories.some((a) =>
        a.startsWith('The TimeBasedCanary interval (3 min) is shorter than the rollback budget'),
      ),
    ).toBe(true);
    expect(plan().rollback.maxExposurePercent).toBe(10);
  });
});

describe('cost', () => {
  test('price per task-hour is vCPU x vCPU-hour + GB x GB-hour from the dated table', () => {
    const arm = assumptions.pricing.prices.ARM64;
    expect(pricePerTaskHour(assumptions, 'ARM64', 2048, 4096)).toBeCloseTo(
      2 * arm.perVcpuHour + 4 * arm.perGbHour,
      10,
    );
  });

  test('a day is priced from the per-minute counts, a month from 5/7 weekdays of 730 h', () => {
    const p = plan();
    // Fixture: 3 tasks all day, 6 from 09:10 to 10:30 (80 min), 5 from 15:40 to 16:30 (50 min).
    const weekdayTaskHours = 3 * 24 + (3 * 80 + 2 * 50) / 60;
    expect(p.cost.taskHoursPerTradingDay).toBeCloseTo(weekdayTaskHours, 3);
    expect(p.cost.taskHoursPerWeekendDay).toBe(72);
    const arm = p.cost.configurations.find((c) => c.id === 'new-ARM64')!;
    const hourly = pricePerTaskHour(assumptions, 'ARM64', 2048, 4096);
    const month = (730 / 24) * ((5 / 7) * weekdayTaskHours * hourly + (2 / 7) * 72 * hourly);
    expect(arm.perMonth).toBeCloseTo(month, 1);
    expect(arm.perTradingDay).toBeCloseTo(weekdayTaskHours * hourly, 2);
  });

  test('the old configuration is priced at the same counts and the new running one is cheaper', () => {
    const p = plan();
    const old = p.cost.configurations.find((c) => c.id === 'old')!;
    expect([old.cpuUnits, old.memoryMiB, old.architecture]).toEqual([4096, 8192, 'X86_64']);
    expect(checkStatus(p, 'PLAN-COST-1')).toBe('pass');
  });

  test('a running task definition larger than the old one fails PLAN-COST-1', () => {
    const t = fixtureTemplate();
    t.Resources.TdArm.Properties.Cpu = '8192';
    t.Resources.TdArm.Properties.Memory = '16384';
    expect(checkStatus(plan(t), 'PLAN-COST-1')).toBe('fail');
  });
});
