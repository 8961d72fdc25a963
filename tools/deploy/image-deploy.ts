import type { AwsClients } from '../shared/aws';
import type { Clock } from '../shared/clock';
import { Progress } from '../shared/progress';
import { readStackOutputs, StackOutputsError } from '../shared/stack-outputs';
import { AppSpecError } from './appspec';
import { describeAwsFailure } from './aws-errors';
import { ecsTargetId, followDeployment, startDeployment, stopDeployment } from './deploy';
import { type DeployOptions, EXIT } from './deploy-options';
import { ImageNotFoundError } from './image';
import { TaskDefinitionError } from './task-definition';

/** What {@link imageDeploy} runs with. */
export interface ImageDeployDeps {
  readonly clients: AwsClients;
  readonly clock: Clock;
  readonly write: (line: string) => void;
}

/** The message of a failure before or while starting: ours as they are, AWS's without SDK class names. */
function explain(action: string, err: unknown): string {
  if (
    err instanceof StackOutputsError ||
    err instanceof AppSpecError ||
    err instanceof TaskDefinitionError ||
    err instanceof ImageNotFoundError
  ) {
    return err.cause !== undefined ? describeAwsFailure(action, err.cause) : err.message;
  }
  return describeAwsFailure(action, err);
}

/**
 * One `npm run deploy`: stops a deployment (`--stop`), or starts one from the stack outputs and follows it to the
 * end, with progress lines and a summary through `write`. Returns the exit code ({@link EXIT}).
 */
export async function imageDeploy(options: DeployOptions, deps: ImageDeployDeps): Promise<number> {
  const { clients, clock, write } = deps;
  const progress = new Progress(clock, write);
  const { stack } = options;

  if (options.stop) {
    try {
      await stopDeployment(clients.codedeploy, options.stop, progress);
      return EXIT.ok;
    } catch (err) {
      write(`error: could not stop: ${explain(`stopping ${options.stop}`, err)}`);
      return EXIT.cannotStart;
    }
  }

  let outputs;
  let started;
  try {
    outputs = await readStackOutputs(clients.cfn, stack);
    started = await startDeployment(
      clients,
      outputs,
      { image: options.image, architecture: options.architecture },
      progress,
    );
  } catch (err) {
    write(`error: could not start: ${explain(`deploying to ${stack}`, err)}`);
    return EXIT.cannotStart;
  }
  if (options.noWait) {
    write(
      `follow it: npm run deploy -- --stack ${stack} --stop ${started.deploymentId}  (to stop and roll back)`,
    );
    return EXIT.ok;
  }
  let outcome;
  try {
    outcome = await followDeployment(
      clients.codedeploy,
      started.deploymentId,
      ecsTargetId(outputs),
      progress,
      { clock, timeoutMs: options.timeoutMs },
    );
  } catch (err) {
    write(
      `error: lost track of deployment ${started.deploymentId} (it goes on in CodeDeploy): ${explain('following it', err)}`,
    );
    return EXIT.failed;
  }
  const ok = progress.summary(`deployment ${started.deploymentId}`, [
    {
      name: 'deployment',
      passed: outcome.status === 'Succeeded',
      detail:
        outcome.status === 'Succeeded'
          ? `${started.taskDefinitionArn.split('/').pop()} serves production`
          : `${outcome.status}${outcome.info?.rollbackInfo?.rollbackMessage ? `: ${outcome.info.rollbackInfo.rollbackMessage}` : ''}`,
    },
  ]);
  return ok ? EXIT.ok : EXIT.failed;
}
