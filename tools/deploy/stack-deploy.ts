import {
  type CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { type CodeDeployClient, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import {
  DescribeListenersCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DateTime } from 'luxon';
import { describePlaceholder, placeholdersIn } from '../../lib/config/placeholders';
import { minutes } from '../../lib/config/clock-time';
import { formatTime } from '../../lib/config/resolve-config';
import type { ClockTime, TapConfig } from '../../lib/config/types';
import type { TargetGroupColor } from '../../lib/constructs/load-balancing';
import { LIVE_TARGET_GROUP_PARAMETER } from '../../lib/tap-stack';
import type { Clock } from '../shared/clock';
import type { CommandRunner } from '../shared/command';
import type { Progress } from '../shared/progress';

export type { CommandRunner } from '../shared/command';

/** AWS clients the stack deploy reads with (only `send`, so tests pass mocks). */
export interface StackDeployClients {
  readonly cfn: Pick<CloudFormationClient, 'send'>;
  readonly elbv2: Pick<ElasticLoadBalancingV2Client, 'send'>;
  readonly codedeploy: Pick<CodeDeployClient, 'send'>;
}

/** One infrastructure change. */
export interface StackDeployRequest {
  /** The validated configuration the stack is built from (profile plus `-c` overrides). */
  readonly config: TapConfig;
  /** `-c key=value` overrides, passed on to the CDK CLI as they are. */
  readonly context: Readonly<Record<string, string>>;
  /** Reason for updating inside a market window; logged, and named in the change set. */
  readonly breakGlass?: string;
  /** The SRE confirmed the destructive changes `cdk diff` reported. */
  readonly confirmDestructive: boolean;
  /** The SRE confirmed the permission-broadening changes `cdk diff` reported. */
  readonly confirmBroadening: boolean;
}

/** Dependencies of {@link stackDeploy}. */
export interface StackDeployDeps {
  readonly clients: StackDeployClients;
  readonly run: CommandRunner;
  readonly clock: Clock;
  readonly progress: Progress;
  /** @default 5000 */
  readonly pollMs?: number;
}

/** How a stack deploy ended. */
export type StackDeployOutcome =
  | { readonly status: 'deployed'; readonly liveTargetGroup: TargetGroupColor }
  | { readonly status: 'refused'; readonly reasons: readonly string[] }
  | { readonly status: 'failed'; readonly reason: string };

/**
 * The market windows in which no stack update runs without break-glass: 09:10-10:30 and 15:40-16:30 America/New_York
 * on weekdays. A profile that moves its scaling times (`-c preOpenTime=...`) can widen a window, never shrink it.
 */
export const MARKET_FREEZE_WINDOWS: ReadonlyArray<{ from: ClockTime; to: ClockTime }> = [
  { from: { hour: 9, minute: 10 }, to: { hour: 10, minute: 30 } },
  { from: { hour: 15, minute: 40 }, to: { hour: 16, minute: 30 } },
];

const earlier = (a: ClockTime, b: ClockTime) => (minutes(a) <= minutes(b) ? a : b);
const later = (a: ClockTime, b: ClockTime) => (minutes(a) >= minutes(b) ? a : b);

/** The market windows in which a stack update is refused without break-glass (America/New_York, weekdays). */
export function changeFreezeWindows(config: TapConfig): Array<{ from: ClockTime; to: ClockTime }> {
  const [open, close] = MARKET_FREEZE_WINDOWS;
  return [
    { from: earlier(open.from, config.schedule.preOpen), to: later(open.to, config.schedule.postOpen) },
    { from: earlier(close.from, config.schedule.preClose), to: later(close.to, config.schedule.postClose) },
  ];
}

/** The window `now` falls in (weekdays, New York time, so daylight saving time is followed), if any (pure). */
export function freezeWindowAt(
  config: TapConfig,
  nowMs: number,
): { from: ClockTime; to: ClockTime } | undefined {
  const ny = DateTime.fromMillis(nowMs, { zone: 'America/New_York' });
  if (ny.weekday > 5) return undefined;
  const minute = ny.hour * 60 + ny.minute;
  return changeFreezeWindows(config).find((w) => minute >= minutes(w.from) && minute < minutes(w.to));
}

/** What the live listeners say, with the target group ARNs from the stack outputs. */
export interface LiveListeners {
  readonly productionListenerArn: string;
  readonly testListenerArn: string;
  readonly blueTargetGroupArn: string;
  readonly greenTargetGroupArn: string;
}

/** Raised when the live listeners are in a state the deploy cannot explain; nothing is changed. */
export class LiveTargetGroupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LiveTargetGroupError';
  }
}

