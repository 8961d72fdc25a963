import { loadAssumptions } from '../../../tools/plan/assumptions';
import { countAt, levelSince } from '../../../tools/plan/capacity';
import { stableJson } from '../../../tools/plan/json';
import { renderMarkdown } from '../../../tools/plan/markdown';
import { type ProfilePlan, buildReport, computeProfilePlan } from '../../../tools/plan/plan';
import { synthesizeStack } from '../../../tools/plan/synth';

/**
 * The plan of the real stack: synthesized once for the default profile (and once with a schedule override),
 * then mutated as JSON to show each figure move and its check fail.
 */
const assumptions = loadAssumptions();
const dev = synthesizeStack('dev');
const devPlan = computeProfilePlan(dev.template, assumptions, 'dev', dev.stackName);

/** Tests reach into deep template paths freely. */

type Json = Record<string, any>;
const clone = (): Json => structuredClone(dev.template);
const ofType = (t: Json, type: string): Json[] =>
  Object.values(t.Resources as Record<string, Json>).filter((r) => r.Type === type);
const planOf = (t: Json): ProfilePlan => computeProfilePlan(t, assumptions, 'dev', dev.stackName);
const status = (p: ProfilePlan, id: string) => p.checks.find((c) => c.id === id)?.status;
const scheduled = (t: Json) =>
  ofType(t, 'AWS::ApplicationAutoScaling::ScalableTarget')[0].Properties.ScheduledActions as Json[];

