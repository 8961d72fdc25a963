import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import { CodeDeployClient, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import {
  DescribeListenersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { DateTime } from 'luxon';
import { resolveConfig } from '../../../lib/config/resolve-config';
import { stackDeployMain } from '../../../scripts/stack-deploy';
import { changeFreezeWindows, freezeWindowAt } from '../../../tools/deploy/stack-deploy';
import { STACK_EXIT } from '../../../tools/deploy/stack-deploy-options';
import { FakeClock } from '../../../tools/shared/clock';
import { OUTPUTS } from '../../helpers/platform-mocks';

const cfn = mockClient(CloudFormationClient);
const elbv2 = mockClient(ElasticLoadBalancingV2Client);
const codedeploy = mockClient(CodeDeployClient);
const clients = {
  cfn: new CloudFormationClient({ region: 'us-east-2' }),
  elbv2: new ElasticLoadBalancingV2Client({ region: 'us-east-2' }),
  codedeploy: new CodeDeployClient({ region: 'us-east-2' }),
};

const NY = 'America/New_York';
const at = (iso: string) => DateTime.fromISO(iso, { zone: NY }).toMillis();
/** Tuesday 2026-11-24, 11:00 New York: outside both windows. */
const QUIET = at('2026-11-24T11:00');
const DEV = 'OrderBroker-dev';
const OUTDIR = 'cdk.out/stack-deploy-dev';
const param = (color: string) => ['--parameters', `${DEV}:LiveTargetGroup=${color}`];

let lines: string[];
let commands: string[][];
/** Exit code of each CDK command by its verb (synth, diff:destructive, diff:broadening, deploy). */
let exitCodes: Record<string, number>;
/** Fake minutes a CDK command takes (synth and diff create change sets: minutes, not seconds). */
let commandMinutes: number;

const verb = (args: readonly string[]) =>
  args[1] === 'diff' ? `diff:${args[args.indexOf('--fail-on') + 1]}` : args[1];

async function cli(argv: string[], clock = new FakeClock(QUIET)): Promise<number> {
  return stackDeployMain(argv, {
    clients: () => clients,
    clock,
    write: (l) => lines.push(l),
    run: (command, args) => {
      commands.push([command, ...args]);
      clock.advance(commandMinutes * 60_000);
      return Promise.resolve(exitCodes[verb(args)] ?? 0);
    },
  });
}

function listenerForwardsTo(listenerArn: string, ...targetGroups: Array<[string, number]>) {
  return {
    Listeners: [
      {
        ListenerArn: listenerArn,
        DefaultActions: [
          {
            Type: 'forward' as const,
            ForwardConfig: {
              TargetGroups: targetGroups.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })),
            },
          },
        ],
      },
    ],
  };
}

/** The listeners as CodeDeploy left them: production on `live`, the test listener on the other color. */
function givenLive(live: 'blue' | 'green') {
  const [on, off] =
    live === 'blue'
      ? [OUTPUTS.BlueTargetGroupArn, OUTPUTS.GreenTargetGroupArn]
      : [OUTPUTS.GreenTargetGroupArn, OUTPUTS.BlueTargetGroupArn];
  elbv2
    .on(DescribeListenersCommand, { ListenerArns: [OUTPUTS.ProductionListenerArn] })
    .resolves(listenerForwardsTo(OUTPUTS.ProductionListenerArn, [on, 1]));
  elbv2
    .on(DescribeListenersCommand, { ListenerArns: [OUTPUTS.TestListenerArn] })
    .resolves(listenerForwardsTo(OUTPUTS.TestListenerArn, [off, 1]));
}

function givenStack(status = 'UPDATE_COMPLETE', recorded = 'blue') {
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: DEV,
        StackStatus: status as 'UPDATE_COMPLETE',
        CreationTime: new Date('2026-11-01T00:00:00Z'),
        Outputs: Object.entries(OUTPUTS).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        Parameters: [{ ParameterKey: 'LiveTargetGroup', ParameterValue: recorded }],
      },
    ],
  });
}

function givenInSync() {
  cfn.on(DetectStackDriftCommand).resolves({ StackDriftDetectionId: 'drift-1' });
  cfn.on(DescribeStackDriftDetectionStatusCommand).resolves({
    StackDriftDetectionId: 'drift-1',
    DetectionStatus: 'DETECTION_COMPLETE',
    StackDriftStatus: 'IN_SYNC',
  } as never);
}

