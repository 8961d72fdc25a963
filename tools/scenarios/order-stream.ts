import { type HttpSend } from '../../lambda/shared/http-client';
import {
  classifyOrderResponse,
  type OrderOutcome,
  syntheticOrder,
  syntheticOrderHeaders,
  syntheticOrderId,
} from '../../lambda/shared/synthetic-orders';

/** Settings of a synthetic order stream. */
export interface OrderStreamSettings {
  /** Production base URL. */
  readonly baseUrl: string;
  readonly orderPath: string;
  /** Orders per second. */
  readonly ratePerSecond: number;
  readonly requestTimeoutMs: number;
  /** Extra attempts per order after an error or rejection, with the same order id (idempotent). */
  readonly retries: number;
  /** Prefix of the order ids: a run id, so a re-run never collides with an earlier one. */
  readonly runId: string;
  readonly tlsServerName?: string;
}

/** Everything that happened to one order. */
export interface OrderRecord {
  readonly orderId: string;
  readonly sentAt: number;
  readonly attempts: OrderOutcome[];
  /**
   * Times the service booked the order, from `GET <orderPath>/<orderId>`; asked only for orders retried after
   * an error, where the client alone cannot tell whether the lost attempt was booked.
   */
  executions?: number;
}

/** Dependencies of the stream: HTTP, the time source and the pacing wait (instant in tests). */
export interface OrderStreamDeps {
  readonly send: HttpSend;
  readonly now: () => number;
  readonly pace: (ms: number) => Promise<void>;
}

/**
 * A steady stream of synthetic orders at `ratePerSecond`, each with a deterministic idempotent id, until
 * {@link stop}. Orders are fired without waiting for earlier ones (a real order gateway does not wait), so
 * a slow response never lowers the rate.
 */
export class OrderStream {
  readonly records: OrderRecord[] = [];
  private running = false;
  private loop?: Promise<void>;
  private readonly inFlight = new Set<Promise<void>>();
  startedAt?: number;
  stoppedAt?: number;

  constructor(
    private readonly settings: OrderStreamSettings,
    private readonly deps: OrderStreamDeps,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.startedAt = this.deps.now();
    this.loop = this.run();
  }

  /** Stops sending and waits for every order in flight to finish (acknowledged, rejected or timed out). */
  async stop(): Promise<OrderRecord[]> {
    this.running = false;
    await this.loop;
    await Promise.all([...this.inFlight]);
    this.stoppedAt = this.deps.now();
    return this.records;
  }

  /**
   * Asks the service how often each order ACCEPTED after a failed attempt was booked (`GET <orderPath>/<orderId>`
   * answers `{ orderId, executions }`): the failed attempt may have been booked before its response was lost.
   */
  async reconcile(): Promise<void> {
    const ambiguous = this.records.filter(
      (r) => r.attempts.findIndex((a) => a.kind === 'ack' && a.status === 'ACCEPTED') > 0,
    );
    for (const record of ambiguous) {
      try {
        const res = await this.deps.send({
          url: `${this.settings.baseUrl}${this.settings.orderPath}/${encodeURIComponent(record.orderId)}`,
          method: 'GET',
          headers: { accept: 'application/json' },
          timeoutMs: this.settings.requestTimeoutMs,
          tlsServerName: this.settings.tlsServerName,
        });
        const body = JSON.parse(res.body) as { orderId?: string; executions?: unknown };
        if (res.status === 404) record.executions = 0;
        else if (
          res.status === 200 &&
          body.orderId === record.orderId &&
          typeof body.executions === 'number'
        ) {
          record.executions = body.executions;
        }
      } catch {
        // Left unknown: the verdict counts an unreconciled retried order as not proven.
      }
    }
  }

  /** Orders sent so far. */
  get sent(): number {
    return this.records.length;
  }

  private async run(): Promise<void> {
    const interval = 1000 / this.settings.ratePerSecond;
    let sequence = 0;
    while (this.running) {
      const record: OrderRecord = {
        orderId: syntheticOrderId(this.settings.runId, sequence),
        sentAt: this.deps.now(),
        attempts: [],
      };
      this.records.push(record);
      const p = this.deliver(record, sequence).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
      sequence++;
      await this.deps.pace(interval);
    }
  }

  private async deliver(record: OrderRecord, sequence: number): Promise<void> {
    const body = JSON.stringify(syntheticOrder(record.orderId, sequence));
    for (let attempt = 0; attempt <= this.settings.retries; attempt++) {
      let outcome: OrderOutcome;
      try {
        const res = await this.deps.send({
          url: `${this.settings.baseUrl}${this.settings.orderPath}`,
          method: 'POST',
          headers: syntheticOrderHeaders(record.orderId),
          body,
          timeoutMs: this.settings.requestTimeoutMs,
          tlsServerName: this.settings.tlsServerName,
        });
        outcome = classifyOrderResponse(record.orderId, res.status, res.body);
      } catch (err) {
        outcome = { kind: 'error', reason: (err as Error).message };
      }
      record.attempts.push(outcome);
      if (outcome.kind === 'ack') return;
    }
  }
}

/** The exactly-once verdict on a stream. */
export interface StreamVerdict {
  readonly sent: number;
  /** Acknowledged exactly once: one ACCEPTED, or (after a lost response) only DUPLICATE answers. */
  readonly exactlyOnce: number;
  /** Never acknowledged. */
  readonly dropped: string[];
  /** ACCEPTED more than once, or booked more than once by the service's own count: executed twice. */
  readonly doubled: string[];
  /** Retried orders whose booking count could not be confirmed. */
  readonly unreconciled: string[];
  /** Orders that needed a retry (allowed with --retries; each retry reused the order id). */
  readonly retried: number;
  /** Up to five reasons of failed attempts, for the summary. */
  readonly sampleFailures: string[];
}

/** Evaluates a stream's records (pure). */
export function evaluateStream(records: readonly OrderRecord[]): StreamVerdict {
  const dropped: string[] = [];
  const doubled: string[] = [];
  const unreconciled: string[] = [];
  const failures: string[] = [];
  let exactlyOnce = 0;
  let retried = 0;
  for (const r of records) {
    const accepted = r.attempts.filter((a) => a.kind === 'ack' && a.status === 'ACCEPTED').length;
    const duplicate = r.attempts.filter((a) => a.kind === 'ack' && a.status === 'DUPLICATE').length;
    if (r.attempts.length > 1) retried++;
    for (const a of r.attempts) {
      if (a.kind !== 'ack' && failures.length < 5) failures.push(`${r.orderId}: ${a.reason}`);
    }
    // ACCEPTED after a failed attempt is ambiguous: the failed attempt may have been booked too. DUPLICATE is not:
    // the service recognised the key and booked nothing new.
    const acceptedIndex = r.attempts.findIndex((a) => a.kind === 'ack' && a.status === 'ACCEPTED');
    const ambiguous = acceptedIndex > 0;
    if (accepted > 1 || (r.executions ?? 0) > 1) doubled.push(r.orderId);
    else if (r.executions === 0 || (accepted === 0 && duplicate === 0)) dropped.push(r.orderId);
    else if (ambiguous && r.executions === undefined) unreconciled.push(r.orderId);
    else exactlyOnce++;
  }
  return {
    sent: records.length,
    exactlyOnce,
    dropped,
    doubled,
    unreconciled,
    retried,
    sampleFailures: failures,
  };
}
