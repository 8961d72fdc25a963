import {
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
} from '@aws-sdk/client-codedeploy';
import { RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { type HttpSend, sendHttp } from '../../../lambda/shared/http-client';
import { bluegreenZeroDrop } from '../../../tools/scenarios/bluegreen-zero-drop';
import { scenarioMain } from '../../../scripts/scenario';
import { evaluateStream, type OrderRecord } from '../../../tools/scenarios/order-stream';
import { GreenStandIn } from '../../helpers/green-stand-in';
import { givenDeployedStack, mockAws, OUTPUTS, scenarioContext } from '../../helpers/platform-mocks';
import { fastPace, YieldingClock } from '../../helpers/test-clock';

const { mocks, clients, reset } = mockAws();
let production: GreenStandIn;
let baseUrl: string;
let lines: string[];
let clock: YieldingClock;

/** CodeDeploy reports these statuses, one per poll; each poll lets a few real milliseconds of orders flow. */
function givenDeployment(
  statuses: Array<'InProgress' | 'Succeeded' | 'Failed'>,
  onPoll?: (i: number) => void,
) {
  let poll = 0;
  mocks.codedeploy.on(GetDeploymentCommand).callsFake(async () => {
    const i = Math.min(poll++, statuses.length - 1);
    onPoll?.(i);
    await new Promise((r) => setTimeout(r, 15));
    return {
      deploymentInfo: {
        deploymentId: 'd-BG',
        status: statuses[i],
        ...(statuses[i] === 'Failed'
          ? { rollbackInfo: { rollbackMessage: 'alarm OrderBroker green 5xx' } }
          : {}),
      },
    };
  });
  mocks.codedeploy.on(GetDeploymentTargetCommand).callsFake(() => {
    const green = poll >= statuses.length ? 100 : poll > 1 ? 10 : 0;
    return {
      deploymentTarget: {
        ecsTarget: {
          taskSetsInfo: [
            { taskSetLabel: 'Blue', trafficWeight: 100 - green, runningCount: 2, desiredCount: 2 },
            { taskSetLabel: 'Green', trafficWeight: green, runningCount: 2, desiredCount: 2 },
          ],
        },
      },
    };
  });
}

beforeEach(async () => {
  reset();
  lines = [];
  clock = new YieldingClock(Date.parse('2026-11-23T16:00:00Z'));
  givenDeployedStack(mocks);
  mocks.ecs.on(RegisterTaskDefinitionCommand).resolves({
    taskDefinition: {
      taskDefinitionArn: 'arn:aws:ecs:us-east-2:111122223333:task-definition/orderbroker-dev-arm64:8',
    },
  });
  mocks.codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-BG' });
  production = new GreenStandIn('healthy');
  baseUrl = await production.start();
});

afterEach(async () => {
  await production.stop();
});

const byName = (checks: Array<{ name: string; passed: boolean; detail: string }>) =>
  Object.fromEntries(checks.map((c) => [c.name, c]));

describe('bluegreen-zero-drop', () => {
  test('passes when every order during the shift is acknowledged exactly once (through the CLI, exit 0)', async () => {
    givenDeployment(['InProgress', 'InProgress', 'InProgress', 'Succeeded']);
    const code = await scenarioMain(
      [
        'bluegreen-zero-drop',
        '--stack',
        'OrderBroker-dev',
        '--image',
        '2026.11.4',
        '--production-url',
        baseUrl,
        '--rate',
        '50',
      ],
      { clients: () => clients, clock, write: (l) => lines.push(l), pace: fastPace },
    );
    expect(lines.filter((l) => /^ {2}(PASS|FAIL)/.test(l))).toEqual([
      '  PASS  deployment succeeded: d-BG: Succeeded',
      '  PASS  green took all production traffic: highest green share seen: 100%',
      expect.stringMatching(
        /^ {2}PASS {2}orders flowed before, during and after the shift: \d+ before the deployment, \d+ during it$/,
      ),
      expect.stringMatching(
        /^ {2}PASS {2}every order acknowledged exactly once: (\d+)\/\1 exactly once, 0 dropped, 0 executed twice, 0 unconfirmed, 0 retried$/,
      ),
    ]);
    expect(code).toBe(0);
    expect(production.accepted.size).toBeGreaterThan(5);
    expect([...production.accepted.values()].every((n) => n === 1)).toBe(true);
    const appSpec = JSON.parse(
      mocks.codedeploy.commandCalls(CreateDeploymentCommand)[0].args[0].input.revision!.appSpecContent!
        .content!,
    );
    expect(appSpec.Hooks).toEqual([{ AfterAllowTestTraffic: OUTPUTS.ValidationHookFunctionArn }]);
  });

  test('fails when production errors during the shift: those orders were dropped (exit 1)', async () => {
    givenDeployment(['InProgress', 'InProgress', 'InProgress', 'Succeeded'], (i) => {
      production.mode = i === 1 ? 'failing' : 'healthy';
    });
    const code = await scenarioMain(
      [
        'bluegreen-zero-drop',
        '--stack',
        'OrderBroker-dev',
        '--image',
        '2026.11.4',
        '--production-url',
        baseUrl,
      ],
      { clients: () => clients, clock, write: (l) => lines.push(l), pace: fastPace },
    );
    expect(code).toBe(1);
    const verdict = lines.find((l) => l.includes('every order acknowledged exactly once'))!;
    expect(verdict).toMatch(
      /^ {2}FAIL {2}every order acknowledged exactly once: \d+\/\d+ exactly once, [1-9]\d* dropped, 0 executed twice, 0 unconfirmed, 0 retried; e\.g\. syn-bg-\d+-\d{6}: HTTP 500/,
    );
  });

  test('passes with retries when the service honours the idempotency key after a lost response', async () => {
    givenDeployment(['InProgress', 'InProgress', 'Succeeded']);
    const checks = await bluegreenZeroDrop(
      scenarioContext({ clients, clock, lines, send: losingEveryThirdFirstResponse() }),
      {
        productionUrl: baseUrl,
        image: '2026.11.4',
        retries: 1,
      },
    );
    const verdict = byName(checks)['every order acknowledged exactly once'];
    expect(verdict.passed).toBe(true);
    expect(verdict.detail).toMatch(/0 dropped, 0 executed twice, 0 unconfirmed, [1-9]\d* retried/);
  });

  test('fails when a retried order is executed twice (the service ignored the idempotency key)', async () => {
    production.forgetsIdempotency = true;
    givenDeployment(['InProgress', 'InProgress', 'Succeeded']);
    const checks = await bluegreenZeroDrop(
      scenarioContext({ clients, clock, lines, send: losingEveryThirdFirstResponse() }),
      {
        productionUrl: baseUrl,
        image: '2026.11.4',
        retries: 1,
      },
    );
    const verdict = byName(checks)['every order acknowledged exactly once'];
    expect(verdict.passed).toBe(false);
    expect(verdict.detail).toMatch(/0 dropped, [1-9]\d* executed twice, .*; doubled: syn-/);
  });

  test('fails when CodeDeploy rolled the deployment back, even with no order lost', async () => {
    givenDeployment(['InProgress', 'InProgress', 'Failed']);
    const checks = byName(
      await bluegreenZeroDrop(scenarioContext({ clients, clock, lines }), {
        productionUrl: baseUrl,
        image: '2026.11.4',
      }),
    );
    expect(checks['deployment succeeded']).toEqual({
      name: 'deployment succeeded',
      passed: false,
      detail: 'd-BG: Failed (alarm OrderBroker green 5xx)',
    });
    expect(checks['green took all production traffic'].passed).toBe(false);
    expect(checks['every order acknowledged exactly once'].passed).toBe(true);
  });
});

describe('evaluateStream', () => {
  const ack = (status: 'ACCEPTED' | 'DUPLICATE') => ({ kind: 'ack' as const, status, httpStatus: 201 });
  const err = { kind: 'error' as const, reason: 'socket hang up' };
  const rec = (orderId: string, ...attempts: OrderRecord['attempts']): OrderRecord => ({
    orderId,
    sentAt: 0,
    attempts,
  });

  test('counts exactly-once, dropped, doubled, unconfirmed and retried orders', () => {
    expect(
      evaluateStream([
        rec('a', ack('ACCEPTED')),
        rec('b', err, ack('DUPLICATE')),
        rec('c', err, err),
        rec('d', err, ack('ACCEPTED'), ack('ACCEPTED')),
        { ...rec('e', err, ack('ACCEPTED')), executions: 2 },
        { ...rec('f', err, ack('ACCEPTED')), executions: 1 },
        rec('g', err, ack('ACCEPTED')),
        { ...rec('h', err, ack('DUPLICATE')), executions: 0 },
      ]),
    ).toEqual({
      sent: 8,
      exactlyOnce: 3,
      dropped: ['c', 'h'],
      doubled: ['d', 'e'],
      unreconciled: ['g'],
      retried: 7,
      sampleFailures: [
        'b: socket hang up',
        'c: socket hang up',
        'c: socket hang up',
        'd: socket hang up',
        'e: socket hang up',
      ],
    });
  });
});

/** Loses the response of the first attempt of every third order after the service processed it. */
function losingEveryThirdFirstResponse(): HttpSend {
  const seen = new Set<string>();
  return async (request) => {
    const res = await sendHttp(request);
    const id = request.headers?.['idempotency-key'] ?? '';
    const sequence = Number(id.split('-').pop());
    if (request.method === 'POST' && sequence % 3 === 0 && !seen.has(id)) {
      seen.add(id);
      throw new Error('socket hang up');
    }
    return res;
  };
}
