import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';

/**
 * Rollback alarms evaluate one-minute periods and fire on two breaching datapoints: a bad green task set
 * is detected within about 3 minutes of taking traffic, inside the 5-minute rollback budget.
 */
export const ROLLBACK_ALARM = {
  periodSeconds: 60,
  evaluationPeriods: 2,
  datapointsToAlarm: 2,
  target5xxPerMinute: 5,
} as const;

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
  /** The alarms that roll a deployment back (both target groups; blue and green swap on every deployment). */
  public readonly rollbackAlarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: OrderBrokerBlueGreenProps) {
    super(scope, id);

    this.rollbackAlarms = [
      ...this.targetGroupAlarms('Blue', props.blueTargetGroup, props.alarmAction),
      ...this.targetGroupAlarms('Green', props.greenTargetGroup, props.alarmAction),
    ];

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
      alarms: this.rollbackAlarms,
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    });
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
    ];
    for (const alarm of alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    return alarms;
  }
}
