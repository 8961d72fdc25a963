import * as fs from 'fs';
import * as path from 'path';
import { ASSUMPTIONS_FILE, loadAssumptions } from '../../../tools/plan/assumptions';
import { PlanInputError } from '../../../tools/plan/cfn';
import { parseDaySimulation } from '../../../tools/plan/day-assumptions';
import { newConfiguration, oldConfiguration, simulateProfileDay } from '../../../tools/plan/day-plan';
import { DAY_SECONDS, assertPlainDay, demandCurve, sessionShape } from '../../../tools/plan/demand';
import { readPlanInputs } from '../../../tools/plan/inputs';
import { REACTION_ASSUMPTIONS } from '../../../tools/plan/reaction';
import { synthesizeStack } from '../../../tools/plan/synth';
import { serveTime } from '../../../tools/plan/timing';
import { REPO_ROOT } from '../../helpers/synth';
import { fixtureTemplate } from './fixture-template';

const assumptions = loadAssumptions();
const sim = assumptions.daySimulation;
const hms = (h: number, m: number, s = 0) => h * 3600 + m * 60 + s;

describe('the intraday demand curve', () => {
  test('is flat to the first bucket midpoint, linear between midpoints, flat from the last one, absent outside', () => {
    const shape = (t: number) => sessionShape([10, 20], 30, '09:30', t);
    expect([
      shape(hms(9, 29, 59)),
      shape(hms(9, 30)),
      shape(hms(9, 45)),
      shape(hms(10, 0)),
      shape(hms(10, 15)),
      shape(hms(10, 29, 59)),
      shape(hms(10, 30)),
    ]).toEqual([undefined, 0.5, 0.5, 0.75, 1, 1, undefined]);
  });

  test('peaks at the requested units, holds the off-hours levels and multiplies by the largest overlapping burst', () => {
    const d = demandCurve(
      {
        ...sim,
        bursts: [
          { label: 'a', at: '11:00', seconds: 120, multiplier: 2 },
          { label: 'b', at: '11:01', seconds: 60, multiplier: 3 },
        ],
      },
      1000,
    );
    expect(d.perSecond.length).toBe(DAY_SECONDS);
    expect(Math.max(...d.base)).toBeCloseTo(1000, 9);
    expect(d.perSecond[hms(3, 0)]).toBeCloseTo(1000 * sim.offHours.overnightShareOfPeak, 9);
    expect(d.perSecond[hms(8, 0)]).toBeCloseTo(1000 * sim.offHours.extendedShareOfPeak, 9);
    expect(d.perSecond[hms(11, 0, 30)] / d.base[hms(11, 0, 30)]).toBeCloseTo(2, 9);
    expect(d.perSecond[hms(11, 1, 30)] / d.base[hms(11, 1, 30)]).toBeCloseTo(3, 9);
    expect(d.perSecond[hms(11, 2)]).toBe(d.base[hms(11, 2)]);
  });

  test('refuses a DST switch day, which is not 24 hours of wall-clock seconds', () => {
    expect(() => assertPlainDay('2027-03-14', 'America/New_York')).toThrow(
      'day simulation: 2027-03-14 in America/New_York is 23 h long (a DST switch); choose a 24-hour day (daySimulation.day)',
    );
    expect(() => assertPlainDay(sim.day, 'America/New_York')).not.toThrow();
  });
});

describe('the daySimulation assumptions', () => {
  const raw = () => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, ASSUMPTIONS_FILE), 'utf8'));

  test('use the same delays and old configuration as the reaction table', () => {
    expect(sim.metricDelays.ecsMetricSeconds).toBe(REACTION_ASSUMPTIONS.ecsMetricDelaySeconds);
    expect(sim.metricDelays.emfSeconds).toBe(REACTION_ASSUMPTIONS.emfDelaySeconds);
    expect(sim.metricDelays.policyToPlacementSeconds).toBe(REACTION_ASSUMPTIONS.policyToPlacementSeconds);
    expect(sim.old.reactionSeconds).toBe(REACTION_ASSUMPTIONS.old.reactionSeconds);
    expect(sim.old.startSeconds).toBe(REACTION_ASSUMPTIONS.old.startSeconds);
  });

  test('record the source, retrieval date and verification status of the volume profile', () => {
    expect(sim.intradayVolume.source).toContain('Jain and Joh (1988)');
    expect(sim.intradayVolume.retrievedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(sim.intradayVolume.verification).toContain('Not re-verified online');
  });

  test('refuse shares that do not sum to 100, naming the key and the sum', () => {
    const bad = raw();
    bad.daySimulation.intradayVolume.sharesPercent = [50, 40];
    expect(() => parseDaySimulation(ASSUMPTIONS_FILE, bad)).toThrow(
      'data/plan-assumptions.json: daySimulation.intradayVolume.sharesPercent = [50,40]: expected shares summing to 100 (they sum to 90)',
    );
  });

  test('refuse a burst time that is not HH:MM', () => {
    const bad = raw();
    bad.daySimulation.bursts[0].at = '25:00';
    expect(() => parseDaySimulation(ASSUMPTIONS_FILE, bad)).toThrow(
      'data/plan-assumptions.json: daySimulation.bursts.0.at = "25:00": expected a local time HH:MM',
    );
  });
});

