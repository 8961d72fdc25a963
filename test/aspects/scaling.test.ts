import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type { Stack } from 'aws-cdk-lib';
import { PredictiveForecastAndScaleRule } from '../../aspects/scaling/predictive-forecast-and-scale';
import { ScalableTargetWarmFloorRule } from '../../aspects/scaling/scalable-target-warm-floor';
import {
  cronWeekdayField,
  ScheduledActionsNewYorkWeekdaysRule,
} from '../../aspects/scaling/scheduled-actions-new-york-weekdays';
import { findingsOf, ids, ruleTestStack } from '../helpers/rules';

const NEW_YORK = 'America/New_York';

function target(
  stack: Stack,
  minCapacity: number,
  scheduledActions: appscaling.CfnScalableTarget.ScheduledActionProperty[],
) {
  return new appscaling.CfnScalableTarget(stack, 'Target', {
    serviceNamespace: 'ecs',
    scalableDimension: 'ecs:service:DesiredCount',
    resourceId: 'service/c/s',
    minCapacity,
    maxCapacity: 8,
    scheduledActions,
  });
}

const action = (name: string, schedule: string, minCapacity: number, timezone?: string) => ({
  scheduledActionName: name,
  schedule,
  timezone,
  scalableTargetAction: { minCapacity, maxCapacity: 8 },
});

describe('TAP-SCL-1 scheduled actions in New York, Monday to Friday', () => {
  test('passes for New York MON-FRI cron schedules', () => {
    const { app, stack } = ruleTestStack();
    target(stack, 2, [action('PreOpen', 'cron(10 9 ? * MON-FRI *)', 4, NEW_YORK)]);
    expect(ids(findingsOf(app, new ScheduledActionsNewYorkWeekdaysRule()))).toEqual([]);
  });

  test('fails with TAP-SCL-1 for a UTC action and for a weekend-inclusive schedule', () => {
    const { app, stack } = ruleTestStack();
    target(stack, 2, [
      action('Utc', 'cron(10 13 ? * MON-FRI *)', 4),
      action('Daily', 'cron(10 9 ? * * *)', 4, NEW_YORK),
      action('Rate', 'rate(1 day)', 4, NEW_YORK),
    ]);
    const findings = findingsOf(app, new ScheduledActionsNewYorkWeekdaysRule());
    expect(ids(findings)).toEqual(['TAP-SCL-1 @ Target', 'TAP-SCL-1 @ Target', 'TAP-SCL-1 @ Target']);
    expect(findings.map((f) => f.message.split('. Why')[0])).toEqual([
      'TAP-SCL-1: scheduled action Utc runs in "UTC", not America/New_York',
      'TAP-SCL-1: scheduled action Daily has schedule "cron(10 9 ? * * *)": the cron day-of-week field must be MON-FRI',
      'TAP-SCL-1: scheduled action Rate has schedule "rate(1 day)": the cron day-of-week field must be MON-FRI',
    ]);
  });

  test('reads the day-of-week field of a six-field cron expression only', () => {
    expect(cronWeekdayField('cron(10 9 ? * MON-FRI *)')).toBe('MON-FRI');
    expect(cronWeekdayField('cron(10 9 ? * MON-FRI)')).toBeUndefined();
    expect(cronWeekdayField({ Ref: 'X' })).toBeUndefined();
  });
});

describe('TAP-SCL-2 predictive scaling scales', () => {
  const predictive = (stack: Stack, mode?: string) =>
    new appscaling.CfnScalingPolicy(stack, 'Predictive', {
      policyName: 'p',
      policyType: 'PredictiveScaling',
      scalingTargetId: 't',
      predictiveScalingPolicyConfiguration: {
        mode,
        metricSpecifications: [
          {
            targetValue: 50,
            predefinedMetricPairSpecification: { predefinedMetricType: 'ECSServiceCPUUtilization' },
          },
        ],
      },
    });

  test('passes for ForecastAndScale', () => {
    const { app, stack } = ruleTestStack();
    predictive(stack, 'ForecastAndScale');
    expect(ids(findingsOf(app, new PredictiveForecastAndScaleRule()))).toEqual([]);
  });

  test('fails with TAP-SCL-2 for ForecastOnly and for no mode (the default)', () => {
    for (const mode of ['ForecastOnly', undefined]) {
      const { app, stack } = ruleTestStack();
      predictive(stack, mode);
      const findings = findingsOf(app, new PredictiveForecastAndScaleRule());
      expect(ids(findings)).toEqual(['TAP-SCL-2 @ Predictive']);
      expect(findings[0].message).toContain(mode ?? 'ForecastOnly (default)');
    }
  });
});

describe('TAP-SCL-3 scalable-target and scheduled minimums cover the warm floor', () => {
  test('passes when MinCapacity and every scheduled minimum are at least the floor', () => {
    const { app, stack } = ruleTestStack();
    target(stack, 2, [action('PostOpen', 'cron(30 10 ? * MON-FRI *)', 2, NEW_YORK)]);
    expect(ids(findingsOf(app, new ScalableTargetWarmFloorRule(2)))).toEqual([]);
  });

  test('fails with TAP-SCL-3 for a MinCapacity and a scheduled minimum below the floor', () => {
    const { app, stack } = ruleTestStack();
    target(stack, 1, [action('PostOpen', 'cron(30 10 ? * MON-FRI *)', 1, NEW_YORK)]);
    const findings = findingsOf(app, new ScalableTargetWarmFloorRule(2));
    expect(findings.map((f) => f.message.split('. Why')[0])).toEqual([
      'TAP-SCL-3: has MinCapacity 1, below the warm floor of 2',
      'TAP-SCL-3: scheduled action PostOpen sets MinCapacity 1, below the warm floor of 2',
    ]);
  });
});