const noStack = () =>
  Object.assign(new Error(`Stack with id ${DEV} does not exist`), { name: 'ValidationError' });

beforeEach(() => {
  cfn.reset();
  elbv2.reset();
  codedeploy.reset();
  lines = [];
  commands = [];
  exitCodes = {};
  commandMinutes = 0;
  givenStack();
  givenLive('blue');
  givenInSync();
  codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
});

describe('the exact CDK CLI calls', () => {
  test('synth once, diff twice (--fail-on destructive, broadening), deploy with the live target group', async () => {
    givenLive('green');
    await expect(cli(['--profile', 'dev'])).resolves.toBe(STACK_EXIT.ok);
    expect(commands).toEqual([
      ['npx', 'cdk', 'synth', '--quiet', '-c', 'profile=dev', '-o', OUTDIR],
      ['npx', 'cdk', 'diff', DEV, '--app', OUTDIR, ...param('green'), '--fail-on', 'destructive'],
      ['npx', 'cdk', 'diff', DEV, '--app', OUTDIR, ...param('green'), '--fail-on', 'broadening'],
      ['npx', 'cdk', 'deploy', DEV, '--app', OUTDIR, ...param('green'), '--require-approval', 'never'],
    ]);
    expect(lines).toEqual(
      expect.arrayContaining([
        '[00:00] production is on green (the stack last recorded blue: CodeDeploy swapped since); the update keeps it there',
        '[00:00] drift: none',
        `${DEV} deployed; production stays on green`,
      ]),
    );
  });

  test('-c overrides go to synth as they are, after the profile', async () => {
    await expect(cli(['--profile', 'dev', '-c', 'maxTasks=10', '--context', 'natGateways=2'])).resolves.toBe(
      0,
    );
    expect(commands[0]).toEqual([
      'npx',
      'cdk',
      'synth',
      '--quiet',
      '-c',
      'profile=dev',
      '-c',
      'maxTasks=10',
      '-c',
      'natGateways=2',
      '-o',
      OUTDIR,
    ]);
  });

  test('a first create (no stack yet) goes on blue, without the window, drift or listener checks', async () => {
    cfn.on(DescribeStacksCommand).rejects(noStack());
    const inWindow = new FakeClock(at('2026-11-24T09:45'));
    await expect(cli(['--profile', 'dev'], inWindow)).resolves.toBe(STACK_EXIT.ok);
    expect(commands.at(-1)).toEqual([
      'npx',
      'cdk',
      'deploy',
      DEV,
      '--app',
      OUTDIR,
      ...param('blue'),
      '--require-approval',
      'never',
      '--no-rollback',
    ]);
    expect(cfn.commandCalls(DetectStackDriftCommand)).toHaveLength(0);
    expect(elbv2.commandCalls(DescribeListenersCommand)).toHaveLength(0);
  });

  test('a resume that failed again (UPDATE_FAILED, never completed: no outputs) is resumed the same way', async () => {
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: DEV, StackStatus: 'UPDATE_FAILED', CreationTime: new Date() }],
    });
    await expect(cli(['--profile', 'dev'])).resolves.toBe(STACK_EXIT.ok);
    expect(commands.at(-1)).toContain('--no-rollback');
    expect(elbv2.commandCalls(DescribeListenersCommand)).toHaveLength(0);
  });

  test('a failed first create kept as CREATE_FAILED is resumed by the same command, without rollback', async () => {
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: DEV, StackStatus: 'CREATE_FAILED', CreationTime: new Date() }],
    });
    const inWindow = new FakeClock(at('2026-11-24T09:45'));
    await expect(cli(['--profile', 'dev'], inWindow)).resolves.toBe(STACK_EXIT.ok);
    expect(commands.at(-1)).toEqual([
      'npx',
      'cdk',
      'deploy',
      DEV,
      '--app',
      OUTDIR,
      ...param('blue'),
      '--require-approval',
      'never',
      '--no-rollback',
    ]);
    expect(lines).toContain(`[00:00] ${DEV} is CREATE_FAILED: resuming the first create`);
    expect(elbv2.commandCalls(DescribeListenersCommand)).toHaveLength(0);
  });
});

