import type { CfnTemplate } from '../../../lib/cfn-template';

/** Tests reach into deep template paths freely. */

type Loose = Record<string, any>;

/**
 * A minimal hand-written template with the shape the plan reads (service, scalable target with four
 * scheduled actions, task definitions for both architectures, deployment group with two target groups,
 * four rollback alarms and a canary configuration). Logical IDs are deliberately unlike the real stack's:
 * the plan must find everything through references. Tests mutate a fresh copy.
 */
export function fixtureTemplate(): CfnTemplate & { Resources: Loose; Outputs: Loose } {
  const alarm = (tg: string, metric: string) => ({
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      Namespace: 'AWS/ApplicationELB',
      MetricName: metric,
      Period: 60,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Dimensions: [{ Name: 'TargetGroup', Value: { 'Fn::GetAtt': [tg, 'TargetGroupFullName'] } }],
    },
  });
  const tg = {
    Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
    Properties: {
      HealthCheckIntervalSeconds: 5,
      HealthCheckTimeoutSeconds: 3,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 2,
    },
  };
  const action = (name: string, schedule: string, min: number) => ({
    ScheduledActionName: name,
    Schedule: schedule,
    Timezone: 'America/New_York',
    ScalableTargetAction: { MinCapacity: min, MaxCapacity: 10 },
  });
  const taskDef = (family: string, arch: string) => ({
    Type: 'AWS::ECS::TaskDefinition',
    Properties: {
      Family: family,
      Cpu: '2048',
      Memory: '4096',
      RuntimePlatform: { CpuArchitecture: arch, OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [{ Name: 'app' }],
    },
  });
  return {
    Resources: {
      Svc: {
        Type: 'AWS::ECS::Service',
        Properties: {
          CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
          LoadBalancers: [{ ContainerName: 'app', ContainerPort: 8080, TargetGroupArn: { Ref: 'TgA' } }],
          TaskDefinition: 'fam-arm',
        },
      },
      TdArm: taskDef('fam-arm', 'ARM64'),
      TdX86: taskDef('fam-x86', 'X86_64'),
      Other: {
        ...taskDef('unrelated', 'X86_64'),
        Properties: { ...taskDef('x', 'X86_64').Properties, ContainerDefinitions: [{ Name: 'sidecar' }] },
      },
      Target: {
        Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
        Properties: {
          ScalableDimension: 'ecs:service:DesiredCount',
          ResourceId: {
            'Fn::Join': ['', ['service/', { Ref: 'Cluster' }, '/', { 'Fn::GetAtt': ['Svc', 'Name'] }]],
          },
          MinCapacity: 3,
          MaxCapacity: 10,
          ScheduledActions: [
            action('PreOpen', 'cron(10 9 ? * MON-FRI *)', 6),
            action('PostOpen', 'cron(30 10 ? * MON-FRI *)', 3),
            action('PreClose', 'cron(40 15 ? * MON-FRI *)', 5),
            action('PostClose', 'cron(30 16 ? * MON-FRI *)', 3),
          ],
        },
      },
      Tracking: {
        Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
        Properties: {
          PolicyType: 'TargetTrackingScaling',
          ScalingTargetId: { Ref: 'Target' },
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: 50,
            PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          },
        },
      },
      Step: {
        Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
        Properties: {
          PolicyType: 'StepScaling',
          ScalingTargetId: { Ref: 'Target' },
          StepScalingPolicyConfiguration: {
            AdjustmentType: 'ChangeInCapacity',
            Cooldown: 60,
            StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }],
          },
        },
      },
      StepAlarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          Namespace: 'AWS/ECS',
          MetricName: 'CPUUtilization',
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Threshold: 75,
          Period: 60,
          EvaluationPeriods: 1,
          AlarmActions: [{ Ref: 'Step' }],
        },
      },
      TgA: tg,
      TgB: structuredClone(tg),
      A5xx: alarm('TgA', 'HTTPCode_Target_5XX_Count'),
      AUnhealthy: alarm('TgA', 'UnHealthyHostCount'),
      B5xx: alarm('TgB', 'HTTPCode_Target_5XX_Count'),
      BUnhealthy: alarm('TgB', 'UnHealthyHostCount'),
      Canary: {
        Type: 'AWS::CodeDeploy::DeploymentConfig',
        Properties: {
          ComputePlatform: 'ECS',
          TrafficRoutingConfig: {
            Type: 'TimeBasedCanary',
            TimeBasedCanary: { CanaryPercentage: 10, CanaryInterval: 5 },
          },
        },
      },
      Group: {
        Type: 'AWS::CodeDeploy::DeploymentGroup',
        Properties: {
          ECSServices: [{ ClusterName: { Ref: 'Cluster' }, ServiceName: { 'Fn::GetAtt': ['Svc', 'Name'] } }],
          DeploymentConfigName: { Ref: 'Canary' },
          AlarmConfiguration: {
            Enabled: true,
            Alarms: [
              { Name: { Ref: 'A5xx' } },
              { Name: { Ref: 'AUnhealthy' } },
              { Name: { Ref: 'B5xx' } },
              { Name: { Ref: 'BUnhealthy' } },
            ],
          },
          AutoRollbackConfiguration: {
            Enabled: true,
            Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
          },
          BlueGreenDeploymentConfiguration: {
            TerminateBlueInstancesOnDeploymentSuccess: {
              Action: 'TERMINATE',
              TerminationWaitTimeInMinutes: 10,
            },
          },
          LoadBalancerInfo: {
            TargetGroupPairInfoList: [
              {
                TargetGroups: [
                  { Name: { 'Fn::GetAtt': ['TgA', 'TargetGroupName'] } },
                  { Name: { 'Fn::GetAtt': ['TgB', 'TargetGroupName'] } },
                ],
              },
            ],
          },
        },
      },
      Cluster: { Type: 'AWS::ECS::Cluster', Properties: {} },
    },
    Outputs: {},
  };
}

/** A Lambda hook and the output that names it. */
export function withHook(
  template: ReturnType<typeof fixtureTemplate>,
  timeout: number | undefined,
): ReturnType<typeof fixtureTemplate> {
  template.Resources.HookFn = {
    Type: 'AWS::Lambda::Function',
    Properties: timeout === undefined ? {} : { Timeout: timeout },
  };
  template.Outputs.ValidationHookFunctionName = { Value: { Ref: 'HookFn' } };
  return template;
}
