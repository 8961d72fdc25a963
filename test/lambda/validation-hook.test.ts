import {
  CodeDeployClient,
  LifecycleEventStatus,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { pooledHttpClient, sendHttp } from '../../lambda/shared/http-client';
import { percentile } from '../../lambda/shared/synthetic-orders';
import { handler, type HookDeps, runHook } from '../../lambda/validation-hook/index';
import { HOOK_ENV, loadHookSettings } from '../../lambda/validation-hook/settings';
import { verdict } from '../../lambda/validation-hook/validate';
import { GreenStandIn } from '../helpers/green-stand-in';

const codedeploy = mockClient(CodeDeployClient);
const EVENT = { DeploymentId: 'd-ABCDEF123', LifecycleEventHookExecutionId: 'hook-exec-1' };

function env(base: string, overrides: Partial<Record<keyof typeof HOOK_ENV, string>> = {}) {
  const values: Record<keyof typeof HOOK_ENV, string | undefined> = {
    testListenerUrl: base,
    tlsServerName: undefined,
    healthPath: '/actuator/health/readiness',
    orderPath: '/orders',
    orders: '12',
    warmupOrders: '0',
    concurrency: '3',
    requestTimeoutMs: '1000',
    maxP99LatencyMs: '250',
    minSuccessPercent: '100',
    reportMarginMs: '1000',
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [HOOK_ENV[k as keyof typeof HOOK_ENV], v]),
  );
}

function deps(e: Record<string, string | undefined>, remainingMs = 60000): HookDeps & { lines: string[] } {
  const lines: string[] = [];
  return {
    codedeploy: new CodeDeployClient({ region: 'us-east-2' }),
    env: e,
    send: sendHttp,
    remainingMs: () => remainingMs,
    log: (l) => lines.push(l),
    lines,
  };
}

function reportedStatuses() {
  return codedeploy.commandCalls(PutLifecycleEventHookExecutionStatusCommand).map((c) => c.args[0].input);
}

let green: GreenStandIn;
let base: string;

beforeEach(async () => {
  codedeploy.reset();
  codedeploy.on(PutLifecycleEventHookExecutionStatusCommand).resolves({ lifecycleEventHookExecutionId: 'x' });
  green = new GreenStandIn('healthy');
  base = await green.start();
});

afterEach(async () => {
  await green.stop();
});

