import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { notifyOnAlarmAndOk } from './alarm-actions';

/** Metric names of the application's Embedded Metric Format contract (docs/metrics-contract.md). */
export const APP_METRICS = {
  jvmHeap: 'JvmHeapUtilization',
  dbPool: 'DbConnectionPoolUtilization',
  /** High-resolution (1 s) in-flight orders per task: drives the 10-second burst step policy (scaling.ts). */
  inFlightOrders: 'InFlightOrdersPerTask',
} as const;

/** Thresholds of the KPI alarms. */
export const KPI_THRESHOLDS = {
  jvmHeapPercent: 85,
  dbPoolPercent: 80,
  target5xxPerMinute: 10,
  p99LatencySeconds: 0.25,
  cpuPercent: 85,
  memoryPercent: 85,
} as const;

/** ARN pattern of every CloudWatch alarm of the stack's account and region. */
export function alarmArnPattern(scope: Construct): string {
  return Stack.of(scope).formatArn({
    service: 'cloudwatch',
    resource: 'alarm',
    resourceName: '*',
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** Properties of {@link OrderBrokerObservability}. */
export interface OrderBrokerObservabilityProps {
  readonly service: ecs.FargateService;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** Key of the SRE topic. */
  readonly alertsKey: kms.IKey;
  /** Namespace and `Environment` dimension of the application's EMF metrics. */
  readonly metricsNamespace: string;
  readonly metricsEnvironment: string;
  /** Names of the topic and the dashboard, e.g. `orderbroker-dev`. */
  readonly namePrefix: string;
  /**
   * E-mail subscribed to the SRE topic.
   *
   * @default - no subscription (subscribe the on-call tool to the topic)
   */
  readonly alarmEmail?: string;
}

/**
 * The SRE alarm topic, the OrderBroker KPI alarms and the service dashboard.
 *
 * JVM heap and DB connection-pool utilization come from the service's own EMF lines (no CloudWatch
 * permission on the task role); the rest from ALB and ECS metrics. Every alarm notifies the topic on
 * ALARM and on OK.
 */
export class OrderBrokerObservability extends Construct {
  public readonly topic: sns.Topic;
  /** Alarm action publishing to {@link topic}. */
  public readonly alarmAction: cloudwatch.IAlarmAction;
  public readonly jvmHeapAlarm: cloudwatch.Alarm;
  public readonly dbPoolAlarm: cloudwatch.Alarm;
  public readonly target5xxAlarm: cloudwatch.Alarm;
  public readonly p99LatencyAlarm: cloudwatch.Alarm;
  public readonly cpuAlarm: cloudwatch.Alarm;
  public readonly memoryAlarm: cloudwatch.Alarm;
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OrderBrokerObservabilityProps) {
    super(scope, id);

    this.topic = new sns.Topic(this, 'SreTopic', {
      topicName: `${props.namePrefix}-sre-alarms`,
      displayName: 'OrderBroker SRE alarms',
      masterKey: props.alertsKey,
      enforceSSL: true,
    });
    // enforceSSL writes an AWS::SNS::TopicPolicy, and a topic policy REPLACES the default one: without this
    // Allow, CloudWatch may not publish and every alarm action fails (TAP-ALM-4). Scoped to this account's
    // alarms (confused deputy).
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnLike: { 'aws:SourceArn': alarmArnPattern(this) },
        },
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.alarmAction = new cwActions.SnsAction(this.topic);

    const minute = Duration.minutes(1);
    const appMetric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: props.metricsNamespace,
        metricName,
        dimensionsMap: { Environment: props.metricsEnvironment },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: minute,
      });
    const sustained = { evaluationPeriods: 3, datapointsToAlarm: 3 };

    this.jvmHeapAlarm = this.alarm('JvmHeapAlarm', {
      alarmDescription: `JVM heap above ${KPI_THRESHOLDS.jvmHeapPercent}% of max on the busiest task for 3 minutes: GC pressure, then OOM.`,
      metric: appMetric(APP_METRICS.jvmHeap),
      threshold: KPI_THRESHOLDS.jvmHeapPercent,
      ...sustained,
      // No EMF line for 3 minutes means the application stopped reporting (hung, crashed, log driver
      // blocked): notify instead of staying silently OK.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.dbPoolAlarm = this.alarm('DbPoolAlarm', {
      alarmDescription: `DB connection pool above ${KPI_THRESHOLDS.dbPoolPercent}% in use for 3 minutes: orders will queue for connections.`,
      metric: appMetric(APP_METRICS.dbPool),
      threshold: KPI_THRESHOLDS.dbPoolPercent,
      ...sustained,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.target5xxAlarm = this.alarm('Target5xxAlarm', {
      alarmDescription: 'OrderBroker tasks return 5xx: orders are failing.',
      metric: props.loadBalancer.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
        period: minute,
        statistic: cloudwatch.Stats.SUM,
      }),
      threshold: KPI_THRESHOLDS.target5xxPerMinute,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.p99LatencyAlarm = this.alarm('P99LatencyAlarm', {
      alarmDescription: `p99 order latency above ${KPI_THRESHOLDS.p99LatencySeconds * 1000} ms for 3 minutes.`,
      metric: props.loadBalancer.metrics.targetResponseTime({
        period: minute,
        statistic: cloudwatch.Stats.p(99),
      }),
      threshold: KPI_THRESHOLDS.p99LatencySeconds,
      ...sustained,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.cpuAlarm = this.alarm('CpuAlarm', {
      alarmDescription: `Service CPU above ${KPI_THRESHOLDS.cpuPercent}% for 5 minutes: scaling is not keeping up (check maxTasks).`,
      metric: props.service.metricCpuUtilization({ period: minute }),
      threshold: KPI_THRESHOLDS.cpuPercent,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
    });
    this.memoryAlarm = this.alarm('MemoryAlarm', {
      alarmDescription: `Service memory above ${KPI_THRESHOLDS.memoryPercent}% for 5 minutes.`,
      metric: props.service.metricMemoryUtilization({ period: minute }),
      threshold: KPI_THRESHOLDS.memoryPercent,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${props.namePrefix}-service`,
      defaultInterval: Duration.hours(8),
      widgets: [
        [
          new cloudwatch.AlarmStatusWidget({
            title: 'OrderBroker alarms',
            alarms: [
              this.jvmHeapAlarm,
              this.dbPoolAlarm,
              this.target5xxAlarm,
              this.p99LatencyAlarm,
              this.cpuAlarm,
              this.memoryAlarm,
            ],
            width: 24,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Running tasks',
            left: [
              new cloudwatch.Metric({
                namespace: 'ECS/ContainerInsights',
                metricName: 'RunningTaskCount',
                dimensionsMap: {
                  ClusterName: props.service.cluster.clusterName,
                  ServiceName: props.service.serviceName,
                },
                statistic: cloudwatch.Stats.AVERAGE,
                period: minute,
              }),
            ],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'CPU / memory (%)',
            left: [
              props.service.metricCpuUtilization({ period: minute }),
              props.service.metricMemoryUtilization({ period: minute }),
            ],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'JVM heap / DB pool (%)',
            left: [appMetric(APP_METRICS.jvmHeap), appMetric(APP_METRICS.dbPool)],
            width: 8,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Requests and 5xx',
            left: [props.loadBalancer.metrics.requestCount({ period: minute })],
            right: [
              props.loadBalancer.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
                period: minute,
              }),
            ],
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Latency p50 / p99 (s)',
            left: [
              props.loadBalancer.metrics.targetResponseTime({
                period: minute,
                statistic: cloudwatch.Stats.p(50),
              }),
              props.loadBalancer.metrics.targetResponseTime({
                period: minute,
                statistic: cloudwatch.Stats.p(99),
              }),
            ],
            width: 12,
          }),
        ],
      ],
    });
  }

  /** Creates an alarm that notifies the SRE topic on ALARM and on OK. */
  private alarm(id: string, props: Omit<cloudwatch.AlarmProps, 'comparisonOperator'>): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      ...props,
    });
    return notifyOnAlarmAndOk(alarm, this.alarmAction);
  }
}
