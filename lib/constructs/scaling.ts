import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { ClockTime } from '../config/types';
import { calendarScheduledActions, type ExchangeCalendar } from '../schedule/exchange-calendar';

/** Predictive scaling launches capacity this long before the forecast hour (must be < 3600 s). */
export const PREDICTIVE_SCHEDULING_BUFFER_SECONDS = 600;

/**
 * In-flight orders per task at which the 10-second burst policy adds tasks, and at which it adds twice as
 * many (docs/metrics-contract.md). A task is sized for about 100 orders in flight at the CPU target.
 */
export const IN_FLIGHT_ORDERS_STEPS = { addBurst: 100, addDoubleBurst: 150 } as const;

/** Period of the high-resolution burst alarm: the shortest CloudWatch evaluates for a 1 s metric (10, 30 or n x 60). */
export const FAST_BURST_PERIOD_SECONDS = 10;

/** Properties of {@link OrderBrokerScaling}. */
export interface OrderBrokerScalingProps {
  readonly service: ecs.FargateService;
  /** Prefix of the policy names, e.g. `orderbroker-dev`. */
  readonly namePrefix: string;
  /** The scalable target's standing minimum: floor plus warm tasks. */
  readonly warmFloor: number;
  readonly maxTasks: number;
  readonly preOpenTasks: number;
  readonly preCloseTasks: number;
  /** Target CPU utilization (%) of target tracking and predictive scaling. */
  readonly targetCpuPercent: number;
  /** Tasks a sudden CPU burst adds at once (step scaling). */
  readonly burstTasks: number;
  /** America/New_York times of the four scheduled actions. */
  readonly schedule: {
    readonly preOpen: ClockTime;
    readonly postOpen: ClockTime;
    readonly preClose: ClockTime;
    readonly postClose: ClockTime;
  };
  /**
   * The application's high-resolution EMF metric `InFlightOrdersPerTask` (namespace and `Environment`
   * dimension): a 10-second alarm on it drives a step policy that reacts before one minute of CPU exists.
   *
   * @default - no 10-second burst policy; the one-minute CPU burst policy alone
   */
  readonly inFlightMetric?: {
    readonly namespace: string;
    readonly metricName: string;
    readonly environment: string;
  };
  /**
   * The exchange calendar: the weekday actions skip its holidays (and early closes, for the close actions)
   * and each early-close day gets one-off actions around its early close.
   *
   * @default - the weekday schedule only, firing on holidays too
   */
  readonly calendar?: ExchangeCalendar;
}

/**
 * Three layers of scaling for a load that is predictable twice a day and spiky in between:
 *
 * 1. Scheduled actions (America/New_York, Monday to Friday) raise the minimum before 09:30 and 16:00 and
 *    lower it after each spike. They are the guarantee: they work from day one and follow DST.
 * 2. Predictive scaling (ForecastAndScale on the CPU metric pair) learns the daily shape and launches
 *    capacity before the forecast hour. It needs 24 h of history and never scales in.
 * 3. Target tracking on CPU, plus a one-minute CPU burst step policy, for what neither foresaw.
 *
 * The minimum is the warm floor, so spare tasks are always running: Fargate has no warm pool.
 */
export class OrderBrokerScaling extends Construct {
  public readonly scalableTarget: appscaling.ScalableTarget;
  public readonly predictivePolicy: appscaling.CfnScalingPolicy;