describe('validation hook against a local stand-in for green', () => {
  test('reports Succeeded for a healthy green that acknowledges every order quickly', async () => {
    const outcome = await runHook(EVENT, deps(env(base)));
    expect(outcome.status).toBe('Succeeded');
    expect(outcome.report?.acknowledged).toBe(12);
    expect(reportedStatuses()).toEqual([
      {
        deploymentId: 'd-ABCDEF123',
        lifecycleEventHookExecutionId: 'hook-exec-1',
        status: LifecycleEventStatus.SUCCEEDED,
      },
    ]);
    expect(green.hits.get('/actuator/health/readiness')).toBe(1);
    expect(green.hits.get('/orders')).toBe(12);
  });

  test('marks every order synthetic and keys it by the deployment id, so a re-run is idempotent', async () => {
    await runHook(EVENT, deps(env(base)));
    expect(green.lastOrderHeaders['x-synthetic-order']).toBe('true');
    expect(green.lastOrderHeaders['idempotency-key']).toMatch(/^syn-d-ABCDEF123-\d{6}$/);
    const second = await runHook(EVENT, deps(env(base)));
    expect(second.status).toBe('Succeeded');
    expect([...green.accepted.values()].every((n) => n === 1)).toBe(true);
    expect(green.accepted.size).toBe(12);
  });

  test('reports Failed when green is slower than the p99 threshold', async () => {
    green.mode = 'slow';
    green.delayMs = 120;
    const outcome = await runHook(EVENT, deps(env(base, { maxP99LatencyMs: '60', orders: '6' })));
    expect(outcome.status).toBe('Failed');
    expect(outcome.reasons).toEqual([expect.stringMatching(/^p99 latency \d+ ms above 60 ms$/)]);
    expect(reportedStatuses()[0].status).toBe(LifecycleEventStatus.FAILED);
  });

  test('reports Failed when green answers orders with 500', async () => {
    green.mode = 'failing';
    const outcome = await runHook(EVENT, deps(env(base)));
    expect(outcome.status).toBe('Failed');
    expect(outcome.reasons).toEqual(['0 of 12 synthetic orders acknowledged (0.0%), below 100%']);
    expect(outcome.report?.failures[0].outcome).toEqual({
      kind: 'rejected',
      httpStatus: 500,
      reason: 'HTTP 500',
    });
  });

  test('reports Failed when green never answers, within the request timeout', async () => {
    green.mode = 'hanging';
    const started = Date.now();
    const outcome = await runHook(EVENT, deps(env(base, { requestTimeoutMs: '150', orders: '3' })));
    expect(outcome.status).toBe('Failed');
    expect(outcome.report?.failures[0].outcome).toEqual({
      kind: 'error',
      reason: `no response from ${base}/orders within 150 ms`,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(reportedStatuses()[0].status).toBe(LifecycleEventStatus.FAILED);
  });

  test('reports Failed without sending orders when readiness is not 200', async () => {
    green.mode = 'unready';
    const outcome = await runHook(EVENT, deps(env(base)));
    expect(outcome.status).toBe('Failed');
    expect(outcome.reasons).toEqual(['readiness check failed: GET /actuator/health/readiness -> HTTP 503']);
    expect(green.hits.get('/orders')).toBeUndefined();
  });

  test('reports Failed when nothing listens on the test listener', async () => {
    await green.stop();
    const outcome = await runHook(EVENT, deps(env(base)));
    expect(outcome.status).toBe('Failed');
    expect(outcome.reasons[0]).toMatch(
      /^readiness check failed: GET \/actuator\/health\/readiness failed: .*ECONNREFUSED/,
    );
  });

  test('stops sending and reports Failed when the function is about to time out', async () => {
    const outcome = await runHook(EVENT, deps(env(base), 1500));
    expect(outcome.status).toBe('Failed');
    expect(outcome.reasons).toEqual([
      'ran out of time after 0 of 0 warm-up and 0 of 12 orders (function timeout too short for the configured orders)',
    ]);
  });

  test('reports Failed naming the variable when a setting is invalid', async () => {
    const outcome = await runHook(EVENT, deps(env(base, { orders: 'many' })));
    expect(outcome.status).toBe('Failed');
    expect(outcome.reasons).toEqual([
      'validation could not run: invalid validation hook settings: SYNTHETIC_ORDERS = "many": expected an integer from 1 to 1000',
    ]);
    expect(reportedStatuses()[0].status).toBe(LifecycleEventStatus.FAILED);
  });

  test('logs one structured verdict line', async () => {
    const d = deps(env(base));
    await runHook(EVENT, d);
    expect(d.lines).toHaveLength(1);
    expect(JSON.parse(d.lines[0])).toMatchObject({
      message: 'validation verdict',
      status: 'Succeeded',
      deploymentId: 'd-ABCDEF123',
    });
  });

  test('throws without reporting when the event is not a lifecycle hook event', async () => {
    await expect(runHook({ DeploymentId: 'd-1' } as never, deps(env(base)))).rejects.toThrow(
      'event is not a CodeDeploy lifecycle hook event: DeploymentId and LifecycleEventHookExecutionId are required',
    );
    expect(reportedStatuses()).toHaveLength(0);
  });

  test('throws (so the Errors alarm fires) when CodeDeploy cannot be told', async () => {
    codedeploy.on(PutLifecycleEventHookExecutionStatusCommand).rejects(new Error('AccessDeniedException'));
    await expect(runHook(EVENT, deps(env(base)))).rejects.toThrow('AccessDeniedException');
  });

  test('a report CodeDeploy already recorded (a retried call) is not an error: no false rollback', async () => {
    const already = Object.assign(new Error('lifecycle event already completed'), {
      name: 'LifecycleEventAlreadyCompletedException',
    });
    codedeploy.on(PutLifecycleEventHookExecutionStatusCommand).rejects(already);
    const d = deps(env(base));
    await expect(runHook(EVENT, d)).resolves.toMatchObject({ status: 'Succeeded' });
    expect(d.lines.map((l) => JSON.parse(l).message)).toEqual([
      'validation verdict',
      'verdict already recorded by CodeDeploy',
    ]);
  });

  test('the Lambda handler reads its settings from the environment and reuses its connections', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env(base, { orders: '20', warmupOrders: '4', concurrency: '2' }));
    const logged = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const outcome = await handler(EVENT, { getRemainingTimeInMillis: () => 30000 } as Context);
      expect(outcome.status).toBe('Succeeded');
      expect(green.hits.get('/orders')).toBe(24);
      // 1 readiness probe + 24 orders over at most 2 connections (2 workers, keep-alive).
      expect(green.connections).toBeGreaterThanOrEqual(1);
      expect(green.connections).toBeLessThanOrEqual(2);
      const line = JSON.parse(logged.mock.calls[0][0] as string);
      expect(line.connectionsOpened).toBe(green.connections);
    } finally {
      logged.mockRestore();
      process.env = saved;
    }
  });
});

