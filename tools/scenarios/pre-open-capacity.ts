import {
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  DescribeScheduledActionsCommand,
  GetPredictiveScalingForecastCommand,
  type ScheduledAction,
} from '@aws-sdk/client-application-auto-scaling';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { DateTime } from 'luxon';
import { formatTime } from '../../lib/config/clock-time';
import {
  firstTradingDayAfterNextDstChange,
  isTradingDay,
  MARKET_ZONE,
  minCapacityAt,
  nextTradingDayAt,
  type ScheduledActionLike,
  type WallTime,
} from '../schedule/trading-schedule';
import type { Check } from '../shared/progress';
import type { Scenario } from './common';

/** Options of the pre-open-capacity scenario. */
export interface PreOpenOptions {
  /** Time (New York) at which the pre-open level must be running. @default 09:25 */
  readonly checkTime?: WallTime;
  /** Minutes a scale-up needs until new tasks serve (Fargate start + health checks). @default 5 */
  readonly readyLeadMinutes?: number;
  /** Tasks that must be running. @default - the stack output PreOpenTasks */
  readonly expectedTasks?: number;
}

const NS = 'ecs' as const;
const DIMENSION = 'ecs:service:DesiredCount' as const;
const fmt = (t: DateTime) => t.setZone(MARKET_ZONE).toFormat('ccc yyyy-LL-dd HH:mm ZZZZ');

/**
 * Proves the service has its pre-open capacity at 09:25 New York time.
 *
 * Run between 09:25 and 09:30 on a trading day, it checks the running task count live. At any other time it
 * proves the schedule guarantees it: on the next trading day AND on the first trading day after the next
 * DST change, the minimum in force when tasks must start (09:25 minus the ready lead) is at least the
 * pre-open level. It also reads the predictive forecast and the running count at 09:25 of the last trading
 * day (Container Insights) and reports them.
 */
export const preOpenCapacity: Scenario<PreOpenOptions> = async (ctx, options) => {
  const { clients, outputs, progress } = ctx;
  const checkTime = options.checkTime ?? { hour: 9, minute: 25 };
  const lead = options.readyLeadMinutes ?? 5;
  const expected = options.expectedTasks ?? Number(outputs.PreOpenTasks);
  const resourceId = outputs.ScalableTargetId;
  const checks: Check[] = [];
  const now = DateTime.fromMillis(ctx.clock.now(), { zone: MARKET_ZONE });
  progress.step(`now ${fmt(now)}; pre-open level ${expected} tasks at ${formatTime(checkTime)} ET`);

  const { ScalableTargets } = await clients.appscaling.send(
    new DescribeScalableTargetsCommand({
      ServiceNamespace: NS,
      ResourceIds: [resourceId],
      ScalableDimension: DIMENSION,
    }),
  );
  const target = ScalableTargets?.[0];
  if (!target) {
    return [
      {
        name: 'scalable target',
        passed: false,
        detail: `${resourceId} is not registered with Application Auto Scaling`,
      },
    ];
  }
  progress.step(`scalable target: min ${target.MinCapacity}, max ${target.MaxCapacity}`);
  checks.push({
    name: 'maximum allows the pre-open level',
    passed: (target.MaxCapacity ?? 0) >= expected,
    detail: `max ${target.MaxCapacity} vs ${expected}`,
  });
  const suspended = target.SuspendedState?.ScheduledScalingSuspended === true;
  checks.push({
    name: 'scheduled scaling active',
    passed: !suspended,
    detail: suspended ? 'ScheduledScalingSuspended is true: no scheduled action fires' : 'not suspended',
  });

  const scheduled: ScheduledAction[] = [];
  let token: string | undefined;
  do {
    const page = await clients.appscaling.send(
      new DescribeScheduledActionsCommand({
        ServiceNamespace: NS,
        ResourceId: resourceId,
        ScalableDimension: DIMENSION,
        NextToken: token,
      }),
    );
    scheduled.push(...(page.ScheduledActions ?? []));
    token = page.NextToken;
  } while (token);
  const actions: ScheduledActionLike[] = scheduled.map((a) => ({
    name: a.ScheduledActionName ?? '?',
    schedule: a.Schedule ?? '',
    timezone: a.Timezone,
    minCapacity: a.ScalableTargetAction?.MinCapacity,
    maxCapacity: a.ScalableTargetAction?.MaxCapacity,
    startTime: a.StartTime,
    endTime: a.EndTime,
  }));
  for (const a of actions) {
    progress.step(
      `scheduled action ${a.name}: ${a.schedule} ${a.timezone ?? 'UTC'} -> min ${a.minCapacity ?? '-'}`,
    );
  }

  const days = [
    ['next trading day', nextTradingDayAt(now, checkTime)],
    ['first trading day after the next DST change', firstTradingDayAfterNextDstChange(now, checkTime)],
  ] as const;
  for (const [label, at] of days) {
    const mustStartBy = at.minus({ minutes: lead });
    try {
      const inForce = minCapacityAt(actions, mustStartBy, target.MinCapacity ?? 0);
      checks.push({
        name: `schedule guarantees ${expected} tasks at ${fmt(at)} (${label})`,
        passed: inForce.minCapacity >= expected,
        detail:
          `minimum ${inForce.minCapacity} in force at ${mustStartBy.toFormat('HH:mm')} (${lead} min ready lead)` +
          (inForce.action
            ? `, set by ${inForce.action} at ${fmt(inForce.firedAt!)}`
            : ', no scheduled action: the target minimum'),
      });
    } catch (err) {
      checks.push({ name: `schedule on the ${label}`, passed: false, detail: (err as Error).message });
    }
  }

  await reportForecast(ctx, resourceId, days[0][1], expected);
  const observed = await lastTradingDayCheck(ctx, now, checkTime, expected);
  if (observed) checks.push(observed);

  const { services } = await clients.ecs.send(
    new DescribeServicesCommand({ cluster: outputs.ClusterName, services: [outputs.ServiceName] }),
  );
  const running = services?.[0]?.runningCount ?? 0;
  progress.step(`service runs ${running} tasks now (desired ${services?.[0]?.desiredCount ?? '?'})`);
  const open = now.set({ hour: 9, minute: 30, second: 0, millisecond: 0 });
  const windowStart = now.set({ hour: checkTime.hour, minute: checkTime.minute, second: 0, millisecond: 0 });
  if (isTradingDay(now) && now >= windowStart && now < open) {
    checks.push({
      name: `running count at ${now.toFormat('HH:mm')} ET (live)`,
      passed: running >= expected,
      detail: `${running} running vs ${expected}`,
    });
  }
  return checks;
};

