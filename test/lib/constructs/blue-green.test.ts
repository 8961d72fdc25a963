import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { TapApp } from '../../../lib/app';
import { resourceByPrefix, synthTemplate } from '../../helpers/synth';

let dev: Template & { tapApp: TapApp };
beforeAll(() => {
  dev = synthTemplate();
});

const ref = (prefix: string) => ({ Ref: Match.stringLikeRegexp(`^${prefix}`) });

function deploymentGroup(template: Template): any {
  const groups = Object.values(template.findResources('AWS::CodeDeploy::DeploymentGroup'));
  expect(groups).toHaveLength(1);
  return groups[0].Properties;
}

test('a CodeDeploy ECS application owns the deployments', () => {
  dev.hasResourceProperties('AWS::CodeDeploy::Application', {
    ApplicationName: 'orderbroker-dev',
    ComputePlatform: 'ECS',
  });
});

test('the deployment group is blue/green with traffic control for the OrderBroker service', () => {
  expect(deploymentGroup(dev)).toMatchObject({
    DeploymentGroupName: 'orderbroker-dev',
    DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
  });
  dev.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
    ECSServices: [
      {
        ClusterName: ref('PlatformOrderBrokerCluster'),
        ServiceName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PlatformOrderBrokerService'), 'Name'] },
      },
    ],
  });
});

test('production traffic routes through the production listener, test traffic through the 9090 listener', () => {
  dev.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
    LoadBalancerInfo: {
      TargetGroupPairInfoList: [
        {
          ProdTrafficRoute: { ListenerArns: [ref('PlatformLoadBalancingAlbProductionListener')] },
          TestTrafficRoute: { ListenerArns: [ref('PlatformLoadBalancingAlbTestListener')] },
          TargetGroups: [
            {
              Name: {
                'Fn::GetAtt': [
                  Match.stringLikeRegexp('^PlatformLoadBalancingBlueTargetGroup'),
                  'TargetGroupName',
                ],
              },
            },
            {
              Name: {
                'Fn::GetAtt': [
                  Match.stringLikeRegexp('^PlatformLoadBalancingGreenTargetGroup'),
                  'TargetGroupName',
                ],
              },
            },
          ],
        },
      ],
    },
  });
});

test('traffic shifts as a 10% canary for 5 minutes, never all at once', () => {
  dev.hasResourceProperties('AWS::CodeDeploy::DeploymentConfig', {
    ComputePlatform: 'ECS',
    TrafficRoutingConfig: {
      Type: 'TimeBasedCanary',
      TimeBasedCanary: { CanaryPercentage: 10, CanaryInterval: 5 },
    },
  });
  expect(deploymentGroup(dev).DeploymentConfigName).toEqual({
    Ref: expect.stringMatching(/^PlatformBlueGreenCanary/),
  });
});

test('blue stays alive for the bake window after the shift so an alarm can still roll back', () => {
  expect(deploymentGroup(dev).BlueGreenDeploymentConfiguration).toEqual({
    DeploymentReadyOption: { ActionOnTimeout: 'CONTINUE_DEPLOYMENT', WaitTimeInMinutes: 0 },
    TerminateBlueInstancesOnDeploymentSuccess: { Action: 'TERMINATE', TerminationWaitTimeInMinutes: 10 },
  });
});

test('a deployment rolls back automatically on failure, on stop and on alarm', () => {
  expect(deploymentGroup(dev).AutoRollbackConfiguration).toEqual({
    Enabled: true,
    Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST', 'DEPLOYMENT_STOP_ON_ALARM'],
  });
});

test('5xx, unhealthy-host, 5xx-rate and latency alarms on both target groups, the ALB 5xx alarm and a crashed validation hook roll back', () => {
  const config = deploymentGroup(dev).AlarmConfiguration;
  expect(config.Enabled).toBe(true);
  expect(config.Alarms.map((a: any) => a.Name.Ref.replace(/[0-9A-F]{8}$/, ''))).toEqual([
    'PlatformBlueGreenBlueTarget5xx',
    'PlatformBlueGreenBlueUnhealthyHosts',
    'PlatformBlueGreenBlueTarget5xxRate',
    'PlatformBlueGreenBlueLatencyP99',
    'PlatformBlueGreenGreenTarget5xx',
    'PlatformBlueGreenGreenUnhealthyHosts',
    'PlatformBlueGreenGreenTarget5xxRate',
    'PlatformBlueGreenGreenLatencyP99',
    'PlatformBlueGreenLoadBalancer5xx',
    // A hook that crashes never reports: without this alarm CodeDeploy would wait for the hook timeout.
    'PlatformValidationHookErrorsAlarm',
  ]);
  // CodeDeploy accepts at most 10 alarms per deployment group.
  expect(config.Alarms.length).toBeLessThanOrEqual(10);
  expect(config.IgnorePollAlarmFailure).toBeUndefined();
});

