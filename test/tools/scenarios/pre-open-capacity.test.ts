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
import { FakeClock } from '../../../tools/shared/clock';
import { scenarioMain } from '../../../scripts/scenario';
import { givenDeployedStack, mockAws, OUTPUTS } from '../../helpers/platform-mocks';

const { mocks, clients, reset } = mockAws();
const NY = 'America/New_York';
const at = (iso: string) => DateTime.fromISO(iso, { zone: NY }).toMillis();

/** A scheduled action as AWS describes it; `timezone` null means none (UTC). */
function action(name: string, schedule: string, min: number, timezone: string | null = NY): ScheduledAction {
  return {
    ScheduledActionName: name,
    ScheduledActionARN: `arn:aws:autoscaling:us-east-2:111122223333:scheduledAction:x:${name}`,
    ServiceNamespace: 'ecs',
    Schedule: schedule,
    Timezone: timezone ?? undefined,
    ResourceId: OUTPUTS.ScalableTargetId,
    ScalableDimension: 'ecs:service:DesiredCount',
    ScalableTargetAction: { MinCapacity: min, MaxCapacity: 8 },
    CreationTime: new Date('2026-11-01T00:00:00Z'),
  };
}

const PLATFORM_ACTIONS = [
  action('PreOpen', 'cron(10 9 ? * MON-FRI *)', 4),
  action('PostOpen', 'cron(30 10 ? * MON-FRI *)', 2),
  action('PreClose', 'cron(40 15 ? * MON-FRI *)', 4),
  action('PostClose', 'cron(30 16 ? * MON-FRI *)', 2),
];

function givenScaling(
  options: {
    actions?: ScheduledAction[];
    max?: number;
    suspended?: boolean;
    observed?: number[];
    running?: number;
  } = {},
) {
  mocks.appscaling.on(DescribeScalableTargetsCommand).resolves({
    ScalableTargets: [
      {
        ServiceNamespace: 'ecs',
        ResourceId: OUTPUTS.ScalableTargetId,
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: 2,
        MaxCapacity: options.max ?? 8,
        RoleARN: 'arn:aws:iam::111122223333:role/x',
        CreationTime: new Date('2026-11-01T00:00:00Z'),
        SuspendedState: { ScheduledScalingSuspended: options.suspended ?? false },
      },
    ],
  });
  mocks.appscaling
    .on(DescribeScheduledActionsCommand)
    .resolves({ ScheduledActions: options.actions ?? PLATFORM_ACTIONS });
  mocks.appscaling.on(DescribeScalingPoliciesCommand).resolves({
    ScalingPolicies: [
      {
        PolicyName: 'orderbroker-dev-predictive',
        PolicyType: 'PredictiveScaling',
        PolicyARN: 'arn:aws:autoscaling:x',
        ServiceNamespace: 'ecs',
        ResourceId: OUTPUTS.ScalableTargetId,
        ScalableDimension: 'ecs:service:DesiredCount',
        CreationTime: new Date(),
      },
    ],
  });
  mocks.appscaling.on(GetPredictiveScalingForecastCommand).resolves({
    CapacityForecast: { Timestamps: [new Date('2026-11-23T14:00:00Z')], Values: [5] },
  });
  mocks.cloudwatch.on(GetMetricDataCommand).resolves({
    MetricDataResults: [{ Id: 'running', Values: options.observed ?? [4, 4] }],
  });
  mocks.ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        serviceName: OUTPUTS.ServiceName,
        runningCount: options.running ?? 2,
        desiredCount: options.running ?? 2,
      },
    ],
  });
}

let lines: string[];
const run = (now: string, extra: string[] = []) =>
  scenarioMain(['pre-open-capacity', '--stack', 'OrderBroker-dev', ...extra], {
    clients: () => clients,
    clock: new FakeClock(at(now)),
    write: (l) => lines.push(l),
  });

beforeEach(() => {
  reset();
  lines = [];
  givenDeployedStack(mocks);
});

