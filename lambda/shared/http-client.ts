import * as http from 'node:http';
import * as https from 'node:https';

/** One HTTP request of a synthetic client. */
export interface HttpRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The request fails with a timeout error after this many milliseconds without a complete response. */
  readonly timeoutMs: number;
  /**
   * Name the TLS certificate must match (SNI and verification), when it differs from the URL's host name.
   *
   * @default - the URL's host name
   */
  readonly tlsServerName?: string;
}

/** A complete HTTP response. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  readonly latencyMs: number;
}

/** Sends one request; injected so the validation logic is tested without a network. */
export type HttpSend = (request: HttpRequest) => Promise<HttpResponse>;

/** Raised when no complete response arrived in time. */
export class HttpTimeoutError extends Error {
  constructor(
    public readonly url: string,
    public readonly timeoutMs: number,
  ) {
    super(`no response from ${url} within ${timeoutMs} ms`);
    this.name = 'HttpTimeoutError';
  }
}

/** Responses larger than this are cut: acknowledgements are small JSON documents. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Sends one request with Node's http/https modules on a fresh connection each time (no dependency, no
 * connection reuse), as a first-time client would: what the scenario runners measure. Certificate verification
 * stays on; only the expected name can be changed.
 */
export const sendHttp: HttpSend = (request) => send(request, false);

/** A sender that reuses its connections, and what it opened. */
export interface PooledHttpClient {
  readonly send: HttpSend;
  /** TCP connections (TLS sessions for https) opened so far. */
  socketsOpened(): number;
  /** Closes every pooled connection (call once the run is over: nothing stays open into a frozen Lambda). */
  close(): void;
}

/**
 * A keep-alive client: at most `maxSockets` connections per host, each reused for the next request once its
 * response is complete. A validation of N orders then pays N requests, not N TCP and TLS handshakes against a
 * JVM that has just started; an ALB still picks a target per request, not per connection.
 */
export function pooledHttpClient(maxSockets: number): PooledHttpClient {
  const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'fifo' as const };
  const agents = { http: new http.Agent(options), https: new https.Agent(options) };
  const seen = new WeakSet<object>();
  let opened = 0;
  const onSocket = (socket: object) => {
    if (seen.has(socket)) return;
    seen.add(socket);
    opened += 1;
  };
  return {
    send: (request) => send(request, request.url.startsWith('https:') ? agents.https : agents.http, onSocket),
    socketsOpened: () => opened,
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function send(
  request: HttpRequest,
  agent: http.Agent | false,
  onSocket?: (socket: object) => void,
): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    const url = new URL(request.url);
    const isHttps = url.protocol === 'https:';
    const started = process.hrtime.bigint();
    const options: https.RequestOptions = {
      method: request.method,
      headers: {
        ...(request.headers ?? {}),
        ...(request.body !== undefined
          ? { 'content-length': Buffer.byteLength(request.body).toString() }
          : {}),
      },
      agent,
      ...(isHttps && request.tlsServerName ? { servername: request.tlsServerName } : {}),
    };
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          latencyMs: Number(process.hrtime.bigint() - started) / 1e6,
        });
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    };
    const req = isHttps ? https.request(url, options, onResponse) : http.request(url, options, onResponse);
    const timer = setTimeout(() => {
      req.destroy(new HttpTimeoutError(request.url, request.timeoutMs));
    }, request.timeoutMs);
    if (onSocket) req.on('socket', onSocket);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}