/** Target group ARNs a listener forwards to with a non-zero weight. */
async function forwardTargets(elbv2: StackDeployClients['elbv2'], listenerArn: string): Promise<string[]> {
  const { Listeners } = await elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }));
  const forward = Listeners?.[0]?.DefaultActions?.find((a) => a.Type === 'forward');
  const weighted = forward?.ForwardConfig?.TargetGroups;
  if (weighted && weighted.length > 0) {
    return weighted.filter((g) => (g.Weight ?? 1) > 0 && g.TargetGroupArn).map((g) => g.TargetGroupArn!);
  }
  return forward?.TargetGroupArn ? [forward.TargetGroupArn] : [];
}

/** Stack statuses this command will not deploy over, with what to do instead. */
const STUCK_STATUSES: Readonly<Record<string, string>> = {
  ROLLBACK_COMPLETE:
    'a failed create that rolled back; CloudFormation cannot update it. Delete it (aws cloudformation delete-stack), then run this again (it creates without rollback)',
  ROLLBACK_FAILED:
    'a create rollback stopped (deletion-protected ALB or database?). Follow docs/first-deploy.md, "Giving up on a half-created stack", then run this again',
  DELETE_FAILED: 'a delete stopped; finish or retry the delete, then run this again',
  UPDATE_ROLLBACK_FAILED:
    'an update rollback stopped: continue it (aws cloudformation continue-update-rollback), then run this again',
};

/**
 * The color production forwards to now, read from the live listeners (DescribeListeners). Refuses when
 * production is split between both groups (a deployment is shifting traffic), forwards to a group that is
 * neither blue nor green, or when the test listener does not forward to the other color.
 */
export async function liveTargetGroup(
  elbv2: StackDeployClients['elbv2'],
  live: LiveListeners,
): Promise<TargetGroupColor> {
  const color = (arn: string): TargetGroupColor | undefined =>
    arn === live.blueTargetGroupArn ? 'blue' : arn === live.greenTargetGroupArn ? 'green' : undefined;
  const production = await forwardTargets(elbv2, live.productionListenerArn);
  const test = await forwardTargets(elbv2, live.testListenerArn);
  if (production.length !== 1) {
    throw new LiveTargetGroupError(
      `the production listener forwards to ${production.length === 0 ? 'no target group' : production.map(short).join(' and ')}: a deployment is shifting traffic or someone changed the listener; wait for the deployment to finish (or stop it) and run again`,
    );
  }
  const on = color(production[0]);
  if (!on) {
    throw new LiveTargetGroupError(
      `the production listener forwards to ${short(production[0])}, which is neither the blue nor the green target group of this stack; fix the listener by hand first`,
    );
  }
  const other: TargetGroupColor = on === 'blue' ? 'green' : 'blue';
  if (test.length !== 1 || color(test[0]) !== other) {
    throw new LiveTargetGroupError(
      `production forwards to ${on} but the test listener forwards to ${test.map(short).join(' and ') || 'nothing'} (expected ${other}); CodeDeploy keeps them on opposite colors, so something else changed them: fix the listeners by hand first`,
    );
  }
  return on;
}

const short = (arn: string) => arn.split(':').pop() ?? arn;

