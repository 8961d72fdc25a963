import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { notifyOnAlarmAndOk } from './alarm-actions';

/**
 * Rollback alarms evaluate one-minute periods and fire on two breaching datapoints: a bad green task set
 * is detected within about 3 minutes of taking traffic, inside the 5-minute rollback budget.
 */
export const ROLLBACK_ALARM = {
  periodSeconds: 60,
  evaluationPeriods: 2,
  datapointsToAlarm: 2,
  target5xxPerMinute: 5,
  /** ALB-generated 5xx (no target answered: green tasks crashing, refusing connections, timing out). */
  elb5xxPerMinute: 5,
  /**
   * 5xx share of a target group's requests, in percent. A count threshold misses a bad 10% canary on light
   * traffic (20 requests a minute, all failing, is 2 errors); a rate does not.
   */
  target5xxRatePercent: 5,
  /** p99 target response time of a target group (s): the KPI of the service (250 ms). */
  p99LatencySeconds: 0.25,
} as const;
/** CodeDeploy accepts at most this many alarms per deployment group. */
export const MAX_DEPLOYMENT_GROUP_ALARMS = 10;

/** Properties of {@link OrderBrokerBlueGreen}. */
export interface OrderBrokerBlueGreenProps {
  readonly service: ecs.FargateService;
  readonly blueTargetGroup: elbv2.ApplicationTargetGroup;
  readonly greenTargetGroup: elbv2.ApplicationTargetGroup;
  readonly productionListener: elbv2.IApplicationListener;
  readonly testListener: elbv2.IApplicationListener;
  /** Name prefix of the CodeDeploy resources, e.g. `orderbroker-dev`. */
  readonly namePrefix: string;
  /** Share of production traffic green receives first. */
  readonly canaryPercent: number;
  /** How long the canary share runs before the rest moves (whole minutes: CodeDeploy's unit). */
  readonly canaryInterval: Duration;
  /** How long blue stays alive after the full shift (the bake window in which an alarm still rolls back). */
  readonly terminationWait: Duration;
  /** Where every alarm of this construct notifies (the SRE topic). */
  readonly alarmAction: cloudwatch.IAlarmAction;
  /** The ALB both target groups are behind: its own 5xx (HTTPCode_ELB_5XX_Count) also roll back. */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
}

/**
 * CodeDeploy blue/green for the OrderBroker service.
 *
 * Traffic moves as a time-based canary (never all at once), green is validated through the test listener
 * before any production traffic moves, and the deployment rolls back automatically when it fails, is
 * stopped, or any target-group alarm (5xx or unhealthy hosts, on either color) fires — including during the
 * bake window, because blue is kept alive for `terminationWait` after the shift.
 */
