/**
 * `npm run stack:deploy -- --profile <dev|prod> [-c key=value ...]`: the one way to change the infrastructure.
 * The checks and the CDK CLI calls are in tools/deploy/stack-deploy.ts; usage and exit codes in
 * tools/deploy/stack-deploy-options.ts.
 */
import { ConfigError, REGION } from '../lib/config/resolve-config';
import { parseArgs, UsageError } from '../tools/shared/args';
import { awsClients } from '../tools/shared/aws';
import { runCli } from '../tools/shared/cli';
import { type Clock, systemClock } from '../tools/shared/clock';
import { type CommandRunner, spawnRunner } from '../tools/shared/command';
import { Progress } from '../tools/shared/progress';
import { describeAwsFailure } from '../tools/deploy/aws-errors';
import { type StackDeployClients, type StackDeployRequest, stackDeploy } from '../tools/deploy/stack-deploy';
import {
  splitContext,
  STACK_DEPLOY_FLAGS,
  STACK_DEPLOY_OPTIONS,
  STACK_DEPLOY_USAGE,
  STACK_EXIT,
  stackDeployRequest,
} from '../tools/deploy/stack-deploy-options';

/** Dependencies of {@link stackDeployMain} (real ones by default, fakes in tests). */
export interface StackCliDeps {
  readonly clients?: (region: string) => StackDeployClients;
  readonly run?: CommandRunner;
  readonly clock?: Clock;
  readonly write?: (line: string) => void;
}

/** The stack:deploy CLI; returns the exit code. */
export async function stackDeployMain(argv: readonly string[], deps: StackCliDeps = {}): Promise<number> {
  const write = deps.write ?? ((l: string) => console.log(l));
  const clock = deps.clock ?? systemClock;
  let request: StackDeployRequest | 'help';
  try {
    const { context, rest } = splitContext(argv);
    request = stackDeployRequest(parseArgs(rest, STACK_DEPLOY_OPTIONS, STACK_DEPLOY_FLAGS), context);
  } catch (err) {
    if (err instanceof UsageError) write(`error: ${err.message}\n\n${STACK_DEPLOY_USAGE}`);
    else if (err instanceof ConfigError) write(err.message);
    else throw err;
    return STACK_EXIT.usage;
  }
  if (request === 'help') {
    write(STACK_DEPLOY_USAGE);
    return STACK_EXIT.ok;
  }
  const { stackName } = request.config;
  try {
    const outcome = await stackDeploy(request, {
      clients: (deps.clients ?? awsClients)(REGION),
      run: deps.run ?? spawnRunner,
      clock,
      progress: new Progress(clock, write),
    });
    switch (outcome.status) {
      case 'deployed':
        write(`${stackName} deployed; production stays on ${outcome.liveTargetGroup}`);
        return STACK_EXIT.ok;
      case 'refused':
        for (const reason of outcome.reasons) write(`refused: ${reason}`);
        return STACK_EXIT.refused;
      case 'failed':
        write(`error: ${outcome.reason}`);
        return STACK_EXIT.failed;
    }
  } catch (err) {
    write(`error: could not start: ${describeAwsFailure(`reading ${stackName}`, err)}`);
    return STACK_EXIT.cannotStart;
  }
}

if (require.main === module) runCli('stack:deploy', (argv) => stackDeployMain(argv));
