import { Match, type Template } from 'aws-cdk-lib/assertions';
import { synthTemplate } from '../../helpers/synth';

// dev: floor 1 + warm 1 = warm floor 2, max 8, 4 tasks before the open and the close.
let dev: Template;
beforeAll(() => {
  dev = synthTemplate();
});

const serviceResourceId = Match.objectLike({
  'Fn::Join': ['', Match.arrayWith(['service/', '/'])],
});

describe('scalable target', () => {
  test('scales the service desired count between the warm floor and the maximum', () => {
    dev.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ServiceNamespace: 'ecs',
      ScalableDimension: 'ecs:service:DesiredCount',
      ResourceId: serviceResourceId,
      MinCapacity: 2,
      MaxCapacity: 8,
    });
  });

  test('uses the ECS service-linked role instead of a new IAM role', () => {
    dev.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      RoleARN: Match.objectLike({
        'Fn::Join': [
          '',
          Match.arrayWith([
            Match.stringLikeRegexp(
              ':role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService$',
            ),
          ]),
        ],
      }),
    });
  });
});

describe('scheduled actions', () => {
  test.each([
    ['PreOpen', 'cron(10 9 ? * MON-FRI *)', 4],
    ['PostOpen', 'cron(30 10 ? * MON-FRI *)', 2],
    ['PreClose', 'cron(40 15 ? * MON-FRI *)', 4],
    ['PostClose', 'cron(30 16 ? * MON-FRI *)', 2],
  ])('%s runs %s in America/New_York and sets the minimum to %d', (name, schedule, minCapacity) => {
    dev.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ScheduledActions: Match.arrayWith([
        // The first segment of each weekday action; it ends before the calendar's first closed day.
        Match.objectLike({
          ScheduledActionName: name,
          Schedule: schedule,
          Timezone: 'America/New_York',
          ScalableTargetAction: { MinCapacity: minCapacity, MaxCapacity: 8 },
        }),
      ]),
    });
  });

  const actions = () =>
    Object.values(dev.findResources('AWS::ApplicationAutoScaling::ScalableTarget'))[0].Properties
      .ScheduledActions as Array<{
      ScheduledActionName: string;
      Schedule: string;
      Timezone: string;
      StartTime?: string;
      EndTime?: string;
      ScalableTargetAction: { MinCapacity: number; MaxCapacity: number };
    }>;

  test('raise the floor before 09:30 and 16:00 and lower it after each spike, nothing else', () => {
    const kinds = new Set(
      actions().map((a) => a.ScheduledActionName.replace(/-(from-)?\d{4}-\d{2}-\d{2}$/, '')),
    );
    expect([...kinds]).toEqual([
      'PreOpen',
      'PostOpen',
      'PreClose',
      'PostClose',
      'EarlyPreClose',
      'EarlyPostClose',
    ]);
    // Application Auto Scaling allows 200 scheduled actions per scalable target.
    expect(actions().length).toBeLessThanOrEqual(200);
    expect(actions().every((a) => a.Timezone === 'America/New_York')).toBe(true);
  });

  test('skip the exchange holidays: no weekday segment spans Christmas Day 2026 (2026-12-25, New York)', () => {
    const dayStart = Date.parse('2026-12-25T05:00:00Z');
    const dayEnd = Date.parse('2026-12-26T05:00:00Z');
    const spanning = actions().filter(
      (a) =>
        a.Schedule.startsWith('cron(') &&
        (a.StartTime === undefined || Date.parse(a.StartTime) < dayEnd) &&
        (a.EndTime === undefined || Date.parse(a.EndTime) > dayStart),
    );
    expect(spanning).toEqual([]);
  });

  test('raise and lower the floor around the 13:00 close of 2027-11-26, and skip 15:40 that day', () => {
    expect(actions().filter((a) => a.Schedule.startsWith('at(2027-11-26'))).toEqual([
      {
        ScheduledActionName: 'EarlyPreClose-2027-11-26',
        Schedule: 'at(2027-11-26T12:40:00)',
        Timezone: 'America/New_York',
        ScalableTargetAction: { MinCapacity: 4, MaxCapacity: 8 },
      },
      {
        ScheduledActionName: 'EarlyPostClose-2027-11-26',
        Schedule: 'at(2027-11-26T13:30:00)',
        Timezone: 'America/New_York',
        ScalableTargetAction: { MinCapacity: 2, MaxCapacity: 8 },
      },
    ]);
    const preClose = actions().filter((a) => a.ScheduledActionName.startsWith('PreClose'));
    const nov26 = Date.parse('2027-11-26T20:40:00Z'); // 15:40 EST
    expect(
      preClose.filter(
        (a) =>
          (a.StartTime === undefined || Date.parse(a.StartTime) <= nov26) &&
          (a.EndTime === undefined || Date.parse(a.EndTime) > nov26),
      ),
    ).toEqual([]);
  });

  test('follow the configured times and task counts', () => {
    const template = synthTemplate({ preOpenTime: '08:55', preOpenTasks: '6' });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ScheduledActions: Match.arrayWith([
        Match.objectLike({
          ScheduledActionName: 'PreOpen',
          Schedule: 'cron(55 8 ? * MON-FRI *)',
          ScalableTargetAction: { MinCapacity: 6, MaxCapacity: 8 },
        }),
      ]),
    });
  });
});