describe('warm-up and connection reuse against the local stand-in', () => {
  test('warm-up orders go first and are not judged: a cold JVM does not fail a healthy green', async () => {
    // The first 3 order requests answer after 150 ms (class loading, JIT), the rest at once.
    green.coldOrders = 3;
    green.coldDelayMs = 150;
    const outcome = await runHook(
      EVENT,
      deps(env(base, { warmupOrders: '3', orders: '12', maxP99LatencyMs: '100' })),
    );
    expect(outcome.status).toBe('Succeeded');
    expect(outcome.report?.warmup).toEqual({ sent: 3, acknowledged: 3 });
    expect(outcome.report?.sent).toBe(12);
    expect(outcome.report?.p99LatencyMs).toBeLessThan(100);
    expect(green.hits.get('/orders')).toBe(15);
    // Warm-up ids follow the judged ones: 15 distinct orders, each accepted once.
    expect(green.accepted.size).toBe(15);
  });

  test('the same cold green fails without a warm-up (what the hook did before)', async () => {
    green.coldOrders = 3;
    green.coldDelayMs = 150;
    const outcome = await runHook(
      EVENT,
      deps(env(base, { warmupOrders: '0', orders: '12', maxP99LatencyMs: '100' })),
    );
    expect(outcome.status).toBe('Failed');
    expect(outcome.reasons).toEqual([expect.stringMatching(/^p99 latency \d+ ms above 100 ms$/)]);
  });

  test('a pooled client sends every request over at most `concurrency` connections', async () => {
    const client = pooledHttpClient(50);
    try {
      const d = {
        ...deps(env(base, { warmupOrders: '6', orders: '30', concurrency: '3' })),
        send: client.send,
      };
      const outcome = await runHook(EVENT, d);
      expect(outcome.status).toBe('Succeeded');
      expect(green.hits.get('/orders')).toBe(36);
      expect(green.connections).toBeGreaterThanOrEqual(1);
      expect(green.connections).toBeLessThanOrEqual(3);
      expect(client.socketsOpened()).toBe(green.connections);
    } finally {
      client.close();
    }
  });

  test('without the pool every request opens its own connection (the count is real)', async () => {
    const outcome = await runHook(
      EVENT,
      deps(env(base, { warmupOrders: '6', orders: '30', concurrency: '3' })),
    );
    expect(outcome.status).toBe('Succeeded');
    // 1 readiness probe + 6 warm-up + 30 judged orders, one connection each.
    expect(green.connections).toBe(37);
  });

  test('a closed pool leaves no connection open on the server', async () => {
    const client = pooledHttpClient(4);
    await client.send({ url: `${base}/actuator/health/readiness`, method: 'GET', timeoutMs: 1000 });
    expect(client.socketsOpened()).toBe(1);
    client.close();
    await new Promise((r) => setTimeout(r, 50));
    const again = await client.send({
      url: `${base}/actuator/health/readiness`,
      method: 'GET',
      timeoutMs: 1000,
    });
    expect(again.status).toBe(200);
    expect(client.socketsOpened()).toBe(2);
    client.close();
  });
});

