import { parseArgs, UsageError } from '../../../tools/shared/args';
import { SCENARIO_FLAGS, SCENARIO_OPTIONS, scenarioRequest } from '../../../tools/scenarios/options';

const request = (...argv: string[]) => scenarioRequest(parseArgs(argv, SCENARIO_OPTIONS, SCENARIO_FLAGS));

describe('scenarioRequest: every option checked before any AWS call', () => {
  test('defaults of each scenario', () => {
    expect(request('pre-open-capacity', '--stack', 'OrderBroker-dev')).toEqual({
      name: 'pre-open-capacity',
      stackName: 'OrderBroker-dev',
      region: 'us-east-2',
      options: { checkTime: undefined, readyLeadMinutes: 5, expectedTasks: undefined },
    });
    expect(request('bad-version-rollback', '--stack', 'S', '--rollback-budget-seconds', '240')).toMatchObject(
      {
        options: { badImage: undefined, rollbackBudgetMs: 240_000 },
      },
    );
    expect(request('bluegreen-zero-drop', '--stack', 'S', '--rate', '2.5')).toMatchObject({
      options: { ratePerSecond: 2.5, leadSeconds: 30, drainSeconds: 60, retries: 0 },
    });
  });

  test.each([
    [
      ['nope', '--stack', 'S'],
      'scenario = "nope": expected one of pre-open-capacity, bluegreen-zero-drop, bad-version-rollback',
    ],
    [['pre-open-capacity'], '--stack is required (OrderBroker-dev or OrderBroker-prod)'],
    [
      ['pre-open-capacity', '--stack', 'S', '--region', 'eu-west-1'],
      '--region = "eu-west-1": the platform runs in us-east-2 only',
    ],
    [
      ['bluegreen-zero-drop', '--stack', 'S', '--rate', '0'],
      '--rate = "0": expected a number from 0.1 to 500',
    ],
    [
      ['bad-version-rollback', '--stack', 'S', '--rollback-budget-seconds', '30'],
      '--rollback-budget-seconds = "30": expected a number from 60 to 3600',
    ],
    [
      ['pre-open-capacity', '--stack', 'S', '--check-time', '25:00'],
      '--check-time = "25:00": expected HH:MM (New York time), e.g. 09:25',
    ],
  ])('%j: %s', (argv, message) => {
    expect(() => request(...argv)).toThrow(new UsageError(message));
  });

  test('--help', () => {
    expect(request('--help')).toBe('help');
  });
});
