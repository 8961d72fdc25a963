/**
 * Settings of the validation hook, read once from the function's environment (set by the
 * `ValidationHook` construct from typed props). A bad value names the variable, the value and what is allowed.
 */
export interface HookSettings {
  /** Base URL of the CodeDeploy test listener, e.g. `http://internal-ob.elb.amazonaws.com:9090`. */
  readonly testListenerUrl: string;
  /** Name the test listener's certificate must match, when not the URL's host. */
  readonly tlsServerName?: string;
  /** Readiness path probed once before any order is sent. */
  readonly healthPath: string;
  /** Path synthetic orders are posted to. */
  readonly orderPath: string;
  /** Synthetic orders sent to green and judged (the verdict's sample). */
  readonly orders: number;
  /**
   * Synthetic orders sent first, over the same connections, and left out of the verdict: a JVM that has just
   * started answers its first requests slowly (class loading, JIT), which says nothing about the version.
   */
  readonly warmupOrders: number;
  /** Orders in flight at once. */
  readonly concurrency: number;
  /** A request without a complete response after this long counts as failed. */
  readonly requestTimeoutMs: number;
  /** Highest acceptable p99 latency of acknowledged orders. */
  readonly maxP99LatencyMs: number;
  /** Lowest acceptable share of acknowledged orders (0..100). */
  readonly minSuccessPercent: number;
  /** Stop sending this long before the function times out, so the verdict is always reported. */
  readonly reportMarginMs: number;
}

/** Environment variable of each setting. */
export const HOOK_ENV = {
  testListenerUrl: 'TEST_LISTENER_URL',
  tlsServerName: 'TLS_SERVER_NAME',
  healthPath: 'HEALTH_PATH',
  orderPath: 'ORDER_PATH',
  orders: 'SYNTHETIC_ORDERS',
  warmupOrders: 'WARMUP_ORDERS',
  concurrency: 'CONCURRENCY',
  requestTimeoutMs: 'REQUEST_TIMEOUT_MS',
  maxP99LatencyMs: 'MAX_P99_LATENCY_MS',
  minSuccessPercent: 'MIN_SUCCESS_PERCENT',
  reportMarginMs: 'REPORT_MARGIN_MS',
} as const satisfies Record<keyof HookSettings, string>;

/** Raised for a missing or invalid environment variable. */
export class HookSettingsError extends Error {
  constructor(problems: string[]) {
    super(`invalid validation hook settings: ${problems.join('; ')}`);
    this.name = 'HookSettingsError';
  }
}

/** Reads and validates the settings; throws {@link HookSettingsError} listing every problem. */
export function loadHookSettings(env: Readonly<Record<string, string | undefined>>): HookSettings {
  const problems: string[] = [];
  const text = (key: keyof HookSettings, test: (v: string) => boolean, allowed: string) => {
    const name = HOOK_ENV[key];
    const value = env[name];
    if (value === undefined || value === '' || !test(value)) {
      problems.push(`${name} = ${JSON.stringify(value ?? null)}: expected ${allowed}`);
      return '';
    }
    return value;
  };
  const int = (key: keyof HookSettings, min: number, max: number) => {
    const raw = text(key, (v) => /^\d+$/.test(v), `an integer from ${min} to ${max}`);
    if (raw === '') return 0;
    const n = Number(raw);
    if (n < min || n > max) {
      problems.push(`${HOOK_ENV[key]} = "${raw}": expected an integer from ${min} to ${max}`);
    }
    return n;
  };
  const isUrl = (v: string) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.pathname === '/';
    } catch {
      return false;
    }
  };
  const isPath = (v: string) => /^\/[A-Za-z0-9/_.-]*$/.test(v);

  const settings: HookSettings = {
    testListenerUrl: text('testListenerUrl', isUrl, 'an http(s) URL without a path, e.g. http://alb:9090'),
    tlsServerName: env[HOOK_ENV.tlsServerName] || undefined,
    healthPath: text('healthPath', isPath, 'an absolute path such as /actuator/health/readiness'),
    orderPath: text('orderPath', isPath, 'an absolute path such as /orders'),
    orders: int('orders', 1, 1000),
    warmupOrders: int('warmupOrders', 0, 200),
    concurrency: int('concurrency', 1, 50),
    requestTimeoutMs: int('requestTimeoutMs', 100, 30000),
    maxP99LatencyMs: int('maxP99LatencyMs', 1, 30000),
    minSuccessPercent: int('minSuccessPercent', 0, 100),
    reportMarginMs: int('reportMarginMs', 1000, 60000),
  };
  if (problems.length > 0) throw new HookSettingsError(problems);
  return settings;
}