describe('the configurations read from the template', () => {
  const prod = synthesizeStack('prod').template;
  const inputs = readPlanInputs(prod);
  const start = serveTime(inputs, assumptions.fargateColdStart).cold.totalSeconds;
  const fresh = newConfiguration(prod, inputs, sim, 'America/New_York', start, new Float64Array(DAY_SECONDS));

  test('new: the scalable target, target tracking, both step policies with their alarms, predictive, the schedule', () => {
    expect([fresh.minCapacity, fresh.maxCapacity, fresh.cpuUnitsPerTask, fresh.unitsPerTask]).toEqual([
      inputs.scalableTarget.minCapacity,
      inputs.scalableTarget.maxCapacity,
      2048,
      1024,
    ]);
    expect(fresh.targetTracking).toMatchObject({
      targetPercent: 50,
      scaleOutCooldownSeconds: 60,
      scaleInCooldownSeconds: 300,
      metricDelaySeconds: 60,
    });
    expect(
      fresh.stepPolicies.map((p) => [
        p.metric,
        p.periodSeconds,
        p.threshold,
        p.cooldownSeconds,
        p.metricDelaySeconds,
      ]),
    ).toEqual([
      ['cpu', 60, 75, 60, 60],
      ['inFlight', 10, 100, 30, 10],
    ]);
    expect(fresh.predictive?.bufferSeconds).toBe(600);
    expect(fresh.scheduledMinByMinute?.[9 * 60 + 25]).toBe(24);
    expect(fresh.startSeconds).toBe(start);
  });

  test('old: converted at equal work (1800 units per 4096-unit task), 5 one-minute datapoints, 90 s starts', () => {
    const old = oldConfiguration(assumptions, fresh);
    expect([old.minCapacity, old.maxCapacity]).toEqual([
      Math.ceil((fresh.minCapacity * 1024) / 1800),
      Math.ceil((fresh.maxCapacity * 1024) / 1800),
    ]);
    expect(old.targetTracking).toMatchObject({ scaleOutDatapoints: 5, metricDelaySeconds: 0 });
    expect(old.targetTracking?.targetPercent).toBeCloseTo((100 * 1800) / 4096, 9);
    expect([old.startSeconds, old.policyDelaySeconds, old.stepPolicies, old.scheduledMinByMinute]).toEqual([
      90,
      0,
      [],
      undefined,
    ]);
  });

  test('on the same day the new configuration is short for fewer seconds and less work, and costs less', () => {
    const day = simulateProfileDay(prod, inputs, assumptions, 24, start);
    const [old, neu] = day.configurations;
    expect(neu.summary.shortfallSeconds).toBeLessThan(old.summary.shortfallSeconds);
    expect(neu.summary.shortfallUnitSeconds).toBeLessThan(old.summary.shortfallUnitSeconds);
    expect(neu.summary.cost).toBeLessThan(old.summary.cost);
    expect(neu.timeline.demand).toEqual(old.timeline.demand);
  });

  test('a scaling alarm on a metric the model does not know is refused, naming it', () => {
    const t = fixtureTemplate();
    t.Resources.StepAlarm.Properties.MetricName = 'QueueDepth';
    t.Resources.StepAlarm.Properties.Namespace = 'Custom';
    expect(() =>
      newConfiguration(t, readPlanInputs(t), sim, 'America/New_York', 60, new Float64Array(DAY_SECONDS)),
    ).toThrow(
      new PlanInputError(
        'AWS::CloudWatch::Alarm StepAlarm: metric Custom/QueueDepth has no model in the day simulation (known: AWS/ECS/CPUUtilization, InFlightOrdersPerTask)',
      ),
    );
  });
});