/** Drift of the live stack (DetectStackDrift), as lines for the SRE. Listener drift is expected (CodeDeploy). */
export async function reportDrift(
  cfn: StackDeployClients['cfn'],
  stackName: string,
  deps: Pick<StackDeployDeps, 'clock' | 'progress' | 'pollMs'>,
): Promise<string[]> {
  const { StackDriftDetectionId: id } = await cfn.send(new DetectStackDriftCommand({ StackName: stackName }));
  for (let i = 0; i < 60; i++) {
    const status = await cfn.send(
      new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: id }),
    );
    if (status.DetectionStatus === 'DETECTION_IN_PROGRESS') {
      await deps.clock.sleep(deps.pollMs ?? 5000);
      continue;
    }
    // DETECTION_FAILED: some resources could not be checked; the others have results (say both).
    const incomplete =
      status.DetectionStatus === 'DETECTION_FAILED'
        ? [
            `drift detection failed for some resources (${status.DetectionStatusReason ?? 'no reason given'}); the others are listed`,
          ]
        : [];
    if (status.StackDriftStatus === 'IN_SYNC') return incomplete;
    const { StackResourceDrifts: drifts } = await cfn.send(
      new DescribeStackResourceDriftsCommand({
        StackName: stackName,
        StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'],
      }),
    );
    return [
      ...incomplete,
      ...(drifts ?? []).map((d) => {
        const expected =
          d.ResourceType === 'AWS::ElasticLoadBalancingV2::Listener'
            ? ' (expected: CodeDeploy moves the listeners; the update keeps the live target group)'
            : '';
        const props = (d.PropertyDifferences ?? []).map((p) => p.PropertyPath).join(', ');
        return `${d.LogicalResourceId} (${d.ResourceType}) ${d.StackResourceDriftStatus}${props ? `: ${props}` : ''}${expected}`;
      }),
    ];
  }
  return ['drift detection did not finish in time; check the CloudFormation console'];
}

/**
 * The color production is on now, or why the update must wait: a CodeDeploy deployment in progress (it moves the
 * listeners), or listeners in a state the deploy cannot explain.
 */
async function liveState(
  clients: StackDeployClients,
  stackName: string,
  outputs: Readonly<Record<string, string | undefined>>,
): Promise<{ status: 'live'; live: TargetGroupColor } | { status: 'refused'; reasons: string[] }> {
  const { deployments } = await clients.codedeploy.send(
    new ListDeploymentsCommand({
      applicationName: outputs.CodeDeployApplication,
      deploymentGroupName: outputs.DeploymentGroupName,
      includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Ready', 'Baking'],
    }),
  );
  if (deployments && deployments.length > 0) {
    return {
      status: 'refused',
      reasons: [
        `CodeDeploy deployment ${deployments.join(', ')} is in progress: the listeners are moving; wait for it to end (npm run deploy -- --stack ${stackName} --stop <id> to roll back)`,
      ],
    };
  }
  try {
    const live = await liveTargetGroup(clients.elbv2, {
      productionListenerArn: outputs.ProductionListenerArn!,
      testListenerArn: outputs.TestListenerArn!,
      blueTargetGroupArn: outputs.BlueTargetGroupArn!,
      greenTargetGroupArn: outputs.GreenTargetGroupArn!,
    });
    return { status: 'live', live };
  } catch (err) {
    if (err instanceof LiveTargetGroupError) return { status: 'refused', reasons: [err.message] };
    throw err;
  }
}

/** The CDK CLI arguments that pass the configuration on (`-c profile=... -c key=value ...`). */
function contextArgs(request: StackDeployRequest): string[] {
  const pairs = { profile: request.config.profile, ...request.context };
  return Object.entries(pairs).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
}

/**
 * One infrastructure change of `OrderBroker-<profile>`, with every check before CloudFormation runs:
 * placeholders, the market windows (updates only, unless break-glass), destructive and permission-broadening
 * changes (`cdk diff --fail-on`), drift, and the live target group, which is passed as the stack parameter
 * so the update keeps production where CodeDeploy left it.
 */
