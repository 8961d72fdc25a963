import { numberOption, type ParsedArgs, stringOption, UsageError } from '../shared/args';
import { REGION } from '../shared/aws';
import type { BadVersionOptions } from './bad-version-rollback';
import type { BlueGreenOptions } from './bluegreen-zero-drop';
import type { PreOpenOptions } from './pre-open-capacity';

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

/** The `--options` and `--flags` npm run scenario accepts, for parseArgs. */
export const SCENARIO_OPTIONS = [
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
] as const;
export const SCENARIO_FLAGS = ['help'] as const;

/** One scenario run, with the options of that scenario. */
export type ScenarioRequest = { readonly stackName: string; readonly region: string } & (
  | { readonly name: 'pre-open-capacity'; readonly options: PreOpenOptions }
  | { readonly name: 'bluegreen-zero-drop'; readonly options: BlueGreenOptions }
  | { readonly name: 'bad-version-rollback'; readonly options: BadVersionOptions }
);

/**
 * Validates a parsed scenario command line (pure), every option before any AWS call; `'help'` for `--help`.
 * Throws UsageError naming the option, the value and what is allowed.
 */
export function scenarioRequest({ positional, options }: ParsedArgs): ScenarioRequest | 'help' {
  if (options.help) return 'help';
  const name = positional[0] as ScenarioName | undefined;
  if (!name || !SCENARIOS.includes(name) || positional.length > 1) {
    throw new UsageError(
      `scenario = ${JSON.stringify(positional.join(' ') || null)}: expected one of ${SCENARIOS.join(', ')}`,
    );
  }
  const stackName = stringOption(options, 'stack');
  if (!stackName) throw new UsageError('--stack is required (OrderBroker-dev or OrderBroker-prod)');
  const region = stringOption(options, 'region', REGION)!;
  if (region !== REGION) throw new UsageError(`--region = "${region}": the platform runs in ${REGION} only`);
  switch (name) {
    case 'pre-open-capacity': {
      const checkTime = stringOption(options, 'check-time');
      const time = checkTime === undefined ? undefined : /^([01]\d|2[0-3]):([0-5]\d)$/.exec(checkTime);
      if (time === null)
        throw new UsageError(`--check-time = "${checkTime}": expected HH:MM (New York time), e.g. 09:25`);
      return {
        name,
        stackName,
        region,
        options: {
          checkTime: time ? { hour: Number(time[1]), minute: Number(time[2]) } : undefined,
          readyLeadMinutes: numberOption(options, 'ready-lead-minutes', 5, 0, 60),
          expectedTasks:
            options['expected-tasks'] === undefined
              ? undefined
              : numberOption(options, 'expected-tasks', 0, 1, 1000),
        },
      };
    }
    case 'bluegreen-zero-drop':
      return {
        name,
        stackName,
        region,
        options: {
          image: stringOption(options, 'image'),
          ratePerSecond: numberOption(options, 'rate', 20, 0.1, 500),
          leadSeconds: numberOption(options, 'lead-seconds', 30, 0, 3600),
          drainSeconds: numberOption(options, 'drain-seconds', 60, 0, 3600),
          retries: numberOption(options, 'retries', 0, 0, 5),
          productionUrl: stringOption(options, 'production-url'),
        },
      };
    case 'bad-version-rollback':
      return {
        name,
        stackName,
        region,
        options: {
          badImage: stringOption(options, 'bad-image'),
          rollbackBudgetMs: numberOption(options, 'rollback-budget-seconds', 300, 60, 3600) * 1000,
          productionUrl: stringOption(options, 'production-url'),
        },
      };
  }
}