describe('predictive scaling', () => {
  test('forecasts and scales on the ECS CPU metric pair, ahead of the hour by a buffer', () => {
    dev.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyName: 'orderbroker-dev-predictive',
      PolicyType: 'PredictiveScaling',
      ScalingTargetId: { Ref: Match.stringLikeRegexp('^PlatformScalingTarget') },
      PredictiveScalingPolicyConfiguration: {
        Mode: 'ForecastAndScale',
        SchedulingBufferTime: 600,
        MaxCapacityBreachBehavior: 'HonorMaxCapacity',
        MetricSpecifications: [
          {
            TargetValue: 50,
            PredefinedMetricPairSpecification: { PredefinedMetricType: 'ECSServiceCPUUtilization' },
          },
        ],
      },
    });
  });
});

describe('reactive scaling for the unforeseen', () => {
  test('target tracking keeps average CPU at the target, scaling out after one minute of cooldown', () => {
    dev.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 50,
        ScaleOutCooldown: 60,
        ScaleInCooldown: 300,
      },
    });
  });

  test('a CPU burst adds warm-task-sized steps after a single one-minute datapoint', () => {
    dev.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: {
        AdjustmentType: 'ChangeInCapacity',
        StepAdjustments: [
          { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 15, ScalingAdjustment: 1 },
          { MetricIntervalLowerBound: 15, ScalingAdjustment: 2 },
        ],
      },
    });
    dev.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'CPUUtilization',
      Namespace: 'AWS/ECS',
      Threshold: 75,
      Period: 60,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('CpuBurstUpperPolicy') }],
    });
  });
});

describe('sub-minute reaction under CodeDeploy', () => {
  test('a 10-second alarm on the 1 s in-flight orders metric drives a step policy', () => {
    dev.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'InFlightOrdersPerTask',
      Namespace: 'TradingPlatform/OrderBroker',
      Dimensions: [{ Name: 'Environment', Value: 'dev' }],
      Statistic: 'Average',
      Period: 10,
      Threshold: 100,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('InFlightBurstUpperPolicy') }],
    });
    dev.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyName: Match.stringLikeRegexp('InFlightBurstUpperPolicy'),
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: {
        AdjustmentType: 'ChangeInCapacity',
        Cooldown: 30,
        StepAdjustments: [
          { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 50, ScalingAdjustment: 1 },
          { MetricIntervalLowerBound: 50, ScalingAdjustment: 2 },
        ],
      },
    });
  });

  test('the one-minute CPU burst policy stays as the fallback', () => {
    const steps = Object.values(dev.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
      String(JSON.stringify(a.Properties.AlarmActions)).includes('BurstUpperPolicy'),
    );
    expect(steps.map((a) => [a.Properties.MetricName, a.Properties.Period]).sort()).toEqual([
      ['CPUUtilization', 60],
      ['InFlightOrdersPerTask', 10],
    ]);
  });
});
