import { startDeployment, ecsTargetId, followDeployment } from '../deploy/deploy';
import type { Check } from '../shared/progress';
import { productionUrl } from '../shared/stack-outputs';
import type { Scenario } from './common';
import { evaluateStream, OrderStream } from './order-stream';

/** Options of the bluegreen-zero-drop scenario. */
export interface BlueGreenOptions {
  /** Image of the new revision. @default - the image running now, as a new revision */
  readonly image?: string;
  /** Synthetic orders per second. @default 20 */
  readonly ratePerSecond?: number;
  /** Seconds of orders before the deployment starts (baseline). @default 30 */
  readonly leadSeconds?: number;
  /** Seconds of orders after the deployment ends (green alone). @default 60 */
  readonly drainSeconds?: number;
  /** Give up following the deployment after this long. @default 45 minutes */
  readonly timeoutMs?: number;
  /** Extra attempts per order with the same id. @default 0 (any failed request is a drop) */
  readonly retries?: number;
  readonly requestTimeoutMs?: number;
  /** Production base URL. @default - from the stack outputs (the certificate must match it in prod) */
  readonly productionUrl?: string;
  readonly orderPath?: string;
  /** Prefix of the order ids. @default - `bg-<start time>` */
  readonly runId?: string;
}

/**
 * Deploys a new revision while a steady synthetic order stream runs against production, follows the
 * traffic shift, and passes only if the deployment succeeded, green took all traffic, the stream covered the
 * whole deployment, and every order was acknowledged exactly once (none dropped, none executed twice).
 */
export const bluegreenZeroDrop: Scenario<BlueGreenOptions> = async (ctx, options) => {
  const { clients, outputs, progress, clock } = ctx;
  const rate = options.ratePerSecond ?? 20;
  const stream = new OrderStream(
    {
      baseUrl: productionUrl(outputs, options.productionUrl),
      orderPath: options.orderPath ?? '/orders',
      ratePerSecond: rate,
      requestTimeoutMs: options.requestTimeoutMs ?? 2000,
      retries: options.retries ?? 0,
      runId: options.runId ?? `bg-${clock.now()}`,
    },
    { send: ctx.send, now: () => clock.now(), pace: ctx.pace },
  );
  const checks: Check[] = [];
  progress.step(`order stream: ${rate}/s to ${productionUrl(outputs, options.productionUrl)}`);
  stream.start();
  let deployment;
  try {
    await clock.sleep((options.leadSeconds ?? 30) * 1000);
    progress.step(`baseline: ${stream.sent} orders sent`);
    const streamBeforeDeployment = stream.sent;
    deployment = await startDeployment(
      clients,
      outputs,
      { image: options.image, description: 'scenario bluegreen-zero-drop' },
      progress,
    );
    const outcome = await followDeployment(
      clients.codedeploy,
      deployment.deploymentId,
      ecsTargetId(outputs),
      progress,
      {
        clock,
        timeoutMs: options.timeoutMs ?? 45 * 60000,
        onPoll: () => progress.step(`orders sent: ${stream.sent}`),
      },
    );
    const duringDeployment = stream.sent - streamBeforeDeployment;
    await clock.sleep((options.drainSeconds ?? 60) * 1000);
    checks.push({
      name: 'deployment succeeded',
      passed: outcome.status === 'Succeeded',
      detail: `${deployment.deploymentId}: ${outcome.status}${outcome.info?.rollbackInfo?.rollbackMessage ? ` (${outcome.info.rollbackInfo.rollbackMessage})` : ''}`,
    });
    checks.push({
      name: 'green took all production traffic',
      passed: outcome.status === 'Succeeded' && outcome.maxGreenTrafficPercent === 100,
      detail: `highest green share seen: ${outcome.maxGreenTrafficPercent}%`,
    });
    checks.push({
      name: 'orders flowed before, during and after the shift',
      passed: streamBeforeDeployment > 0 && duringDeployment > 0,
      detail: `${streamBeforeDeployment} before the deployment, ${duringDeployment} during it`,
    });
  } finally {
    await stream.stop();
    await stream.reconcile();
  }
  const verdict = evaluateStream(stream.records);
  progress.step(`stream stopped: ${verdict.sent} orders`);
  checks.push({
    name: 'every order acknowledged exactly once',
    passed: verdict.sent > 0 && verdict.exactlyOnce === verdict.sent,
    detail:
      `${verdict.exactlyOnce}/${verdict.sent} exactly once, ${verdict.dropped.length} dropped, ${verdict.doubled.length} executed twice, ${verdict.unreconciled.length} unconfirmed, ${verdict.retried} retried` +
      (verdict.sampleFailures.length > 0 ? `; e.g. ${verdict.sampleFailures.join('; ')}` : '') +
      (verdict.doubled.length > 0 ? `; doubled: ${verdict.doubled.slice(0, 5).join(', ')}` : ''),
  });
  return checks;
};
