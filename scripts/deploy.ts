import { type AwsClients, awsClients, REGION } from '../tools/shared/aws';
import { parseArgs, numberOption, stringOption, UsageError } from '../tools/shared/args';
import { type Clock, systemClock } from '../tools/shared/clock';
import { Progress } from '../tools/shared/progress';
import { readStackOutputs, StackOutputsError } from '../tools/shared/stack-outputs';
import { AppSpecError } from '../tools/deploy/appspec';
import {
  ARCHITECTURES,
  type Architecture,
  ecsTargetId,
  followDeployment,
  startDeployment,
  stopDeployment,
} from '../tools/deploy/deploy';
import { TaskDefinitionError } from '../tools/deploy/task-definition';

export const DEPLOY_USAGE = `Usage: npm run deploy -- --stack <OrderBroker-dev|OrderBroker-prod> [options]

Deploys a new OrderBroker image as a CodeDeploy blue/green deployment and follows it to the end.
  --image <tag|sha256:digest>   image to roll out (default: the stack's task definition as it is)
  --architecture ARM64|X86_64   architecture green runs (default: the one running now)
  --no-wait                     return once CodeDeploy accepted the deployment
  --timeout-minutes <n>         stop following after n minutes (default 45; the deployment goes on)
  --stop <deployment-id>        stop a deployment and roll it back
  --region us-east-2
Exit: 0 succeeded, 1 failed / rolled back / stopped / still running, 2 bad usage.`;

/** Dependencies of {@link deployMain} (real ones by default, fakes in tests). */
export interface CliDeps {
  readonly clients?: (region: string) => AwsClients;
  readonly clock?: Clock;
  readonly write?: (line: string) => void;
}

/** The deploy CLI; returns the exit code. */
export async function deployMain(argv: readonly string[], deps: CliDeps = {}): Promise<number> {
  const write = deps.write ?? ((l: string) => console.log(l));
  const clock = deps.clock ?? systemClock;
  const progress = new Progress(clock, write);
  try {
    const { options } = parseArgs(
      argv,
      ['stack', 'image', 'architecture', 'timeout-minutes', 'stop', 'region'],
      ['no-wait', 'help'],
    );
    if (options.help) {
      write(DEPLOY_USAGE);
      return 0;
    }
    const stack = stringOption(options, 'stack');
    if (!stack) throw new UsageError('--stack is required (OrderBroker-dev or OrderBroker-prod)');
    const region = stringOption(options, 'region', REGION)!;
    if (region !== REGION)
      throw new UsageError(`--region = "${region}": the platform runs in ${REGION} only`);
    const architecture = stringOption(options, 'architecture') as Architecture | undefined;
    if (architecture !== undefined && !ARCHITECTURES.includes(architecture)) {
      throw new UsageError(`--architecture = "${architecture}": expected ARM64 or X86_64`);
    }
    const timeoutMs = numberOption(options, 'timeout-minutes', 45, 1, 240) * 60000;
    const clients = (deps.clients ?? awsClients)(region);

    const stop = stringOption(options, 'stop');
    if (stop) {
      await stopDeployment(clients.codedeploy, stop, progress);
      return 0;
    }
    const outputs = await readStackOutputs(clients.cfn, stack);
    const started = await startDeployment(
      clients,
      outputs,
      { image: stringOption(options, 'image'), architecture },
      progress,
    );
    if (options['no-wait']) {
      write(
        `follow it: npm run deploy -- --stack ${stack} --stop ${started.deploymentId}  (to stop and roll back)`,
      );
      return 0;
    }
    const outcome = await followDeployment(
      clients.codedeploy,
      started.deploymentId,
      ecsTargetId(outputs),
      progress,
      {
        clock,
        timeoutMs,
      },
    );
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
    return ok ? 0 : 1;
  } catch (err) {
    if (err instanceof UsageError) {
      write(`error: ${err.message}\n\n${DEPLOY_USAGE}`);
      return 2;
    }
    if (
      err instanceof StackOutputsError ||
      err instanceof AppSpecError ||
      err instanceof TaskDefinitionError
    ) {
      write(`error: ${err.message}`);
      return 1;
    }
    write(`error: ${(err as Error).name}: ${(err as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  void deployMain(process.argv.slice(2)).then((code) => process.exit(code));
}