export class OrderBrokerBlueGreen extends Construct {
  public readonly application: codedeploy.EcsApplication;
  public readonly deploymentConfig: codedeploy.EcsDeploymentConfig;
  public readonly deploymentGroup: codedeploy.EcsDeploymentGroup;
  /**
   * The same group, referenced by its names rather than by a CloudFormation reference: for permissions of
   * resources the group itself depends on (the validation hook, whose Errors alarm is a rollback alarm of the group).
   */
  public readonly deploymentGroupByName: codedeploy.IEcsDeploymentGroup;
  /** The alarms that roll a deployment back (both target groups; blue and green swap on every deployment). */
  public readonly rollbackAlarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: OrderBrokerBlueGreenProps) {
    super(scope, id);

    this.rollbackAlarms = [
      ...this.targetGroupAlarms('Blue', props.blueTargetGroup, props.alarmAction),
      ...this.targetGroupAlarms('Green', props.greenTargetGroup, props.alarmAction),
      this.loadBalancerAlarm(props.loadBalancer, props.alarmAction),
    ];
    if (this.rollbackAlarms.length > MAX_DEPLOYMENT_GROUP_ALARMS) {
      throw new Error(
        `OrderBrokerBlueGreen: ${this.rollbackAlarms.length} rollback alarms; CodeDeploy accepts at most ${MAX_DEPLOYMENT_GROUP_ALARMS} per deployment group`,
      );
    }

    this.application = new codedeploy.EcsApplication(this, 'Application', {
      applicationName: props.namePrefix,
    });
    this.deploymentConfig = new codedeploy.EcsDeploymentConfig(this, 'Canary', {
      deploymentConfigName: `${props.namePrefix}-canary-${props.canaryPercent}pct-${props.canaryInterval.toMinutes()}min`,
      trafficRouting: codedeploy.TrafficRouting.timeBasedCanary({
        percentage: props.canaryPercent,
        interval: props.canaryInterval,
      }),
    });
    this.deploymentGroup = new codedeploy.EcsDeploymentGroup(this, 'DeploymentGroup', {
      application: this.application,
      deploymentGroupName: props.namePrefix,
      service: props.service,
      deploymentConfig: this.deploymentConfig,
      blueGreenDeploymentConfig: {
        blueTargetGroup: props.blueTargetGroup,
        greenTargetGroup: props.greenTargetGroup,
        listener: props.productionListener,
        testListener: props.testListener,
        // At 0 blue is terminated at once and a bake-window alarm has nothing to roll back to.
        terminationWaitTime: props.terminationWait,
      },
      // A copy: the group keeps the array it is given, and addRollbackAlarm adds to both.
      alarms: [...this.rollbackAlarms],
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    });
    this.deploymentGroupByName = codedeploy.EcsDeploymentGroup.fromEcsDeploymentGroupAttributes(
      this,
      'ByName',
      {
        application: codedeploy.EcsApplication.fromEcsApplicationName(
          this,
          'ApplicationByName',
          props.namePrefix,
        ),
        deploymentGroupName: props.namePrefix,
      },
    );
  }

  /**
   * Adds an alarm that rolls a deployment back, created after the group (the validation hook's, which needs the
   * group first). Refused beyond CodeDeploy's limit, which would otherwise fail only at deploy time
   * (AlarmsLimitExceededException).
   */
  public addRollbackAlarm(alarm: cloudwatch.Alarm): void {
    if (this.rollbackAlarms.length + 1 > MAX_DEPLOYMENT_GROUP_ALARMS) {
      throw new Error(
        `OrderBrokerBlueGreen: ${this.rollbackAlarms.length + 1} rollback alarms; CodeDeploy accepts at most ${MAX_DEPLOYMENT_GROUP_ALARMS} per deployment group`,
      );
    }
    this.rollbackAlarms.push(alarm);
    this.deploymentGroup.addAlarm(alarm);
  }

  private targetGroupAlarms(
    color: string,
    targetGroup: elbv2.ApplicationTargetGroup,
    action: cloudwatch.IAlarmAction,
  ): cloudwatch.Alarm[] {
    const period = Duration.seconds(ROLLBACK_ALARM.periodSeconds);
    const common = {
      evaluationPeriods: ROLLBACK_ALARM.evaluationPeriods,
      datapointsToAlarm: ROLLBACK_ALARM.datapointsToAlarm,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // An idle color has no targets and reports nothing: that is healthy, not unknown.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    const alarms = [
      new cloudwatch.Alarm(this, `${color}Target5xx`, {
        alarmDescription: `OrderBroker ${color.toLowerCase()} target group returns 5xx: rolls back a deployment in progress.`,
        metric: targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
          period,
          statistic: cloudwatch.Stats.SUM,
        }),
        threshold: ROLLBACK_ALARM.target5xxPerMinute,
        ...common,
      }),
      new cloudwatch.Alarm(this, `${color}UnhealthyHosts`, {
        alarmDescription: `OrderBroker ${color.toLowerCase()} target group has unhealthy targets: rolls back a deployment in progress.`,
        metric: targetGroup.metrics.unhealthyHostCount({ period, statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 1,
        ...common,
      }),
      new cloudwatch.Alarm(this, `${color}Target5xxRate`, {
        alarmDescription: `OrderBroker ${color.toLowerCase()} target group answers ${ROLLBACK_ALARM.target5xxRatePercent}% or more of its requests with 5xx: rolls back a deployment in progress, even a 10% canary on light traffic.`,
        metric: new cloudwatch.MathExpression({
          // No request in a minute is 0%, not missing: an idle color stays OK.
          expression: 'IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)',
          usingMetrics: {
            errors: targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
              period,
              statistic: cloudwatch.Stats.SUM,
            }),
            requests: targetGroup.metrics.requestCount({ period, statistic: cloudwatch.Stats.SUM }),
          },
          period,
          label: `${color} 5xx rate (%)`,
        }),
        threshold: ROLLBACK_ALARM.target5xxRatePercent,
        ...common,
      }),
      new cloudwatch.Alarm(this, `${color}LatencyP99`, {
        alarmDescription: `OrderBroker ${color.toLowerCase()} target group p99 response time above ${ROLLBACK_ALARM.p99LatencySeconds * 1000} ms: a latency regression rolls back a deployment in progress.`,
        metric: targetGroup.metrics.targetResponseTime({ period, statistic: cloudwatch.Stats.p(99) }),
        threshold: ROLLBACK_ALARM.p99LatencySeconds,
        ...common,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
    ];
    return alarms.map((alarm) => notifyOnAlarmAndOk(alarm, action));
  }

  /** ALB-generated 5xx: requests no target answered (crashing or refusing green tasks, timeouts). */
  private loadBalancerAlarm(
    loadBalancer: elbv2.IApplicationLoadBalancer,
    action: cloudwatch.IAlarmAction,
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, 'LoadBalancer5xx', {
      alarmDescription:
        'The OrderBroker ALB itself returns 5xx (502/503/504: no healthy answer from a target): rolls back a deployment in progress.',
      metric: loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, {
        period: Duration.seconds(ROLLBACK_ALARM.periodSeconds),
        statistic: cloudwatch.Stats.SUM,
      }),
      threshold: ROLLBACK_ALARM.elb5xxPerMinute,
      evaluationPeriods: ROLLBACK_ALARM.evaluationPeriods,
      datapointsToAlarm: ROLLBACK_ALARM.datapointsToAlarm,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    return notifyOnAlarmAndOk(alarm, action);
  }
}
