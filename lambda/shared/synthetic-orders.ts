/**
 * The synthetic-order contract between the OrderBroker service and the tools that prove a deployment safe
 * (the validation hook and the scenario runners). Documented in docs/market-hours-deploy.md.
 *
 * A synthetic order is a real `POST <orderPath>` marked with {@link SYNTHETIC_HEADER}: the service validates,
 * persists and acknowledges it like any order but never routes it to an exchange. Its `orderId` is also its
 * idempotency key: sending the same order twice must be acknowledged once as `ACCEPTED` and then as
 * `DUPLICATE`, never executed twice.
 */

/** Header that marks an order as synthetic (never routed to an exchange). */
export const SYNTHETIC_HEADER = 'x-synthetic-order';
/** Idempotency header; always equal to the order id. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Nasdaq's test symbol: even if a synthetic order leaked to a venue, it would not trade a real security. */
export const TEST_SYMBOL = 'ZVZZT';

/** A synthetic limit order. */
export interface SyntheticOrder {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: number;
  readonly orderType: 'LIMIT';
  readonly limitPrice: number;
  readonly timeInForce: 'DAY';
}

/** How the service acknowledged an order. */
export type AckStatus = 'ACCEPTED' | 'DUPLICATE';

/** The outcome of one synthetic order request. */
export type OrderOutcome =
  | { readonly kind: 'ack'; readonly status: AckStatus; readonly httpStatus: number }
  | { readonly kind: 'rejected'; readonly httpStatus: number; readonly reason: string }
  | { readonly kind: 'error'; readonly reason: string };

/**
 * A deterministic order id: the same (run, sequence) always gives the same id, so a retried or re-run
 * request is recognisably the same order. Only `[A-Za-z0-9-]` so it is safe in a header.
 */
export function syntheticOrderId(runId: string, sequence: number): string {
  const run = runId.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 64);
  return `syn-${run}-${String(sequence).padStart(6, '0')}`;
}

/** A small limit order on the test symbol; side alternates so a synthetic book stays flat. */
export function syntheticOrder(orderId: string, sequence: number): SyntheticOrder {
  return {
    orderId,
    symbol: TEST_SYMBOL,
    side: sequence % 2 === 0 ? 'BUY' : 'SELL',
    quantity: 1,
    orderType: 'LIMIT',
    limitPrice: 1,
    timeInForce: 'DAY',
  };
}

/** Headers of a synthetic order request. */
export function syntheticOrderHeaders(orderId: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json',
    [SYNTHETIC_HEADER]: 'true',
    [IDEMPOTENCY_HEADER]: orderId,
  };
}

/**
 * Classifies a response to a synthetic order. An acknowledgement is a 2xx JSON body whose `orderId` is the
 * order's and whose `status` is `ACCEPTED` or `DUPLICATE`; anything else is a rejection with the reason.
 */
export function classifyOrderResponse(orderId: string, httpStatus: number, body: string): OrderOutcome {
  if (httpStatus < 200 || httpStatus > 299) {
    return { kind: 'rejected', httpStatus, reason: `HTTP ${httpStatus}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'rejected', httpStatus, reason: 'acknowledgement is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return { kind: 'rejected', httpStatus, reason: 'acknowledgement is not a JSON object' };
  }
  const ack = parsed as { orderId?: unknown; status?: unknown };
  if (ack.orderId !== orderId) {
    return {
      kind: 'rejected',
      httpStatus,
      reason: `acknowledgement is for order ${JSON.stringify(ack.orderId ?? null)}, not ${orderId}`,
    };
  }
  if (ack.status !== 'ACCEPTED' && ack.status !== 'DUPLICATE') {
    return {
      kind: 'rejected',
      httpStatus,
      reason: `acknowledgement status ${JSON.stringify(ack.status ?? null)} is not ACCEPTED or DUPLICATE`,
    };
  }
  return { kind: 'ack', status: ack.status, httpStatus };
}

/** Nearest-rank percentile (p in 0..100) of a list of numbers; undefined for an empty list. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}