  constructor(scope: Construct, id: string, props: OrderBrokerScalingProps) {
    super(scope, id);
    const { service } = props;

    this.scalableTarget = new appscaling.ScalableTarget(this, 'Target', {
      serviceNamespace: appscaling.ServiceNamespace.ECS,
      resourceId: `service/${service.cluster.clusterName}/${service.serviceName}`,
      scalableDimension: 'ecs:service:DesiredCount',
      minCapacity: props.warmFloor,
      maxCapacity: props.maxTasks,
      // The ECS service-linked role, as `autoScaleTaskCount()` uses: no extra IAM role to audit.
      role: iam.Role.fromRoleArn(
        this,
        'ServiceLinkedRole',
        Stack.of(this).formatArn({
          region: '',
          service: 'iam',
          resource: 'role/aws-service-role/ecs.application-autoscaling.amazonaws.com',
          resourceName: 'AWSServiceRoleForApplicationAutoScaling_ECSService',
        }),
      ),
    });

    const week = {
      ...props.schedule,
      preOpenTasks: props.preOpenTasks,
      preCloseTasks: props.preCloseTasks,
      warmFloor: props.warmFloor,
    };
    const scheduled = props.calendar
      ? calendarScheduledActions(props.calendar, week)
      : calendarScheduledActions(
          { zone: 'America/New_York', regularClose: { hour: 16, minute: 0 }, holidays: [], earlyCloses: [] },
          week,
        );
    for (const action of scheduled) {
      this.scalableTarget.scaleOnSchedule(action.name, {
        schedule: appscaling.Schedule.expression(action.schedule),
        timeZone: TimeZone.AMERICA_NEW_YORK,
        startTime: action.startTime,
        endTime: action.endTime,
        minCapacity: action.minCapacity,
        maxCapacity: props.maxTasks,
      });
    }

    this.scalableTarget.scaleToTrackMetric('CpuTracking', {
      predefinedMetric: appscaling.PredefinedMetric.ECS_SERVICE_AVERAGE_CPU_UTILIZATION,
      targetValue: props.targetCpuPercent,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.minutes(5),
    });

    // Target tracking waits for three one-minute datapoints; a volatility burst gets tasks after one.
    this.scalableTarget.scaleOnMetric('CpuBurst', {
      metric: service.metricCpuUtilization({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.AVERAGE,
      }),
      scalingSteps: [
        { upper: 75, change: 0 },
        { lower: 75, upper: 90, change: props.burstTasks },
        { lower: 90, change: props.burstTasks * 2 },
      ],
      adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      cooldown: Duration.seconds(60),
    });

    // ECS 20-second service metrics do not work with the CODE_DEPLOY controller; the application's own 1 s
    // metric does. A 10 s alarm on it adds tasks within ~20 s of a burst; the CPU policy stays as the fallback
    // when the application stops emitting (missing data does not alarm).
    if (props.inFlightMetric) {
      this.scalableTarget.scaleOnMetric('InFlightBurst', {
        metric: new cloudwatch.Metric({
          namespace: props.inFlightMetric.namespace,
          metricName: props.inFlightMetric.metricName,
          dimensionsMap: { Environment: props.inFlightMetric.environment },
          period: Duration.seconds(FAST_BURST_PERIOD_SECONDS),
          statistic: cloudwatch.Stats.AVERAGE,
        }),
        scalingSteps: [
          { upper: IN_FLIGHT_ORDERS_STEPS.addBurst, change: 0 },
          {
            lower: IN_FLIGHT_ORDERS_STEPS.addBurst,
            upper: IN_FLIGHT_ORDERS_STEPS.addDoubleBurst,
            change: props.burstTasks,
          },
          { lower: IN_FLIGHT_ORDERS_STEPS.addDoubleBurst, change: props.burstTasks * 2 },
        ],
        adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        cooldown: Duration.seconds(30),
      });
    }

    this.predictivePolicy = new appscaling.CfnScalingPolicy(this, 'Predictive', {
      policyName: `${props.namePrefix}-predictive`,
      policyType: 'PredictiveScaling',
      scalingTargetId: this.scalableTarget.scalableTargetId,
      predictiveScalingPolicyConfiguration: {
        mode: 'ForecastAndScale',
        schedulingBufferTime: PREDICTIVE_SCHEDULING_BUFFER_SECONDS,
        maxCapacityBreachBehavior: 'HonorMaxCapacity',
        metricSpecifications: [
          {
            targetValue: props.targetCpuPercent,
            predefinedMetricPairSpecification: { predefinedMetricType: 'ECSServiceCPUUtilization' },
          },
        ],
      },
    });
  }
}