describe('hook settings', () => {
  test('names WARMUP_ORDERS when it is out of range', () => {
    expect(() => loadHookSettings(env('http://alb.internal:9090', { warmupOrders: '201' }))).toThrow(
      'invalid validation hook settings: WARMUP_ORDERS = "201": expected an integer from 0 to 200',
    );
  });

  test('accepts a complete environment', () => {
    expect(loadHookSettings(env('http://alb.internal:9090'))).toMatchObject({
      testListenerUrl: 'http://alb.internal:9090',
      orders: 12,
      minSuccessPercent: 100,
    });
  });

  test('lists every invalid variable with the value and what is allowed', () => {
    expect(() =>
      loadHookSettings(
        env('ftp://alb:9090', { concurrency: '0', healthPath: 'health', minSuccessPercent: '101' }),
      ),
    ).toThrow(
      'invalid validation hook settings: TEST_LISTENER_URL = "ftp://alb:9090": expected an http(s) URL without a path, e.g. http://alb:9090; ' +
        'HEALTH_PATH = "health": expected an absolute path such as /actuator/health/readiness; ' +
        'CONCURRENCY = "0": expected an integer from 1 to 50; MIN_SUCCESS_PERCENT = "101": expected an integer from 0 to 100',
    );
  });
});

describe('verdict thresholds', () => {
  const ack = (latencyMs: number) => ({
    orderId: 'o',
    outcome: { kind: 'ack' as const, status: 'ACCEPTED' as const, httpStatus: 201 },
    latencyMs,
  });
  const settings = { orders: 4, maxP99LatencyMs: 100, minSuccessPercent: 75 };
  const healthy = { ok: true, detail: '' };

  test('passes at exactly the success and latency thresholds', () => {
    const failed = { orderId: 'x', outcome: { kind: 'error' as const, reason: 'reset' }, latencyMs: 5 };
    expect(verdict(settings, healthy, 4, [ack(10), ack(100), ack(20), failed]).passed).toBe(true);
  });

  test('fails one order below the success threshold', () => {
    const failed = { orderId: 'x', outcome: { kind: 'error' as const, reason: 'reset' }, latencyMs: 5 };
    const r = verdict(settings, healthy, 4, [ack(10), ack(20), failed, failed]);
    expect(r.reasons).toEqual(['2 of 4 synthetic orders acknowledged (50.0%), below 75%']);
  });

  test('nearest-rank p99: the maximum of 50 samples, the third slowest of 200', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => i + 1);
    expect(percentile(fifty, 99)).toBe(50); // ceil(0.99 x 50) = 50: the slowest order decides
    const twoHundred = Array.from({ length: 200 }, (_, i) => 200 - i);
    expect(percentile(twoHundred, 99)).toBe(198); // ceil(0.99 x 200) = 198
    expect(
      percentile(
        Array.from({ length: 101 }, (_, i) => i + 1),
        99,
      ),
    ).toBe(100); // ceil(99.99) = 100
    expect(percentile([], 99)).toBeUndefined();
  });

  test('of 200 orders, two slow outliers pass and three fail', () => {
    const s200 = { orders: 200, maxP99LatencyMs: 250, minSuccessPercent: 100 };
    const withSlow = (slow: number) => [
      ...Array.from({ length: slow }, () => ack(1800)),
      ...Array.from({ length: 200 - slow }, () => ack(20)),
    ];
    const two = verdict(s200, healthy, 200, withSlow(2));
    expect(two).toMatchObject({ passed: true, p99LatencyMs: 20, maxLatencyMs: 1800 });
    const three = verdict(s200, healthy, 200, withSlow(3));
    expect(three.reasons).toEqual(['p99 latency 1800 ms above 250 ms']);
  });

  test('fails one millisecond above the latency threshold', () => {
    const r = verdict(settings, healthy, 4, [ack(10), ack(101), ack(20), ack(30)]);
    expect(r.reasons).toEqual(['p99 latency 101 ms above 100 ms']);
  });
});
