import {
  CodeDeployClient,
  CreateDeploymentCommand,
  type DeploymentInfo,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { Architecture } from '../../lib/config/types';
import type { Clock } from '../shared/clock';
import type { Progress } from '../shared/progress';
import type { StackOutputs } from '../shared/stack-outputs';
import { checkImageExists } from './image';
import { appSpecContent, appSpecInputFromOutputs, buildAppSpec, type EcsAppSpec } from './appspec';
import { containerImage, revisionWithImage, TaskDefinitionError, withImageRef } from './task-definition';

/** CPU architectures the stack defines a task definition for. */
export const ARCHITECTURES: readonly Architecture[] = ['ARM64', 'X86_64'];

/** The AWS clients the deploy path uses (only `send`, so tests pass mocks). */
export interface DeployClients {
  readonly ecs: Pick<ECSClient, 'send'>;
  readonly codedeploy: Pick<CodeDeployClient, 'send'>;
  readonly ecr: Pick<ECRClient, 'send'>;
}

/** What to deploy. */
export interface DeployRequest {
  /**
   * New image tag or `sha256:` digest.
   *
   * @default - the stack's task definition revision as it is (after `cdk deploy` changed the spec, or to switch architecture)
   */
  readonly image?: string;
  /**
   * Architecture green runs.
   *
   * @default - the architecture running now
   */
  readonly architecture?: Architecture;
  /** Deployment description shown in the CodeDeploy console. */
  readonly description?: string;
  /** Last change to the new revision (the bad-version scenario uses it); applied after the image. */
  readonly mutateRevision?: (input: RegisterTaskDefinitionCommandInput) => RegisterTaskDefinitionCommandInput;
}

/** A deployment CodeDeploy accepted. */
export interface StartedDeployment {
  readonly deploymentId: string;
  /** The revision green runs. */
  readonly taskDefinitionArn: string;
  /** The revision blue runs (what a rollback returns to). */
  readonly previousTaskDefinitionArn: string;
  readonly architecture: Architecture;
  readonly appSpec: EcsAppSpec;
}

/**
 * Starts a CodeDeploy blue/green deployment of the OrderBroker service: registers a new revision of the
 * stack's task definition for the chosen architecture with the new image (nothing else changes), builds the
 * AppSpec from the stack outputs (always with the capacity-provider strategy and the validation hook) and
 * creates the deployment. CodeDeploy then validates green through the test listener, shifts traffic as
 * the deployment group's canary says, and rolls back on alarm or failure.
 */
export async function startDeployment(
  clients: DeployClients,
  outputs: StackOutputs,
  request: DeployRequest,
  progress: Progress,
): Promise<StartedDeployment> {
  const { services } = await clients.ecs.send(
    new DescribeServicesCommand({ cluster: outputs.ClusterName, services: [outputs.ServiceName] }),
  );
  const service = services?.[0];
  if (!service?.taskDefinition) {
    throw new TaskDefinitionError(
      `service ${outputs.ServiceName} not found in cluster ${outputs.ClusterName}`,
    );
  }
  const previousTaskDefinitionArn = service.taskDefinition;
  const { taskDefinition: running } = await clients.ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: previousTaskDefinitionArn }),
  );
  const runningArchitecture = running?.runtimePlatform?.cpuArchitecture;
  const architecture = request.architecture ?? runningArchitecture ?? (outputs.Architecture as Architecture);
  progress.step(
    `service ${outputs.ServiceName} runs ${previousTaskDefinitionArn} (${runningArchitecture ?? 'unknown architecture'})`,
  );

  const baseArn = architecture === 'ARM64' ? outputs.Arm64TaskDefinitionArn : outputs.X8664TaskDefinitionArn;
  let taskDefinitionArn = baseArn;
  if (request.image !== undefined || request.mutateRevision) {
    const { taskDefinition: base, tags } = await clients.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: baseArn, include: ['TAGS'] }),
    );
    if (!base) throw new TaskDefinitionError(`task definition ${baseArn} not found`);
    const image =
      request.image !== undefined
        ? withImageRef(containerImage(base, outputs.ContainerName), request.image)
        : containerImage(base, outputs.ContainerName);
    await checkImageExists(clients.ecr, image, progress);
    let input = revisionWithImage(base, tags ?? [], outputs.ContainerName, image);
    if (request.mutateRevision) input = request.mutateRevision(input);
    const { taskDefinition: registered } = await clients.ecs.send(new RegisterTaskDefinitionCommand(input));
    if (!registered?.taskDefinitionArn)
      throw new TaskDefinitionError(`registering a revision of ${base.family} returned no ARN`);
    taskDefinitionArn = registered.taskDefinitionArn;
    progress.step(`registered ${taskDefinitionArn} (${architecture}, image ${image})`);
  } else if (baseArn === previousTaskDefinitionArn) {
    throw new TaskDefinitionError(
      `nothing to deploy: the service already runs ${baseArn}; pass --image <tag|sha256:digest> or --architecture ${architecture === 'ARM64' ? 'X86_64' : 'ARM64'}`,
    );
  } else {
    const { taskDefinition: base } = await clients.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: baseArn }),
    );
    if (!base) throw new TaskDefinitionError(`task definition ${baseArn} not found`);
    await checkImageExists(clients.ecr, containerImage(base, outputs.ContainerName), progress);
  }

  const appSpec = buildAppSpec(appSpecInputFromOutputs(outputs, taskDefinitionArn));
  const { deploymentId } = await clients.codedeploy.send(
    new CreateDeploymentCommand({
      applicationName: outputs.CodeDeployApplication,
      deploymentGroupName: outputs.DeploymentGroupName,
      revision: { revisionType: 'AppSpecContent', appSpecContent: appSpecContent(appSpec) },
      description:
        request.description ?? `OrderBroker ${taskDefinitionArn.split('/').pop()} (${architecture})`,
    }),
  );
  if (!deploymentId) throw new Error('CodeDeploy CreateDeployment returned no deployment id');
  progress.step(
    `created deployment ${deploymentId}: ${previousTaskDefinitionArn.split('/').pop()} -> ${taskDefinitionArn.split('/').pop()}`,
  );
  return { deploymentId, taskDefinitionArn, previousTaskDefinitionArn, architecture, appSpec };
}

