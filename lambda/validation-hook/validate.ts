import { type HttpSend } from '../shared/http-client';
import {
  classifyOrderResponse,
  type OrderOutcome,
  percentile,
  syntheticOrder,
  syntheticOrderHeaders,
  syntheticOrderId,
} from '../shared/synthetic-orders';
import type { HookSettings } from './settings';

/** What validating green needs from the outside world (injected in tests). */
export interface ValidationDeps {
  readonly send: HttpSend;
  /** Milliseconds left before the function must have reported its verdict. */
  readonly remainingMs: () => number;
}

/** The result of one synthetic order. */
export interface OrderResult {
  readonly orderId: string;
  readonly outcome: OrderOutcome;
  readonly latencyMs: number;
}

/** The verdict on the green task set, with the evidence. */
export interface ValidationReport {
  readonly passed: boolean;
  /** Why it failed (empty when it passed). */
  readonly reasons: string[];
  readonly health: { readonly ok: boolean; readonly detail: string };
  /** The warm-up orders sent before the judged ones (not part of the verdict). */
  readonly warmup: { readonly sent: number; readonly acknowledged: number };
  readonly sent: number;
  readonly acknowledged: number;
  readonly successPercent: number;
  readonly p99LatencyMs?: number;
  readonly maxLatencyMs?: number;
  /** Up to five failed orders, for the log. */
  readonly failures: OrderResult[];
}

/**
 * Validates the green task set through the test listener: one readiness probe, then `warmupOrders` synthetic
 * orders that warm the JVM and the connections and are not judged, then `orders` synthetic orders,
 * `concurrency` at a time in both phases. Passes when readiness answers 200, the share of acknowledged judged
 * orders is at least `minSuccessPercent` and their nearest-rank p99 latency is at most `maxP99LatencyMs`
 * (with more than 100 orders the p99 is not the single slowest one).
 *
 * Sending stops while `reportMarginMs` is still left, so the verdict is always reported before the function
 * times out (a hook that never reports holds the deployment until CodeDeploy's one-hour hook timeout).
 */
export async function validateGreen(
  settings: HookSettings,
  runId: string,
  deps: ValidationDeps,
): Promise<ValidationReport> {
  const base = settings.testListenerUrl.replace(/\/$/, '');
  const health = await probeHealth(settings, base, deps);
  if (!health.ok) {
    return verdict(settings, health, 0, []);
  }

  // Warm-up ids follow the judged ones, so both phases stay idempotent and distinct within a run.
  const warmup = await sendPhase(settings, base, runId, settings.orders, settings.warmupOrders, deps);
  const judged = warmup.outOfTime
    ? { results: [], outOfTime: true }
    : await sendPhase(settings, base, runId, 0, settings.orders, deps);
  const results = judged.results;
  const report = {
    ...verdict(settings, health, results.length, results),
    warmup: {
      sent: warmup.results.length,
      acknowledged: warmup.results.filter((r) => r.outcome.kind === 'ack').length,
    },
  };
  if (judged.outOfTime) {
    report.reasons.push(
      `ran out of time after ${warmup.results.length} of ${settings.warmupOrders} warm-up and ${results.length} of ${settings.orders} orders (function timeout too short for the configured orders)`,
    );
    return { ...report, passed: false };
  }
  return report;
}

/** Sends `count` orders with sequences `first`.. , `concurrency` at a time, stopping while the margin is left. */
async function sendPhase(
  settings: HookSettings,
  base: string,
  runId: string,
  first: number,
  count: number,
  deps: ValidationDeps,
): Promise<{ results: OrderResult[]; outOfTime: boolean }> {
  const results: OrderResult[] = [];
  let next = 0;
  let outOfTime = false;
  const worker = async () => {
    while (next < count) {
      if (deps.remainingMs() < settings.reportMarginMs + settings.requestTimeoutMs) {
        outOfTime = true;
        return;
      }
      const sequence = first + next++;
      results.push(await sendOrder(settings, base, runId, sequence, deps));
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, count) }, worker));
  return { results, outOfTime };
}

async function probeHealth(
  settings: HookSettings,
  base: string,
  deps: ValidationDeps,
): Promise<ValidationReport['health']> {
  const url = `${base}${settings.healthPath}`;
  try {
    const res = await deps.send({
      url,
      method: 'GET',
      timeoutMs: settings.requestTimeoutMs,
      tlsServerName: settings.tlsServerName,
    });
    if (res.status === 200) return { ok: true, detail: `GET ${settings.healthPath} -> 200` };
    return { ok: false, detail: `GET ${settings.healthPath} -> HTTP ${res.status}` };
  } catch (err) {
    return { ok: false, detail: `GET ${settings.healthPath} failed: ${(err as Error).message}` };
  }
}

async function sendOrder(
  settings: HookSettings,
  base: string,
  runId: string,
  sequence: number,
  deps: ValidationDeps,
): Promise<OrderResult> {
  const orderId = syntheticOrderId(runId, sequence);
  const started = Date.now();
  try {
    const res = await deps.send({
      url: `${base}${settings.orderPath}`,
      method: 'POST',
      headers: syntheticOrderHeaders(orderId),
      body: JSON.stringify(syntheticOrder(orderId, sequence)),
      timeoutMs: settings.requestTimeoutMs,
      tlsServerName: settings.tlsServerName,
    });
    return {
      orderId,
      outcome: classifyOrderResponse(orderId, res.status, res.body),
      latencyMs: res.latencyMs,
    };
  } catch (err) {
    return {
      orderId,
      outcome: { kind: 'error', reason: (err as Error).message },
      latencyMs: Date.now() - started,
    };
  }
}

/** Applies the thresholds to the results (pure). */
export function verdict(
  settings: Pick<HookSettings, 'orders' | 'maxP99LatencyMs' | 'minSuccessPercent'>,
  health: ValidationReport['health'],
  sent: number,
  results: readonly OrderResult[],
): ValidationReport {
  const reasons: string[] = [];
  if (!health.ok) reasons.push(`readiness check failed: ${health.detail}`);
  const acked = results.filter((r) => r.outcome.kind === 'ack');
  const successPercent = sent === 0 ? 0 : (acked.length / sent) * 100;
  const latencies = acked.map((r) => r.latencyMs);
  const p99 = percentile(latencies, 99);
  // With nothing sent there is nothing to judge; the caller says why nothing was sent.
  if (health.ok && sent > 0) {
    if (successPercent < settings.minSuccessPercent) {
      reasons.push(
        `${acked.length} of ${sent} synthetic orders acknowledged (${successPercent.toFixed(1)}%), below ${settings.minSuccessPercent}%`,
      );
    }
    if (p99 !== undefined && p99 > settings.maxP99LatencyMs) {
      reasons.push(`p99 latency ${Math.round(p99)} ms above ${settings.maxP99LatencyMs} ms`);
    }
  }
  return {
    passed: reasons.length === 0,
    reasons,
    health,
    sent,
    acknowledged: acked.length,
    warmup: { sent: 0, acknowledged: 0 },
    successPercent,
    p99LatencyMs: p99,
    maxLatencyMs: latencies.length > 0 ? Math.max(...latencies) : undefined,
    failures: results.filter((r) => r.outcome.kind !== 'ack').slice(0, 5),
  };
}