async function reportForecast(
  ctx: Parameters<Scenario<PreOpenOptions>>[0],
  resourceId: string,
  at: DateTime,
  expected: number,
): Promise<void> {
  const { ScalingPolicies } = await ctx.clients.appscaling.send(
    new DescribeScalingPoliciesCommand({
      ServiceNamespace: NS,
      ResourceId: resourceId,
      ScalableDimension: DIMENSION,
    }),
  );
  const predictive = ScalingPolicies?.find((p) => p.PolicyType === 'PredictiveScaling');
  if (!predictive?.PolicyName) {
    ctx.progress.step('predictive scaling: no policy (the schedule alone carries the guarantee)');
    return;
  }
  try {
    const forecast = await ctx.clients.appscaling.send(
      new GetPredictiveScalingForecastCommand({
        ServiceNamespace: NS,
        ResourceId: resourceId,
        ScalableDimension: DIMENSION,
        PolicyName: predictive.PolicyName,
        StartTime: at.minus({ hours: 1 }).toJSDate(),
        EndTime: at.plus({ hours: 1 }).toJSDate(),
      }),
    );
    const points = (forecast.CapacityForecast?.Timestamps ?? []).map((t, i) => ({
      t: DateTime.fromJSDate(t),
      v: forecast.CapacityForecast?.Values?.[i],
    }));
    const hour = points.filter((p) => p.t <= at).pop();
    if (hour?.v === undefined) {
      ctx.progress.step(
        'predictive forecast: none yet (needs 24 h of metrics); the schedule carries the guarantee',
      );
    } else {
      ctx.progress.step(
        `predictive forecast for ${fmt(hour.t)}: ${hour.v} tasks${hour.v >= expected ? ' (also covers the pre-open level)' : ` (below ${expected}; the schedule carries the guarantee)`}`,
      );
    }
  } catch (err) {
    ctx.progress.step(`predictive forecast unavailable: ${(err as Error).message}`);
  }
}

/** The running count Container Insights recorded at the check time of the last trading day, as a check. */
async function lastTradingDayCheck(
  ctx: Parameters<Scenario<PreOpenOptions>>[0],
  now: DateTime,
  checkTime: WallTime,
  expected: number,
): Promise<Check | undefined> {
  let day = now.set({ hour: checkTime.hour, minute: checkTime.minute, second: 0, millisecond: 0 });
  if (day > now) day = day.minus({ days: 1 });
  while (!isTradingDay(day)) day = day.minus({ days: 1 });
  const { MetricDataResults } = await ctx.clients.cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: day.minus({ minutes: 1 }).toJSDate(),
      EndTime: day.plus({ minutes: 1 }).toJSDate(),
      MetricDataQueries: [
        {
          Id: 'running',
          MetricStat: {
            Metric: {
              Namespace: 'ECS/ContainerInsights',
              MetricName: 'RunningTaskCount',
              Dimensions: [
                { Name: 'ClusterName', Value: ctx.outputs.ClusterName },
                { Name: 'ServiceName', Value: ctx.outputs.ServiceName },
              ],
            },
            Period: 60,
            Stat: 'Minimum',
          },
        },
      ],
    }),
  );
  const values = MetricDataResults?.[0]?.Values ?? [];
  if (values.length === 0) {
    ctx.progress.step(`Container Insights: no RunningTaskCount at ${fmt(day)} (stack younger than that?)`);
    return undefined;
  }
  const min = Math.min(...values);
  return {
    name: `observed at ${fmt(day)} (last trading day)`,
    passed: min >= expected,
    detail: `${min} tasks running (Container Insights RunningTaskCount, minimum over the minute) vs ${expected}`,
  };
}