describe('pre-open-capacity', () => {
  test('passes on Sunday: the New York schedule guarantees 4 tasks at 09:25 on Monday and after the DST change', async () => {
    givenScaling();
    await expect(run('2026-11-22T12:00')).resolves.toBe(0);
    expect(lines).toEqual(
      expect.arrayContaining([
        '  PASS  schedule guarantees 4 tasks at Mon 2026-11-23 09:25 EST (next trading day): minimum 4 in force at 09:20 (5 min ready lead), set by PreOpen at Mon 2026-11-23 09:10 EST',
        '  PASS  schedule guarantees 4 tasks at Mon 2027-03-15 09:25 EDT (first trading day after the next DST change): minimum 4 in force at 09:20 (5 min ready lead), set by PreOpen at Mon 2027-03-15 09:10 EDT',
        '  PASS  observed at Fri 2026-11-20 09:25 EST (last trading day): 4 tasks running (Container Insights RunningTaskCount, minimum over the minute) vs 4',
        'scenario pre-open-capacity: PASSED (0 s)',
      ]),
    );
    expect(
      lines.some((l) =>
        l.includes(
          'predictive forecast for Mon 2026-11-23 09:00 EST: 5 tasks (also covers the pre-open level)',
        ),
      ),
    ).toBe(true);
    const forecast = mocks.appscaling.commandCalls(GetPredictiveScalingForecastCommand)[0].args[0].input;
    expect(forecast.PolicyName).toBe('orderbroker-dev-predictive');
  });

  test('fails when the pre-open action is a UTC cron: right in winter, an hour late after the DST change', async () => {
    givenScaling({
      actions: [
        action('PreOpen', 'cron(10 14 ? * MON-FRI *)', 4, null),
        action('PostClose', 'cron(30 21 ? * MON-FRI *)', 2, null),
      ],
    });
    await expect(run('2026-11-22T12:00')).resolves.toBe(1);
    expect(lines).toContain(
      '  FAIL  schedule guarantees 4 tasks at Mon 2027-03-15 09:25 EDT (first trading day after the next DST change): minimum 2 in force at 09:20 (5 min ready lead), set by PostClose at Fri 2027-03-12 16:30 EST',
    );
    expect(lines.some((l) => l.startsWith('  PASS  schedule guarantees 4 tasks at Mon 2026-11-23'))).toBe(
      true,
    );
  });

  test('fails when the pre-open action fires too late for tasks to serve by 09:25', async () => {
    givenScaling({
      actions: [action('PreOpen', 'cron(22 9 ? * MON-FRI *)', 4), ...PLATFORM_ACTIONS.slice(1)],
    });
    await expect(run('2026-11-22T12:00')).resolves.toBe(1);
    expect(lines.filter((l) => l.startsWith('  FAIL  schedule guarantees'))).toHaveLength(2);
  });

  test('fails when another action lowers the minimum at the same instant as the pre-open action', async () => {
    // AWS does not say which of two actions due at one instant runs last, so the lower minimum is assumed.
    givenScaling({
      actions: [...PLATFORM_ACTIONS, action('PreOpenHold', 'cron(10 9 ? * MON-FRI *)', 2)],
    });
    await expect(run('2026-11-22T12:00')).resolves.toBe(1);
    expect(lines).toContain(
      '  FAIL  schedule guarantees 4 tasks at Mon 2026-11-23 09:25 EST (next trading day): minimum 2 in force at 09:20 (5 min ready lead), set by PreOpenHold at Mon 2026-11-23 09:10 EST',
    );
  });

  test('fails when scheduled scaling is suspended', async () => {
    givenScaling({ suspended: true });
    await expect(run('2026-11-22T12:00')).resolves.toBe(1);
    expect(lines).toContain(
      '  FAIL  scheduled scaling active: ScheduledScalingSuspended is true: no scheduled action fires',
    );
  });

  test('fails when the maximum is below the pre-open level', async () => {
    givenScaling({ max: 3 });
    await expect(run('2026-11-22T12:00')).resolves.toBe(1);
    expect(lines).toContain('  FAIL  maximum allows the pre-open level: max 3 vs 4');
  });

  test('fails when Container Insights saw fewer tasks at 09:25 on the last trading day', async () => {
    givenScaling({ observed: [4, 3] });
    await expect(run('2026-11-22T12:00')).resolves.toBe(1);
    expect(lines).toContain(
      '  FAIL  observed at Fri 2026-11-20 09:25 EST (last trading day): 3 tasks running (Container Insights RunningTaskCount, minimum over the minute) vs 4',
    );
  });

  test('checks the running count live between 09:25 and 09:30 on a trading day: pass', async () => {
    givenScaling({ running: 4 });
    await expect(run('2026-11-23T09:26')).resolves.toBe(0);
    expect(lines).toContain('  PASS  running count at 09:26 ET (live): 4 running vs 4');
  });

  test('checks the running count live between 09:25 and 09:30 on a trading day: fail', async () => {
    givenScaling({ running: 3 });
    await expect(run('2026-11-23T09:26')).resolves.toBe(1);
    expect(lines).toContain('  FAIL  running count at 09:26 ET (live): 3 running vs 4');
  });

  test('fails when the service is not registered with Application Auto Scaling', async () => {
    givenScaling();
    mocks.appscaling.on(DescribeScalableTargetsCommand).resolves({ ScalableTargets: [] });
    await expect(run('2026-11-22T12:00')).resolves.toBe(1);
    expect(lines).toContain(
      '  FAIL  scalable target: service/orderbroker-dev/orderbroker-dev is not registered with Application Auto Scaling',
    );
  });

  test('takes the expected level and check time from the command line', async () => {
    givenScaling();
    await expect(run('2026-11-22T12:00', ['--expected-tasks', '5', '--check-time', '09:15'])).resolves.toBe(
      1,
    );
    expect(
      lines.some((l) => l.startsWith('  FAIL  schedule guarantees 5 tasks at Mon 2026-11-23 09:15 EST')),
    ).toBe(true);
  });

  test('exits 2 naming a malformed check time', async () => {
    await expect(run('2026-11-22T12:00', ['--check-time', '9:25'])).resolves.toBe(2);
    expect(lines[0].split('\n')[0]).toBe(
      'error: --check-time = "9:25": expected HH:MM (New York time), e.g. 09:25',
    );
  });
});