describe('the plan of the synthesized dev stack', () => {
  test('passes every check', () => {
    expect(devPlan.checks.filter((c) => c.status === 'fail')).toEqual([]);
  });

  test('reads the pre-open and pre-close levels and the warm floor from the template', () => {
    const t = clone();
    const byName = (name: string) => scheduled(t).find((a) => a.ScheduledActionName === name)!;
    const target = ofType(t, 'AWS::ApplicationAutoScaling::ScalableTarget')[0];
    expect(devPlan.capacity.preOpen.level).toBe(byName('PreOpen').ScalableTargetAction.MinCapacity);
    expect(devPlan.capacity.preClose.level).toBe(byName('PreClose').ScalableTargetAction.MinCapacity);
    expect(devPlan.capacity.warmFloor).toBe(target.Properties.MinCapacity);
    expect(countAt(devPlan.capacity.days[0], '09:25')).toBe(devPlan.capacity.preOpen.level);
    expect(countAt(devPlan.capacity.days[0], '15:55')).toBe(devPlan.capacity.preClose.level);
  });

  test('evaluates the standard day and the trading days around both DST switches', () => {
    expect(devPlan.capacity.days.map((d) => `${d.date} ${d.offset}`)).toEqual([
      '2027-01-13 -05:00 EST',
      '2027-03-12 -05:00 EST',
      '2027-03-15 -04:00 EDT',
      '2027-11-05 -04:00 EDT',
      '2027-11-08 -05:00 EST',
    ]);
    expect(devPlan.capacity.days.every((d) => d.counts.length === 541)).toBe(true);
  });

  test('the health-check budget is the target groups’ interval x healthy threshold', () => {
    const tgs = ofType(clone(), 'AWS::ElasticLoadBalancingV2::TargetGroup');
    const expected = Math.max(
      ...tgs.map((tg) => tg.Properties.HealthCheckIntervalSeconds * tg.Properties.HealthyThresholdCount),
    );
    expect(devPlan.serveTime.healthCheckSeconds).toBe(expected);
  });

  test('a longer health-check interval in the template moves the budget and fails PLAN-SERVE-2', () => {
    const t = clone();
    for (const tg of ofType(t, 'AWS::ElasticLoadBalancingV2::TargetGroup'))
      tg.Properties.HealthCheckIntervalSeconds = 30;
    const p = planOf(t);
    expect(p.serveTime.healthCheckSeconds).toBe(30 * 2);
    expect(p.serveTime.cold.totalSeconds).toBe(devPlan.serveTime.cold.totalSeconds + 50);
    expect(status(devPlan, 'PLAN-SERVE-2')).toBe('pass');
    expect(status(p, 'PLAN-SERVE-2')).toBe('fail');
  });

  test('a pre-open action moved to 09:30 in the template fails PLAN-CAP-1', () => {
    const t = clone();
    // Every dated segment of the weekday pre-open action (the calendar splits it at holidays).
    const preOpen = scheduled(t).filter((a) => /^PreOpen(-from-|$)/.test(a.ScheduledActionName as string));
    expect(preOpen.length).toBeGreaterThan(1);
    for (const a of preOpen) a.Schedule = 'cron(30 9 ? * MON-FRI *)';
    const p = planOf(t);
    expect(countAt(p.capacity.days[0], '09:25')).toBe(p.capacity.warmFloor);
    expect(status(p, 'PLAN-CAP-1')).toBe('fail');
  });

  test('the same schedule declared in UTC breaks on the EDT side of the DST switches', () => {
    const t = clone();
    for (const a of scheduled(t)) {
      if (!(a.Schedule as string).startsWith('cron(')) continue; // the early-close one-offs
      const [, minute, hour] = /^cron\((\d+) (\d+) /.exec(a.Schedule as string)!;
      a.Schedule = `cron(${minute} ${Number(hour) + 5} ? * MON-FRI *)`;
      a.Timezone = 'UTC';
    }
    const p = planOf(t);
    const failingDates = p.checks.find((c) => c.id === 'PLAN-CAP-1')!.details.map((d) => d.slice(0, 10));
    expect(failingDates).toEqual(['2027-03-15', '2027-11-05']);
  });

  test('five-minute rollback alarm periods push the rollback budget past 300 s', () => {
    const t = clone();
    const group = ofType(t, 'AWS::CodeDeploy::DeploymentGroup')[0];
    for (const entry of group.Properties.AlarmConfiguration.Alarms as Json[]) {
      t.Resources[entry.Name.Ref].Properties.Period = 300;
    }
    const p = planOf(t);
    expect(devPlan.rollback.budgetSeconds).toBeLessThanOrEqual(300);
    expect(p.rollback.budgetSeconds).toBeGreaterThan(300);
    expect(status(p, 'PLAN-RB-1')).toBe('fail');
  });

  test('the hook path comes from the hook Lambda the template exposes', () => {
    expect(devPlan.rollback.hook).toMatchObject({
      function: 'PlatformValidationHookFunctionF6A3F319',
      timeoutSeconds: 60,
      timeoutDefaulted: false,
    });
    const t = clone();
    t.Resources.PlanTestHook = { Type: 'AWS::Lambda::Function', Properties: { Timeout: 120 } };
    t.Outputs.ValidationHookFunctionName = { Value: { Ref: 'PlanTestHook' } };
    expect(planOf(t).rollback.hook?.timeoutSeconds).toBe(120);
  });

  test('the report is the same when computed twice', () => {
    const again = computeProfilePlan(dev.template, assumptions, 'dev', dev.stackName);
    const a = buildReport([devPlan], assumptions, 'dev');
    const b = buildReport([again], assumptions, 'dev');
    expect(stableJson(b)).toBe(stableJson(a));
    expect(renderMarkdown(b, assumptions)).toBe(renderMarkdown(a, assumptions));
  });
});

describe('a configuration key changes the plan through the template', () => {
  test('preOpenTime=09:00 starts the pre-open level 10 minutes earlier and costs 10 more minutes of it', () => {
    const early = synthesizeStack('dev', { preOpenTime: '09:00' });
    const p = computeProfilePlan(early.template, assumptions, 'dev', early.stackName);
    expect(levelSince(devPlan.capacity.days[0], '09:25')).toBe('09:10');
    expect(levelSince(p.capacity.days[0], '09:25')).toBe('09:00');
    const extraTaskHours = ((p.capacity.preOpen.level - p.capacity.warmFloor) * 10) / 60;
    expect(p.cost.taskHoursPerTradingDay - devPlan.cost.taskHoursPerTradingDay).toBeCloseTo(
      extraTaskHours,
      3,
    );
    const arm = (x: ProfilePlan) => x.cost.configurations.find((c) => c.id === 'new-ARM64')!.perTradingDay;
    expect(arm(p)).toBeGreaterThan(arm(devPlan));
  });
});
