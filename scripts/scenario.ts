import { sendHttp } from '../lambda/shared/http-client';
import { type AwsClients, awsClients, REGION } from '../tools/shared/aws';
import { numberOption, parseArgs, stringOption, UsageError } from '../tools/shared/args';
import { type Clock, systemClock } from '../tools/shared/clock';
import { Progress } from '../tools/shared/progress';
import { readStackOutputs, StackOutputsError } from '../tools/shared/stack-outputs';
import { badVersionRollback } from '../tools/scenarios/bad-version-rollback';
import { bluegreenZeroDrop } from '../tools/scenarios/bluegreen-zero-drop';
import { realPace, type ScenarioContext } from '../tools/scenarios/common';
import { preOpenCapacity } from '../tools/scenarios/pre-open-capacity';
import type { HttpSend } from '../lambda/shared/http-client';

/** The scenarios, by the name given on the command line. */
export const SCENARIOS = ['pre-open-capacity', 'bluegreen-zero-drop', 'bad-version-rollback'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export const SCENARIO_USAGE = `Usage: npm run scenario -- <scenario> --stack <OrderBroker-dev|OrderBroker-prod> [options]

Scenarios (run from a host inside the VPC: the ALB is internal):
  pre-open-capacity      capacity is at the pre-open level at 09:25 ET (live in 09:25-09:30, else by schedule, DST included)
      --check-time HH:MM (default 09:25)  --ready-lead-minutes <n> (default 5)  --expected-tasks <n> (default: output PreOpenTasks)
  bluegreen-zero-drop    a blue/green deployment under a synthetic order stream drops and doubles nothing
      --image <tag|sha256:digest> (default: the running image as a new revision)  --rate <orders/s> (default 20)
      --lead-seconds <n> (30)  --drain-seconds <n> (60)  --retries <n> (0)  --production-url <url>
  bad-version-rollback   a revision failing its health check is rolled back automatically within 5 minutes
      --bad-image <tag|sha256:digest> (default health-fail)  --rollback-budget-seconds <n> (300)  --production-url <url>
Common: --region us-east-2
Exit: 0 every check passed, 1 a check failed, 2 bad usage.`;

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
  const clock = deps.clock ?? systemClock;
  const progress = new Progress(clock, write);
  try {
    const { positional, options } = parseArgs(
      argv,
      [
        'stack',
        'region',
        'check-time',
        'ready-lead-minutes',
        'expected-tasks',
        'image',
        'rate',
        'lead-seconds',
        'drain-seconds',
        'retries',
        'production-url',
        'bad-image',
        'rollback-budget-seconds',
      ],
      ['help'],
    );
    if (options.help) {
      write(SCENARIO_USAGE);
      return 0;
    }
    const name = positional[0] as ScenarioName | undefined;
    if (!name || !SCENARIOS.includes(name) || positional.length > 1) {
      throw new UsageError(
        `scenario = ${JSON.stringify(positional.join(' ') || null)}: expected one of ${SCENARIOS.join(', ')}`,
      );
    }
    const stackName = stringOption(options, 'stack');
    if (!stackName) throw new UsageError('--stack is required (OrderBroker-dev or OrderBroker-prod)');
    const region = stringOption(options, 'region', REGION)!;
    if (region !== REGION)
      throw new UsageError(`--region = "${region}": the platform runs in ${REGION} only`);
    const checkTime = stringOption(options, 'check-time');
    const time = checkTime === undefined ? undefined : /^([01]\d|2[0-3]):([0-5]\d)$/.exec(checkTime);
    if (time === null)
      throw new UsageError(`--check-time = "${checkTime}": expected HH:MM (New York time), e.g. 09:25`);

    const clients = (deps.clients ?? awsClients)(region);
    progress.step(`scenario ${name} against ${stackName}`);
    const outputs = await readStackOutputs(clients.cfn, stackName);
    const ctx: ScenarioContext = {
      clients,
      outputs,
      stackName,
      clock,
      progress,
      send: deps.send ?? sendHttp,
      pace: deps.pace ?? realPace,
    };
    let checks;
    switch (name) {
      case 'pre-open-capacity':
        checks = await preOpenCapacity(ctx, {
          checkTime: time ? { hour: Number(time[1]), minute: Number(time[2]) } : undefined,
          readyLeadMinutes: numberOption(options, 'ready-lead-minutes', 5, 0, 60),
          expectedTasks:
            options['expected-tasks'] === undefined
              ? undefined
              : numberOption(options, 'expected-tasks', 0, 1, 1000),
        });
        break;
      case 'bluegreen-zero-drop':
        checks = await bluegreenZeroDrop(ctx, {
          image: stringOption(options, 'image'),
          ratePerSecond: numberOption(options, 'rate', 20, 0.1, 500),
          leadSeconds: numberOption(options, 'lead-seconds', 30, 0, 3600),
          drainSeconds: numberOption(options, 'drain-seconds', 60, 0, 3600),
          retries: numberOption(options, 'retries', 0, 0, 5),
          productionUrl: stringOption(options, 'production-url'),
        });
        break;
      case 'bad-version-rollback':
        checks = await badVersionRollback(ctx, {
          badImage: stringOption(options, 'bad-image'),
          rollbackBudgetMs: numberOption(options, 'rollback-budget-seconds', 300, 60, 3600) * 1000,
          productionUrl: stringOption(options, 'production-url'),
        });
        break;
    }
    return progress.summary(`scenario ${name}`, checks) ? 0 : 1;
  } catch (err) {
    if (err instanceof UsageError) {
      write(`error: ${err.message}\n\n${SCENARIO_USAGE}`);
      return 2;
    }
    const message =
      err instanceof StackOutputsError ? err.message : `${(err as Error).name}: ${(err as Error).message}`;
    progress.summary('scenario', [{ name: 'run', passed: false, detail: message }]);
    return 1;
  }
}

if (require.main === module) {
  void scenarioMain(process.argv.slice(2)).then((code) => process.exit(code));
}