describe('refusals (exit 4, nothing deployed)', () => {
  const expectNothingDeployed = () => expect(commands.map((c) => c[2])).not.toContain('deploy');

  test.each([
    ['ROLLBACK_COMPLETE', 'delete-stack'],
    ['ROLLBACK_FAILED', 'Giving up on a half-created stack'],
    ['DELETE_FAILED', 'retry the delete'],
    ['UPDATE_ROLLBACK_FAILED', 'continue-update-rollback'],
  ])('a stack in %s is refused with what to do instead, before any other call', async (status, hint) => {
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: DEV, StackStatus: status as StackStatus, CreationTime: new Date() }],
    });
    await expect(cli(['--profile', 'dev'])).resolves.toBe(STACK_EXIT.refused);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^refused: ${DEV} is ${status}: .*${hint}`));
    expect(commands).toEqual([]);
  });

  test('UPDATE_FAILED on a stack that completed once (an update without rollback) is refused: roll back first', async () => {
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: DEV,
          StackStatus: 'UPDATE_FAILED',
          CreationTime: new Date(),
          Outputs: [{ OutputKey: 'LoadBalancerDns', OutputValue: 'alb.internal' }],
        },
      ],
    });
    await expect(cli(['--profile', 'dev'])).resolves.toBe(STACK_EXIT.refused);
    expect(lines[0]).toContain('aws cloudformation rollback-stack --stack-name OrderBroker-dev');
    expect(commands).toEqual([]);
  });

  test('a resume that would replace a resource is refused even with --confirm-destructive', async () => {
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: DEV, StackStatus: 'CREATE_FAILED', CreationTime: new Date() }],
    });
    exitCodes['diff:destructive'] = 1;
    await expect(cli(['--profile', 'dev', '--confirm-destructive'])).resolves.toBe(STACK_EXIT.refused);
    expect(lines.at(-1)).toContain('a resume cannot replace resources');
    expectNothingDeployed();
  });

  test('the prod profile as shipped: every placeholder named, before any AWS call', async () => {
    await expect(cli(['--profile', 'prod'])).resolves.toBe(STACK_EXIT.refused);
    expect(lines).toEqual([
      'refused: account = "123456789012" is a placeholder; pass the 12-digit id of the account you deploy to (-c account=...)',
      'refused: certificateArn = "arn:aws:acm:us-east-2:123456789012:certificate/6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f" is a placeholder; pass the ARN of the ACM certificate for the service name in that account (-c certificateArn=...)',
      'refused: serviceHostname = "orderbroker.trading.example.com" is a placeholder; pass the DNS name on that certificate that clients use (-c serviceHostname=...)',
    ]);
    expect(cfn.calls()).toHaveLength(0);
    expect(commands).toEqual([]);
  });

  test('prod with real values passes the placeholder check', async () => {
    const code = await cli([
      '--profile',
      'prod',
      '-c',
      'account=210987654321',
      '-c',
      'certificateArn=arn:aws:acm:us-east-2:210987654321:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      '-c',
      'serviceHostname=orderbroker.trading.acme-markets.net',
    ]);
    expect(lines.filter((l) => l.startsWith('refused:'))).toEqual([]);
    expect(code).toBe(STACK_EXIT.ok);
    expect(commands.at(-1)?.slice(0, 4)).toEqual(['npx', 'cdk', 'deploy', 'OrderBroker-prod']);
  });

  test('a stack update at 09:15 New York on a weekday', async () => {
    await expect(cli(['--profile', 'dev'], new FakeClock(at('2026-11-24T09:15')))).resolves.toBe(
      STACK_EXIT.refused,
    );
    expect(lines).toEqual([
      'refused: stack updates are frozen 09:10-10:30 America/New_York on weekdays (market open/close); run after 10:30, or pass --break-glass "<reason>" for an urgent fix',
    ]);
    expect(commands).toEqual([]);
  });

  test('a stack update at 16:00 New York (the close window)', async () => {
    await expect(cli(['--profile', 'dev'], new FakeClock(at('2026-11-24T16:00')))).resolves.toBe(4);
    expect(lines).toEqual([expect.stringContaining('frozen 15:40-16:30 America/New_York')]);
  });

  test('the window opens while synth and the diffs run: refused before cdk deploy', async () => {
    commandMinutes = 3; // synth + 2 diffs: 09:05 -> 09:14
    await expect(cli(['--profile', 'dev'], new FakeClock(at('2026-11-24T09:05')))).resolves.toBe(4);
    expect(lines).toContain(
      'refused: the 09:10-10:30 America/New_York window opened while checking; nothing was deployed: run after 10:30, or pass --break-glass "<reason>" for an urgent fix',
    );
    expect(commands.map((c) => verb(c.slice(1)))).toEqual(['synth', 'diff:destructive', 'diff:broadening']);
  });

  test('cdk diff reports destructive changes', async () => {
    exitCodes['diff:destructive'] = 1;
    await expect(cli(['--profile', 'dev'])).resolves.toBe(STACK_EXIT.refused);
    expect(lines).toContain(
      'refused: cdk diff reports changes that replace, delete or orphan a resource (see the diff above); review them and pass --confirm-destructive to go ahead',
    );
    expectNothingDeployed();
  });

  test('cdk diff reports broadened permissions (and the destructive confirmation does not cover them)', async () => {
    exitCodes['diff:destructive'] = 1;
    exitCodes['diff:broadening'] = 1;
    await expect(cli(['--profile', 'dev', '--confirm-destructive'])).resolves.toBe(4);
    expect(lines.filter((l) => l.startsWith('refused:'))).toEqual([
      'refused: cdk diff reports changes that broaden permissions (see the diff above); review them and pass --confirm-broadening to go ahead',
    ]);
    expectNothingDeployed();
  });

  test('a CodeDeploy deployment in progress (the listeners are moving)', async () => {
    codedeploy.on(ListDeploymentsCommand).resolves({ deployments: ['d-ABCDEF123'] });
    await expect(cli(['--profile', 'dev'])).resolves.toBe(4);
    expect(lines).toEqual([
      `refused: CodeDeploy deployment d-ABCDEF123 is in progress: the listeners are moving; wait for it to end (npm run deploy -- --stack ${DEV} --stop <id> to roll back)`,
    ]);
    expect(codedeploy.commandCalls(ListDeploymentsCommand)[0].args[0].input).toEqual({
      applicationName: OUTPUTS.CodeDeployApplication,
      deploymentGroupName: OUTPUTS.DeploymentGroupName,
      includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Ready', 'Baking'],
    });
  });

  test('production split between both target groups (traffic is shifting)', async () => {
    elbv2
      .on(DescribeListenersCommand, { ListenerArns: [OUTPUTS.ProductionListenerArn] })
      .resolves(
        listenerForwardsTo(
          OUTPUTS.ProductionListenerArn,
          [OUTPUTS.BlueTargetGroupArn, 90],
          [OUTPUTS.GreenTargetGroupArn, 10],
        ),
      );
    await expect(cli(['--profile', 'dev'])).resolves.toBe(4);
    expect(lines).toEqual([
      'refused: the production listener forwards to targetgroup/ob-dev-blue/1111 and targetgroup/ob-dev-green/2222: a deployment is shifting traffic or someone changed the listener; wait for the deployment to finish (or stop it) and run again',
    ]);
  });

  test('a zero-weight group does not count as live', async () => {
    elbv2
      .on(DescribeListenersCommand, { ListenerArns: [OUTPUTS.ProductionListenerArn] })
      .resolves(
        listenerForwardsTo(
          OUTPUTS.ProductionListenerArn,
          [OUTPUTS.BlueTargetGroupArn, 0],
          [OUTPUTS.GreenTargetGroupArn, 1],
        ),
      );
    elbv2
      .on(DescribeListenersCommand, { ListenerArns: [OUTPUTS.TestListenerArn] })
      .resolves(listenerForwardsTo(OUTPUTS.TestListenerArn, [OUTPUTS.BlueTargetGroupArn, 1]));
    await expect(cli(['--profile', 'dev'])).resolves.toBe(0);
    expect(commands.at(-1)).toEqual(expect.arrayContaining([`${DEV}:LiveTargetGroup=green`]));
  });

  test('both listeners on the same color (changed by hand)', async () => {
    elbv2
      .on(DescribeListenersCommand, { ListenerArns: [OUTPUTS.TestListenerArn] })
      .resolves(listenerForwardsTo(OUTPUTS.TestListenerArn, [OUTPUTS.BlueTargetGroupArn, 1]));
    await expect(cli(['--profile', 'dev'])).resolves.toBe(4);
    expect(lines).toEqual([
      expect.stringMatching(
        /^refused: production forwards to blue but the test listener forwards to .*expected green/,
      ),
    ]);
  });

  test('production moves while checking (a deployment finished meanwhile)', async () => {
    let reads = 0;
    elbv2
      .on(DescribeListenersCommand, { ListenerArns: [OUTPUTS.ProductionListenerArn] })
      .callsFake(() =>
        listenerForwardsTo(OUTPUTS.ProductionListenerArn, [
          reads++ === 0 ? OUTPUTS.BlueTargetGroupArn : OUTPUTS.GreenTargetGroupArn,
          1,
        ]),
      );
    elbv2
      .on(DescribeListenersCommand, { ListenerArns: [OUTPUTS.TestListenerArn] })
      .callsFake(() =>
        listenerForwardsTo(OUTPUTS.TestListenerArn, [
          reads <= 1 ? OUTPUTS.GreenTargetGroupArn : OUTPUTS.BlueTargetGroupArn,
          1,
        ]),
      );
    await expect(cli(['--profile', 'dev'])).resolves.toBe(4);
    expect(lines).toContain(
      'refused: production moved from blue to green while checking (a deployment ran); nothing was deployed: run again',
    );
    expectNothingDeployed();
  });

  test('a stack operation in progress', async () => {
    givenStack('UPDATE_IN_PROGRESS');
    await expect(cli(['--profile', 'dev'])).resolves.toBe(4);
    expect(lines).toEqual([`refused: ${DEV} is UPDATE_IN_PROGRESS: wait for it to finish`]);
  });
});

describe('break-glass', () => {
  test('inside a window with a reason: the reason is logged and names the change set', async () => {
    const clock = new FakeClock(at('2026-11-24T09:45'));
    const code = await cli(['--profile', 'dev', '--break-glass', '  INC-4211 fix order rejection  '], clock);
    expect(code).toBe(STACK_EXIT.ok);
    expect(lines).toContain(
      '[00:00] BREAK-GLASS inside 09:10-10:30 America/New_York: INC-4211 fix order rejection',
    );
    expect(commands.at(-1)).toEqual([
      'npx',
      'cdk',
      'deploy',
      DEV,
      '--app',
      OUTDIR,
      ...param('blue'),
      '--require-approval',
      'never',
      '--change-set-name',
      'break-glass-20261124T1445',
    ]);
  });

  test('outside the windows the reason changes nothing', async () => {
    await expect(cli(['--profile', 'dev', '--break-glass', 'INC-4211 fix order rejection'])).resolves.toBe(0);
    expect(lines.some((l) => l.includes('BREAK-GLASS'))).toBe(false);
    expect(commands.at(-1)).not.toContain('--change-set-name');
  });

  test('a window that opens while checking is logged as break-glass too', async () => {
    commandMinutes = 3;
    const code = await cli(
      ['--profile', 'dev', '--break-glass', 'INC-4211 fix order rejection'],
      new FakeClock(at('2026-11-24T09:05')),
    );
    expect(code).toBe(0);
    expect(lines).toContain(
      '[09:00] BREAK-GLASS inside 09:10-10:30 America/New_York: INC-4211 fix order rejection',
    );
    expect(commands.at(-1)?.slice(-2)).toEqual(['--change-set-name', 'break-glass-20261124T1414']);
  });

  test('a reason too short to mean anything is bad usage', async () => {
    await expect(cli(['--profile', 'dev', '--break-glass', 'urgent'])).resolves.toBe(STACK_EXIT.usage);
    expect(lines[0]).toMatch(
      /^error: --break-glass = "urgent": give the reason in words \(at least 10 characters\)/,
    );
  });

  test('confirmed destructive changes are logged and deployed', async () => {
    exitCodes['diff:destructive'] = 1;
    await expect(cli(['--profile', 'dev', '--confirm-destructive'])).resolves.toBe(0);
    expect(lines).toContain('[00:00] destructive changes confirmed with --confirm-destructive');
    expect(commands.map((c) => verb(c.slice(1)))).toEqual([
      'synth',
      'diff:destructive',
      'diff:broadening',
      'deploy',
    ]);
  });
});

describe('the market windows follow New York time (daylight saving time)', () => {
  const config = resolveConfig({ profile: 'dev' });

  test('the same UTC instant, 13:15Z, is outside on the Friday before DST starts and inside on the Monday after', () => {
    // 2026-03-08 02:00 EST -> EDT. Friday 13:15Z = 08:15 EST; Monday 13:15Z = 09:15 EDT.
    expect(freezeWindowAt(config, Date.parse('2026-03-06T13:15:00Z'))).toBeUndefined();
    expect(freezeWindowAt(config, Date.parse('2026-03-09T13:15:00Z'))).toEqual({
      from: { hour: 9, minute: 10 },
      to: { hour: 10, minute: 30 },
    });
  });

  test('and the other way round when DST ends: 14:35Z is outside on the Friday before, inside on the Monday after', () => {
    // 2026-11-01 02:00 EDT -> EST. Friday 14:35Z = 10:35 EDT (after the window); Monday 14:35Z = 09:35 EST.
    expect(freezeWindowAt(config, Date.parse('2026-10-30T14:35:00Z'))).toBeUndefined();
    expect(freezeWindowAt(config, Date.parse('2026-11-02T14:35:00Z'))).toEqual({
      from: { hour: 9, minute: 10 },
      to: { hour: 10, minute: 30 },
    });
  });

  test('through the CLI: the Monday after the switch is refused, the Friday before deploys', async () => {
    await expect(cli(['--profile', 'dev'], new FakeClock(Date.parse('2026-03-09T13:15:00Z')))).resolves.toBe(
      4,
    );
    lines = [];
    await expect(cli(['--profile', 'dev'], new FakeClock(Date.parse('2026-03-06T13:15:00Z')))).resolves.toBe(
      0,
    );
  });

  test('the bounds: from is inside, to is outside; weekends are open', () => {
    const inside = (iso: string) => freezeWindowAt(config, at(iso)) !== undefined;
    expect(inside('2026-11-24T09:09')).toBe(false);
    expect(inside('2026-11-24T09:10')).toBe(true);
    expect(inside('2026-11-24T10:29')).toBe(true);
    expect(inside('2026-11-24T10:30')).toBe(false);
    expect(inside('2026-11-24T15:39')).toBe(false);
    expect(inside('2026-11-24T15:40')).toBe(true);
    expect(inside('2026-11-24T16:29')).toBe(true);
    expect(inside('2026-11-24T16:30')).toBe(false);
    expect(inside('2026-11-28T09:45')).toBe(false); // Saturday
  });

  test('moving the scaling times can widen a window, never shrink it', () => {
    const narrow = resolveConfig({ profile: 'dev', preOpenTime: '09:20', postOpenTime: '10:00' });
    const wide = resolveConfig({ profile: 'dev', postCloseTime: '16:45' });
    expect(changeFreezeWindows(narrow)[0]).toEqual({
      from: { hour: 9, minute: 10 },
      to: { hour: 10, minute: 30 },
    });
    expect(changeFreezeWindows(wide)[1]).toEqual({
      from: { hour: 15, minute: 40 },
      to: { hour: 16, minute: 45 },
    });
  });
});

describe('drift of the live stack', () => {
  test('waits for detection, lists modified and deleted resources, marks listener drift as expected', async () => {
    let polls = 0;
    cfn.on(DescribeStackDriftDetectionStatusCommand).callsFake(() =>
      polls++ < 2
        ? { StackDriftDetectionId: 'drift-1', DetectionStatus: 'DETECTION_IN_PROGRESS' }
        : {
            StackDriftDetectionId: 'drift-1',
            DetectionStatus: 'DETECTION_COMPLETE',
            StackDriftStatus: 'DRIFTED',
          },
    );
    cfn.on(DescribeStackResourceDriftsCommand).resolves({
      StackResourceDrifts: [
        {
          StackId: 'x',
          LogicalResourceId: 'PlatformLoadBalancingProductionListener',
          ResourceType: 'AWS::ElasticLoadBalancingV2::Listener',
          StackResourceDriftStatus: 'MODIFIED',
          PropertyDifferences: [
            {
              PropertyPath: '/DefaultActions/0/TargetGroupArn',
              ExpectedValue: 'a',
              ActualValue: 'b',
              DifferenceType: 'NOT_EQUAL',
            },
          ],
          Timestamp: new Date(),
        },
        {
          StackId: 'x',
          LogicalResourceId: 'AlarmTopicPolicy',
          ResourceType: 'AWS::SNS::TopicPolicy',
          StackResourceDriftStatus: 'DELETED',
          Timestamp: new Date(),
        },
      ],
    });
    await expect(cli(['--profile', 'dev'])).resolves.toBe(0);
    expect(polls).toBe(3);
    expect(cfn.commandCalls(DescribeStackResourceDriftsCommand)[0].args[0].input).toEqual({
      StackName: DEV,
      StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'],
    });
    expect(lines).toEqual(
      expect.arrayContaining([
        '[00:10] drift: 2 resource(s)',
        '[00:10]   drift: PlatformLoadBalancingProductionListener (AWS::ElasticLoadBalancingV2::Listener) MODIFIED: /DefaultActions/0/TargetGroupArn (expected: CodeDeploy moves the listeners; the update keeps the live target group)',
        '[00:10]   drift: AlarmTopicPolicy (AWS::SNS::TopicPolicy) DELETED',
      ]),
    );
  });

  test('a detection that failed for some resources says so', async () => {
    cfn.on(DescribeStackDriftDetectionStatusCommand).resolves({
      StackDriftDetectionId: 'drift-1',
      DetectionStatus: 'DETECTION_FAILED',
      DetectionStatusReason: 'Failed to detect drift on resource [PlatformHook]',
      StackDriftStatus: 'IN_SYNC',
    } as never);
    await expect(cli(['--profile', 'dev'])).resolves.toBe(0);
    expect(lines).toContain(
      '[00:00]   drift: drift detection failed for some resources (Failed to detect drift on resource [PlatformHook]); the others are listed',
    );
  });
});

describe('usage, configuration and AWS failures', () => {
  test.each([
    [[], 'error: --profile is required (dev or prod)'],
    [['--profile', 'dev', 'now'], 'error: unexpected argument "now"; options start with --'],
    [
      ['--profile', 'dev', '--region', 'us-east-1'],
      'error: --region = "us-east-1": the platform runs in us-east-2 only',
    ],
    [
      ['--profile', 'dev', '-c', 'profile=prod'],
      'error: pass the profile with --profile, not -c profile=...',
    ],
    [['--profile', 'dev', '-c', 'nope'], 'error: -c nope: expected key=value, e.g. -c account=210987654321'],
    [
      ['--profile', 'dev', '--force'],
      expect.stringMatching(/^error: unknown option --force; allowed: --profile/),
    ],
  ])('%j exits 2 with the usage', async (argv, message) => {
    await expect(cli(argv)).resolves.toBe(STACK_EXIT.usage);
    expect(lines[0]).toEqual(expect.stringContaining('Usage: npm run stack:deploy'));
    expect(lines[0].split('\n')[0]).toEqual(message);
    expect(cfn.calls()).toHaveLength(0);
  });

  test('a configuration error names the key and the nearest known one, exit 2, no stack trace', async () => {
    await expect(cli(['--profile', 'dev', '-c', 'maxTaks=10'])).resolves.toBe(STACK_EXIT.usage);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/maxTaks = "10": unknown configuration key; did you mean maxTasks\?/);
    expect(lines[0]).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('--help exits 0 with the usage', async () => {
    await expect(cli(['--help'])).resolves.toBe(0);
    expect(lines).toEqual([expect.stringMatching(/^Usage: npm run stack:deploy/)]);
  });

  test('no credentials: exit 3 with the hint, no CDK command', async () => {
    cfn.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    );
    await expect(cli(['--profile', 'dev'])).resolves.toBe(STACK_EXIT.cannotStart);
    expect(lines).toEqual([
      expect.stringMatching(
        /^error: could not start: reading OrderBroker-dev: no valid AWS credentials .*aws sso login/,
      ),
    ]);
    expect(lines[0]).not.toContain('CredentialsProviderError');
    expect(commands).toEqual([]);
  });

  test('synth fails: exit 1, no diff or deploy', async () => {
    exitCodes.synth = 1;
    await expect(cli(['--profile', 'dev'])).resolves.toBe(STACK_EXIT.failed);
    expect(lines).toContain('error: cdk synth failed (the compliance gate or the configuration; see above)');
    expect(commands.map((c) => verb(c.slice(1)))).toEqual(['synth']);
  });

  test('deploy fails: exit 1', async () => {
    exitCodes.deploy = 1;
    await expect(cli(['--profile', 'dev'])).resolves.toBe(STACK_EXIT.failed);
    expect(lines).toContain(`error: cdk deploy ${DEV} failed (see the CloudFormation events above)`);
  });
});