export async function stackDeploy(
  request: StackDeployRequest,
  deps: StackDeployDeps,
): Promise<StackDeployOutcome> {
  const { config } = request;
  const { progress } = deps;
  const stackName = config.stackName;

  const placeholders = placeholdersIn(config);
  if (placeholders.length > 0) return { status: 'refused', reasons: placeholders.map(describePlaceholder) };

  let stack: Stack | undefined;
  try {
    const { Stacks } = await deps.clients.cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    stack = Stacks?.[0];
  } catch (err) {
    if (!/does not exist/.test((err as Error).message ?? '')) throw err;
  }
  const status = stack?.StackStatus;
  const stuck = STUCK_STATUSES[status ?? ''];
  if (stuck) return { status: 'refused', reasons: [`${stackName} is ${status}: ${stuck}`] };
  // A failed first create kept by --no-rollback (CREATE_FAILED, or UPDATE_FAILED when a resume failed too: the
  // stack never completed, so it has no outputs) resumes like a first create: nothing serves yet, and the same
  // command retries the failed resources (CloudFormation "preserve successfully provisioned resources").
  const neverCompleted = (stack?.Outputs ?? []).length === 0;
  const resuming = status === 'CREATE_FAILED' || (status === 'UPDATE_FAILED' && neverCompleted);
  if (status === 'UPDATE_FAILED' && !resuming) {
    return {
      status: 'refused',
      reasons: [
        `${stackName} is UPDATE_FAILED with its resources kept (an update ran without rollback): roll it back first (aws cloudformation rollback-stack --stack-name ${stackName}), then run this again`,
      ],
    };
  }
  const exists = stack !== undefined && status !== 'REVIEW_IN_PROGRESS' && !resuming;
  if (status?.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS') {
    return { status: 'refused', reasons: [`${stackName} is ${status}: wait for it to finish`] };
  }

  let breakGlass = false;
  if (exists) {
    const window = freezeWindowAt(config, deps.clock.now());
    if (window) {
      const span = `${formatTime(window.from)}-${formatTime(window.to)} America/New_York`;
      if (!request.breakGlass) {
        return {
          status: 'refused',
          reasons: [
            `stack updates are frozen ${span} on weekdays (market open/close); run after ${formatTime(window.to)}, or pass --break-glass "<reason>" for an urgent fix`,
          ],
        };
      }
      breakGlass = true;
      progress.step(`BREAK-GLASS inside ${span}: ${request.breakGlass}`);
    }
  }

  // Which target group is live: the listeners, as CodeDeploy left them; blue on the first create.
  let live: TargetGroupColor = 'blue';
  const outputs: Record<string, string | undefined> = Object.fromEntries(
    (stack?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue]),
  );
  if (exists) {
    const state = await liveState(deps.clients, stackName, outputs);
    if (state.status === 'refused') return state;
    live = state.live;
    const previous = stack!.Parameters?.find((p) => p.ParameterKey === LIVE_TARGET_GROUP_PARAMETER);
    progress.step(
      `production is on ${live}${previous?.ParameterValue && previous.ParameterValue !== live ? ` (the stack last recorded ${previous.ParameterValue}: CodeDeploy swapped since)` : ''}; the update keeps it there`,
    );

    const drift = await reportDrift(deps.clients.cfn, stackName, deps);
    progress.step(drift.length === 0 ? 'drift: none' : `drift: ${drift.length} resource(s)`);
    for (const line of drift) progress.step(`  drift: ${line}`);
  }

  // Synthesize once; diff and deploy read the same cloud assembly.
  const outdir = `cdk.out/stack-deploy-${config.profile}`;
  const parameter = ['--parameters', `${stackName}:${LIVE_TARGET_GROUP_PARAMETER}=${live}`];
  if ((await deps.run('npx', ['cdk', 'synth', '--quiet', ...contextArgs(request), '-o', outdir])) !== 0) {
    return {
      status: 'failed',
      reason: 'cdk synth failed (the compliance gate or the configuration; see above)',
    };
  }
  const refusals: string[] = [];
  for (const [kind, confirmed, flag] of [
    ['destructive', request.confirmDestructive, '--confirm-destructive'],
    ['broadening', request.confirmBroadening, '--confirm-broadening'],
  ] as const) {
    const code = await deps.run('npx', [
      'cdk',
      'diff',
      stackName,
      '--app',
      outdir,
      ...parameter,
      '--fail-on',
      kind,
    ]);
    if (code !== 0 && kind === 'destructive' && resuming) {
      // CloudFormation cannot replace a resource of a paused create: it would ask to roll back, which the
      // deletion-protected ALB and database turn into ROLLBACK_FAILED. No confirmation lets that through.
      refusals.push(
        `cdk diff reports changes that replace, delete or orphan a resource of the half-created ${stackName}; a resume cannot replace resources: undo that change, or give up on the stack (docs/first-deploy.md, "Giving up on a half-created stack")`,
      );
    } else if (code !== 0 && !confirmed) {
      refusals.push(
        `cdk diff reports ${kind === 'destructive' ? 'changes that replace, delete or orphan a resource' : 'changes that broaden permissions'} (see the diff above); review them and pass ${flag} to go ahead`,
      );
    } else if (code !== 0) {
      progress.step(`${kind} changes confirmed with ${flag}`);
    }
  }
  if (refusals.length > 0) return { status: 'refused', reasons: refusals };

  if (exists) {
    // Synth and the diffs take minutes: the market window may have opened, or a deployment started, meanwhile.
    const window = freezeWindowAt(config, deps.clock.now());
    if (window && !request.breakGlass) {
      return {
        status: 'refused',
        reasons: [
          `the ${formatTime(window.from)}-${formatTime(window.to)} America/New_York window opened while checking; nothing was deployed: run after ${formatTime(window.to)}, or pass --break-glass "<reason>" for an urgent fix`,
        ],
      };
    }
    if (window && !breakGlass) {
      breakGlass = true;
      progress.step(
        `BREAK-GLASS inside ${formatTime(window.from)}-${formatTime(window.to)} America/New_York: ${request.breakGlass}`,
      );
    }
    const state = await liveState(deps.clients, stackName, outputs);
    if (state.status === 'refused') return state;
    if (state.live !== live) {
      return {
        status: 'refused',
        reasons: [
          `production moved from ${live} to ${state.live} while checking (a deployment ran); nothing was deployed: run again`,
        ],
      };
    }
  }
  const deployArgs = ['cdk', 'deploy', stackName, '--app', outdir, ...parameter];
  // Broadening was reviewed above (refused or confirmed): the CLI must not stop for it again.
  deployArgs.push('--require-approval', 'never');
  if (!exists) {
    // The ALB and the database are deletion-protected from their creation: a create rollback would end in
    // ROLLBACK_FAILED. Without rollback a failed create stays CREATE_FAILED and this same command resumes it.
    deployArgs.push('--no-rollback');
    if (resuming) progress.step(`${stackName} is ${status}: resuming the first create`);
  }
  if (breakGlass) {
    // A stack tag would propagate to every resource (a stack-wide update); the change set name is recorded
    // in the stack's events and CloudTrail instead, next to the reason printed above.
    const stamp = DateTime.fromMillis(deps.clock.now(), { zone: 'utc' }).toFormat("yyyyLLdd'T'HHmm");
    deployArgs.push('--change-set-name', `break-glass-${stamp}`);
  }
  progress.step(`deploying ${stackName} with ${LIVE_TARGET_GROUP_PARAMETER}=${live}`);
  if ((await deps.run('npx', deployArgs)) !== 0) {
    return {
      status: 'failed',
      reason: `cdk deploy ${stackName} failed (see the CloudFormation events above)`,
    };
  }
  return { status: 'deployed', liveTargetGroup: live };
}