test('an 11th rollback alarm is refused at synth (CodeDeploy would refuse it at deploy: AlarmsLimitExceededException)', () => {
  const { blueGreen } = dev.tapApp.stack.platform;
  expect(blueGreen.rollbackAlarms).toHaveLength(10);
  const extra = new cloudwatch.Alarm(blueGreen, 'Extra', {
    metric: new cloudwatch.Metric({ namespace: 'Test', metricName: 'Extra' }),
    threshold: 1,
    evaluationPeriods: 1,
  });
  expect(() => blueGreen.addRollbackAlarm(extra)).toThrow(
    'OrderBrokerBlueGreen: 11 rollback alarms; CodeDeploy accepts at most 10 per deployment group',
  );
});

test('the ALB-generated 5xx alarm watches the load balancer (no target answered)', () => {
  dev.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'HTTPCode_ELB_5XX_Count',
    Namespace: 'AWS/ApplicationELB',
    Dimensions: [{ Name: 'LoadBalancer', Value: Match.anyValue() }],
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 2,
    DatapointsToAlarm: 2,
    Threshold: 5,
    TreatMissingData: 'notBreaching',
  });
});

test.each(['Blue', 'Green'])(
  'the %s 5xx RATE alarm is metric math over RequestCount (a light canary trips it)',
  (color) => {
    const alarm = resourceByPrefix(dev, 'AWS::CloudWatch::Alarm', `PlatformBlueGreen${color}Target5xxRate`);
    const metrics = alarm.Properties.Metrics as any[];
    expect(metrics.find((m) => m.Expression)).toMatchObject({
      Expression: 'IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)',
    });
    expect(
      metrics
        .filter((m) => m.MetricStat)
        .map((m) => [m.Id, m.MetricStat.Metric.MetricName])
        .sort(),
    ).toEqual([
      ['errors', 'HTTPCode_Target_5XX_Count'],
      ['requests', 'RequestCount'],
    ]);
    expect(alarm.Properties).toMatchObject({ Threshold: 5, EvaluationPeriods: 2, DatapointsToAlarm: 2 });
  },
);

test.each(['Blue', 'Green'])('the %s latency regression alarm watches p99 target response time', (color) => {
  const alarm = resourceByPrefix(dev, 'AWS::CloudWatch::Alarm', `PlatformBlueGreen${color}LatencyP99`);
  expect(alarm.Properties).toMatchObject({
    MetricName: 'TargetResponseTime',
    ExtendedStatistic: 'p99',
    Threshold: 0.25,
    EvaluationPeriods: 2,
    ComparisonOperator: 'GreaterThanThreshold',
  });
});

test.each([
  ['Green', 'HTTPCode_Target_5XX_Count', 'Sum', 5],
  ['Green', 'UnHealthyHostCount', 'Maximum', 1],
  ['Blue', 'HTTPCode_Target_5XX_Count', 'Sum', 5],
  ['Blue', 'UnHealthyHostCount', 'Maximum', 1],
])(
  'the %s target group alarm on %s fires within two one-minute periods',
  (color, metricName, statistic, threshold) => {
    dev.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApplicationELB',
      MetricName: metricName,
      Statistic: statistic,
      Threshold: threshold,
      Period: 60,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      Dimensions: Match.arrayWith([
        {
          Name: 'TargetGroup',
          Value: {
            'Fn::GetAtt': [
              Match.stringLikeRegexp(`^PlatformLoadBalancing${color}TargetGroup`),
              'TargetGroupFullName',
            ],
          },
        },
      ]),
    });
  },
);

test('the canary and bake window follow the configuration', () => {
  const template = synthTemplate({ canaryPercent: '20', canaryMinutes: '7', terminationWaitMinutes: '30' });
  template.hasResourceProperties('AWS::CodeDeploy::DeploymentConfig', {
    TrafficRoutingConfig: { TimeBasedCanary: { CanaryPercentage: 20, CanaryInterval: 7 } },
  });
  expect(
    deploymentGroup(template).BlueGreenDeploymentConfiguration.TerminateBlueInstancesOnDeploymentSuccess,
  ).toEqual({
    Action: 'TERMINATE',
    TerminationWaitTimeInMinutes: 30,
  });
});