/** Terminal CodeDeploy deployment states. */
export const TERMINAL_STATES = ['Succeeded', 'Failed', 'Stopped'] as const;

/** How a followed deployment ended. */
export interface DeploymentOutcome {
  /** A terminal CodeDeploy status, or `TimedOut` when it was still running when following stopped. */
  readonly status: (typeof TERMINAL_STATES)[number] | 'TimedOut';
  readonly info?: DeploymentInfo;
  /** Milliseconds from the start of following to the terminal status. */
  readonly elapsedMs: number;
  /** Highest share of production traffic green received (percent). */
  readonly maxGreenTrafficPercent: number;
}

/** Options of {@link followDeployment}. */
export interface FollowOptions {
  readonly clock: Clock;
  /** @default 10000 */
  readonly pollMs?: number;
  /** Stop following (not the deployment) after this long. */
  readonly timeoutMs: number;
  /** Called after every poll (scenarios sample production here). */
  readonly onPoll?: (info: DeploymentInfo) => Promise<void> | void;
}

/**
 * Follows a deployment until it ends: prints status changes, lifecycle events of the ECS target and the
 * traffic split between blue and green as it moves.
 */
export async function followDeployment(
  codedeploy: Pick<CodeDeployClient, 'send'>,
  deploymentId: string,
  ecsTargetId: string,
  progress: Progress,
  options: FollowOptions,
): Promise<DeploymentOutcome> {
  const started = options.clock.now();
  const pollMs = options.pollMs ?? 10000;
  let lastStatus = '';
  let lastEvents = '';
  let lastTraffic = '';
  let maxGreen = 0;
  for (;;) {
    const { deploymentInfo: info } = await codedeploy.send(new GetDeploymentCommand({ deploymentId }));
    const status = info?.status ?? 'Unknown';
    if (status !== lastStatus) {
      progress.step(`deployment ${deploymentId}: ${status}`);
      lastStatus = status;
    }
    try {
      const { deploymentTarget } = await codedeploy.send(
        new GetDeploymentTargetCommand({ deploymentId, targetId: ecsTargetId }),
      );
      const target = deploymentTarget?.ecsTarget;
      const events = (target?.lifecycleEvents ?? [])
        .filter((e) => e.status && e.status !== 'Pending')
        .map((e) => `${e.lifecycleEventName}=${e.status}`)
        .join(' ');
      if (events && events !== lastEvents) {
        progress.step(`lifecycle: ${events}`);
        lastEvents = events;
      }
      const sets = target?.taskSetsInfo ?? [];
      const traffic = sets
        .map(
          (s) =>
            `${(s.taskSetLabel ?? s.identifer ?? '?').toLowerCase()} ${s.trafficWeight ?? 0}% (${s.runningCount ?? 0}/${s.desiredCount ?? 0} tasks)`,
        )
        .join(', ');
      for (const s of sets)
        if (s.taskSetLabel === 'Green') maxGreen = Math.max(maxGreen, s.trafficWeight ?? 0);
      if (traffic && traffic !== lastTraffic) {
        progress.step(`traffic: ${traffic}`);
        lastTraffic = traffic;
      }
    } catch {
      // The target appears a few seconds after the deployment; its absence is not an error.
    }
    if (info && options.onPoll) await options.onPoll(info);
    const elapsedMs = options.clock.now() - started;
    if ((TERMINAL_STATES as readonly string[]).includes(status)) {
      if (info?.errorInformation?.message) progress.step(`error: ${info.errorInformation.message}`);
      if (info?.rollbackInfo?.rollbackMessage)
        progress.step(`rollback: ${info.rollbackInfo.rollbackMessage}`);
      return {
        status: status as DeploymentOutcome['status'],
        info,
        elapsedMs,
        maxGreenTrafficPercent: maxGreen,
      };
    }
    if (elapsedMs >= options.timeoutMs) {
      progress.step(
        `still ${status} after ${Math.round(elapsedMs / 1000)} s; stopped following (the deployment goes on)`,
      );
      return { status: 'TimedOut', info, elapsedMs, maxGreenTrafficPercent: maxGreen };
    }
    await options.clock.sleep(pollMs);
  }
}

/** Stops a deployment and rolls it back (the SRE's big red button). */
export async function stopDeployment(
  codedeploy: Pick<CodeDeployClient, 'send'>,
  deploymentId: string,
  progress: Progress,
): Promise<void> {
  const { status, statusMessage } = await codedeploy.send(
    new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }),
  );
  progress.step(
    `stop ${deploymentId}: ${status ?? 'requested'}${statusMessage ? ` (${statusMessage})` : ''}`,
  );
}

/** The CodeDeploy target id of the ECS service (`<cluster>:<service>`). */
export function ecsTargetId(outputs: StackOutputs): string {
  return `${outputs.ClusterName}:${outputs.ServiceName}`;
}
