/**
 * `npm run deploy -- --stack <name> [--image <tag|digest>] ...`: a CodeDeploy blue/green deployment of a new
 * image, followed to the end. Options, usage and exit codes: tools/deploy/deploy-options.ts; the run:
 * tools/deploy/image-deploy.ts.
 */
import { type AwsClients, awsClients } from '../tools/shared/aws';
import { parseArgs, UsageError } from '../tools/shared/args';
import { runCli } from '../tools/shared/cli';
import { type Clock, systemClock } from '../tools/shared/clock';
import {
  DEPLOY_FLAGS,
  DEPLOY_OPTIONS,
  DEPLOY_USAGE,
  type DeployOptions,
  deployOptions,
  EXIT,
} from '../tools/deploy/deploy-options';
import { imageDeploy } from '../tools/deploy/image-deploy';

/** Dependencies of {@link deployMain} (real ones by default, fakes in tests). */
export interface CliDeps {
  readonly clients?: (region: string) => AwsClients;
  readonly clock?: Clock;
  readonly write?: (line: string) => void;
}

/** The deploy CLI; returns the exit code. */
export async function deployMain(argv: readonly string[], deps: CliDeps = {}): Promise<number> {
  const write = deps.write ?? ((l: string) => console.log(l));
  let options: DeployOptions | 'help';
  try {
    options = deployOptions(parseArgs(argv, DEPLOY_OPTIONS, DEPLOY_FLAGS));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    write(`error: ${err.message}\n\n${DEPLOY_USAGE}`);
    return EXIT.usage;
  }
  if (options === 'help') {
    write(DEPLOY_USAGE);
    return EXIT.ok;
  }
  return imageDeploy(options, {
    clients: (deps.clients ?? awsClients)(options.region),
    clock: deps.clock ?? systemClock,
    write,
  });
}

if (require.main === module) runCli('deploy', (argv) => deployMain(argv));
