/**
 * `npm run scenario -- <scenario> --stack <name> [options]`: runs one acceptance scenario against a deployed
 * stack. Options and usage: tools/scenarios/options.ts; the run: tools/scenarios/run.ts.
 */
import { type HttpSend, sendHttp } from '../lambda/shared/http-client';
import { type AwsClients, awsClients } from '../tools/shared/aws';
import { parseArgs, UsageError } from '../tools/shared/args';
import { runCli } from '../tools/shared/cli';
import { type Clock, systemClock } from '../tools/shared/clock';
import { realPace } from '../tools/scenarios/common';
import {
  SCENARIO_FLAGS,
  SCENARIO_OPTIONS,
  SCENARIO_USAGE,
  type ScenarioRequest,
  scenarioRequest,
} from '../tools/scenarios/options';
import { runScenario } from '../tools/scenarios/run';

/** Dependencies of {@link scenarioMain} (real by default, fakes in tests). */
export interface ScenarioCliDeps {
  readonly clients?: (region: string) => AwsClients;
  readonly clock?: Clock;
  readonly write?: (line: string) => void;
  readonly send?: HttpSend;
  readonly pace?: (ms: number) => Promise<void>;
}

/** The scenario CLI; returns the exit code. */
export async function scenarioMain(argv: readonly string[], deps: ScenarioCliDeps = {}): Promise<number> {
  const write = deps.write ?? ((l: string) => console.log(l));
  let request: ScenarioRequest | 'help';
  try {
    request = scenarioRequest(parseArgs(argv, SCENARIO_OPTIONS, SCENARIO_FLAGS));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    write(`error: ${err.message}\n\n${SCENARIO_USAGE}`);
    return 2;
  }
  if (request === 'help') {
    write(SCENARIO_USAGE);
    return 0;
  }
  return runScenario(request, {
    clients: (deps.clients ?? awsClients)(request.region),
    clock: deps.clock ?? systemClock,
    write,
    send: deps.send ?? sendHttp,
    pace: deps.pace ?? realPace,
  });
}

if (require.main === module) runCli('scenario', (argv) => scenarioMain(argv));
