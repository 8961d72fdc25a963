import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the stand-in behaves. */
export type StandInMode =
  /** Readiness 200, every order acknowledged at once (ACCEPTED, then DUPLICATE for a repeated id). */
  | 'healthy'
  /** Like healthy, but every order answer waits `delayMs`. */
  | 'slow'
  /** Readiness 200, every order answered 500. */
  | 'failing'
  /** Readiness 503 (the bad version). */
  | 'unready'
  /** Readiness 200, order requests never answered. */
  | 'hanging';

/**
 * A local HTTP server that stands in for the OrderBroker green task set (and for production in the
 * scenario tests). It listens on 127.0.0.1 only, on a free port, and keeps count of what it saw.
 */
export class GreenStandIn {
  mode: StandInMode;
  delayMs: number;
  /** Number of ACCEPTED acknowledgements per order id (a correct service never goes above 1). */
  readonly accepted = new Map<string, number>();
  /** Requests received, by path. */
  readonly hits = new Map<string, number>();
  /** Headers of the last order request. */
  lastOrderHeaders: http.IncomingHttpHeaders = {};
  /** TCP connections accepted so far (a client that reuses connections opens few). */
  connections = 0;
  /**
   * The first this many order requests wait `coldDelayMs` before answering (a JVM that has just started);
   * later ones answer as `mode` says.
   */
  coldOrders = 0;
  coldDelayMs = 0;
  private ordersSeen = 0;
  /** Set to make the stand-in acknowledge a repeated order id ACCEPTED again (a double execution). */
  forgetsIdempotency = false;
  private server?: http.Server;
  private readonly open = new Set<http.ServerResponse>();

  constructor(mode: StandInMode = 'healthy', delayMs = 0) {
    this.mode = mode;
    this.delayMs = delayMs;
  }

  /** Starts listening; resolves to the base URL (`http://127.0.0.1:<port>`). */
  async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('connection', () => {
      this.connections += 1;
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const orderLookup = /^\/orders\/(.+)$/.exec(path);
      if (req.method === 'GET' && orderLookup) {
        const id = decodeURIComponent(orderLookup[1]);
        const executions = this.accepted.get(id);
        res.writeHead(executions === undefined ? 404 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ orderId: id, executions: executions ?? 0 }));
        return;
      }
      if (req.method === 'GET') {
        const ready = this.mode !== 'unready';
        res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: ready ? 'UP' : 'OUT_OF_SERVICE' }));
        return;
      }
      this.lastOrderHeaders = req.headers;
      if (this.mode === 'hanging') {
        this.open.add(res);
        return;
      }
      if (this.mode === 'failing') {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"error":"internal"}');
        return;
      }
      const order = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { orderId?: string };
      const id = String(order.orderId);
      const seen = this.accepted.get(id) ?? 0;
      const status = seen > 0 && !this.forgetsIdempotency ? 'DUPLICATE' : 'ACCEPTED';
      if (status === 'ACCEPTED') this.accepted.set(id, seen + 1);
      const answer = () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ orderId: order.orderId, status }));
      };
      this.ordersSeen += 1;
      const delay =
        this.ordersSeen <= this.coldOrders ? this.coldDelayMs : this.mode === 'slow' ? this.delayMs : 0;
      if (delay > 0) {
        this.open.add(res);
        setTimeout(answer, delay);
      } else answer();
    });
  }
}
