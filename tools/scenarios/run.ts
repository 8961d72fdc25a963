import type { HttpSend } from '../../lambda/shared/http-client';
import type { AwsClients } from '../shared/aws';
import type { Clock } from '../shared/clock';
import { type Check, Progress } from '../shared/progress';
import { readStackOutputs, StackOutputsError } from '../shared/stack-outputs';
import { badVersionRollback } from './bad-version-rollback';
import { bluegreenZeroDrop } from './bluegreen-zero-drop';
import type { ScenarioContext } from './common';
import type { ScenarioRequest } from './options';
import { preOpenCapacity } from './pre-open-capacity';

/** What {@link runScenario} runs with. */
export interface ScenarioRunDeps {
  readonly clients: AwsClients;
  readonly clock: Clock;
  readonly write: (line: string) => void;
  readonly send: HttpSend;
  readonly pace: (ms: number) => Promise<void>;
}

/**
 * Runs one scenario against the deployed stack and prints its summary through `write`; returns the exit code
 * (0 every check passed, 1 a check failed or the run could not go on, which is a failed check too).
 */
export async function runScenario(request: ScenarioRequest, deps: ScenarioRunDeps): Promise<number> {
  const progress = new Progress(deps.clock, deps.write);
  const { name, stackName } = request;
  try {
    progress.step(`scenario ${name} against ${stackName}`);
    const outputs = await readStackOutputs(deps.clients.cfn, stackName);
    const ctx: ScenarioContext = { ...deps, outputs, stackName, progress };
    let checks: Check[];
    switch (request.name) {
      case 'pre-open-capacity':
        checks = await preOpenCapacity(ctx, request.options);
        break;
      case 'bluegreen-zero-drop':
        checks = await bluegreenZeroDrop(ctx, request.options);
        break;
      case 'bad-version-rollback':
        checks = await badVersionRollback(ctx, request.options);
        break;
    }
    return progress.summary(`scenario ${name}`, checks) ? 0 : 1;
  } catch (err) {
    const message =
      err instanceof StackOutputsError ? err.message : `${(err as Error).name}: ${(err as Error).message}`;
    progress.summary('scenario', [{ name: 'run', passed: false, detail: message }]);
    return 1;
  }
}
