import { IMAGE_REF_PATTERN } from '../lib/config/constants';
import type { Architecture } from '../lib/config/types';
import { type AwsClients, awsClients, REGION } from '../tools/shared/aws';
import { parseArgs, numberOption, stringOption, UsageError } from '../tools/shared/args';
import { type Clock, systemClock } from '../tools/shared/clock';
import { Progress } from '../tools/shared/progress';
import { readStackOutputs, StackOutputsError } from '../tools/shared/stack-outputs';
import { AppSpecError } from '../tools/deploy/appspec';
import { describeAwsFailure } from '../tools/deploy/aws-errors';
import { ImageNotFoundError } from '../tools/deploy/image';
import {
  ARCHITECTURES,
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
Credentials come from the usual chain (AWS_PROFILE after \`aws sso login\`, or AWS_ACCESS_KEY_ID/...).
Exit: 0 succeeded (or accepted with --no-wait, or stopped with --stop),
      1 deployment failed, rolled back, stopped or still running at the timeout,
      2 bad usage (nothing was called),
      3 could not start: credentials, network, access, missing stack, outputs or image.`;

/** Exit codes of {@link deployMain}. */
export const EXIT = { ok: 0, failed: 1, usage: 2, cannotStart: 3 } as const;

/** A CloudFormation stack name (starts with a letter; letters, digits and hyphens; at most 128). */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
/** A CodeDeploy deployment id. */
const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;
/** Tags that name no version: a rollback to them is not reproducible. */
const MUTABLE_TAGS = ['latest', 'stable', 'current', 'prod', 'production'];

/** Dependencies of {@link deployMain} (real ones by default, fakes in tests). */
export interface CliDeps {
  readonly clients?: (region: string) => AwsClients;
  readonly clock?: Clock;
  readonly write?: (line: string) => void;
}

/** Options of one run, every one checked before any AWS call. */
interface DeployOptions {
  readonly stack: string;
  readonly region: string;
  readonly image?: string;
  readonly architecture?: Architecture;
  readonly timeoutMs: number;
  readonly stop?: string;
  readonly noWait: boolean;
}

/** Parses and validates the command line (pure); throws UsageError naming the option, value and what is allowed. */
export function parseDeployOptions(argv: readonly string[]): DeployOptions | 'help' {
  const { options, positional } = parseArgs(
    argv,
    ['stack', 'image', 'architecture', 'timeout-minutes', 'stop', 'region'],
    ['no-wait', 'help'],
  );
  if (options.help) return 'help';
  if (positional.length > 0) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positional[0])}; options start with --`);
  }
  const stack = stringOption(options, 'stack');
  if (!stack) throw new UsageError('--stack is required (OrderBroker-dev or OrderBroker-prod)');
  if (!STACK_NAME.test(stack)) {
    throw new UsageError(
      `--stack = ${JSON.stringify(stack)}: expected a CloudFormation stack name (a letter, then letters, digits or hyphens, at most 128), e.g. OrderBroker-prod`,
    );
  }
  const region = stringOption(options, 'region', REGION)!;
  if (region !== REGION) throw new UsageError(`--region = "${region}": the platform runs in ${REGION} only`);
  const architecture = stringOption(options, 'architecture') as Architecture | undefined;
  if (architecture !== undefined && !ARCHITECTURES.includes(architecture)) {
    throw new UsageError(`--architecture = "${architecture}": expected ARM64 or X86_64`);
  }
  const image = stringOption(options, 'image');
  if (image !== undefined) {
    if (!IMAGE_REF_PATTERN.test(image)) {
      throw new UsageError(
        `--image = ${JSON.stringify(image)}: expected a tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}) or a digest sha256:<64 hex>`,
      );
    }
    if (MUTABLE_TAGS.includes(image.toLowerCase())) {
      throw new UsageError(
        `--image = "${image}": a mutable tag cannot be rolled back to; pass the version tag (e.g. 2026.11.4) or the digest sha256:<64 hex>`,
      );
    }
  }
  const timeoutMs = numberOption(options, 'timeout-minutes', 45, 1, 240) * 60000;
  const stop = stringOption(options, 'stop');
  if (stop !== undefined) {
    if (!DEPLOYMENT_ID.test(stop)) {
      throw new UsageError(
        `--stop = ${JSON.stringify(stop)}: expected a CodeDeploy deployment id (d-XXXXXXXXX)`,
      );
    }
    const extra = ['image', 'architecture', 'no-wait'].find((k) => options[k] !== undefined);
    if (extra) throw new UsageError(`--stop cannot be combined with --${extra}`);
  }
  return { stack, region, image, architecture, timeoutMs, stop, noWait: options['no-wait'] === true };
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

/** The deploy CLI; returns the exit code. */
export async function deployMain(argv: readonly string[], deps: CliDeps = {}): Promise<number> {
  const write = deps.write ?? ((l: string) => console.log(l));
  const clock = deps.clock ?? systemClock;
  const progress = new Progress(clock, write);
  let options: DeployOptions;
  try {
    const parsed = parseDeployOptions(argv);
    if (parsed === 'help') {
      write(DEPLOY_USAGE);
      return EXIT.ok;
    }
    options = parsed;
  } catch (err) {
    if (err instanceof UsageError) {
      write(`error: ${err.message}\n\n${DEPLOY_USAGE}`);
      return EXIT.usage;
    }
    throw err;
  }
  const { stack } = options;
  const clients = (deps.clients ?? awsClients)(options.region);

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

if (require.main === module) {
  void deployMain(process.argv.slice(2)).then((code) => process.exit(code));
}
