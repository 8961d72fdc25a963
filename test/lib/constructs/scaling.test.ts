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
        {
          ScheduledActionName: name,
          Schedule: schedule,
          Timezone: 'America/New_York',
          ScalableTargetAction: { MinCapacity: minCapacity, MaxCapacity: 8 },
        },
      ]),
    });
  });

  test('raise the floor before 09:30 and 16:00 and lower it after each spike, nothing else', () => {
    const targets = dev.findResources('AWS::ApplicationAutoScaling::ScalableTarget');
    const actions = Object.values(targets)[0].Properties.ScheduledActions as Array<{
      ScheduledActionName: string;
    }>;
    expect(actions.map((a) => a.ScheduledActionName)).toEqual([
      'PreOpen',
      'PostOpen',
      'PreClose',
      'PostClose',
    ]);
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
