import { COST_CENTER_PATTERN, IMAGE_REF_PATTERN } from './constants';
import type { RawConfig } from './profiles';
import type { ClockTime } from './types';

/** Raised when the configuration is invalid; lists every problem, each naming key, value and what is allowed. */
export class ConfigError extends Error {
  constructor(
    public readonly profile: string,
    public readonly problems: string[],
  ) {
    super(
      `Invalid OrderBroker configuration (profile "${profile}"):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nFix the value in lib/config/profiles.ts or override it with -c <key>=<value>.',
    );
    this.name = 'ConfigError';
  }
}

/** CloudWatch Logs retention values (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export const PATTERNS = {
  account: { re: /^\d{12}$/, allowed: '12 digits' },
  costCenter: { re: COST_CENTER_PATTERN, allowed: '"CC-" followed by 4 to 6 digits, e.g. CC-4100' },
  cidr: {
    re: /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(\d|[12]\d|3[0-2])$/,
    allowed: 'an IPv4 CIDR such as 10.40.0.0/16',
  },
  email: { re: /^[^\s@]+@[^\s@]+\.[A-Za-z]{2,}$/, allowed: 'an e-mail address such as sre@example.com' },
  certificateArn: {
    re: /^arn:aws[a-z-]*:acm:us-east-2:\d{12}:certificate\/[0-9a-f-]{36}$/,
    allowed:
      'an ACM certificate ARN in us-east-2 (arn:<partition>:acm:us-east-2:<account>:certificate/<uuid>)',
  },
  streamArn: {
    re: /^arn:aws[a-z-]*:kinesis:us-east-2:\d{12}:stream\/[A-Za-z0-9_.-]{1,128}$/,
    allowed: 'a Kinesis stream ARN in us-east-2 (arn:<partition>:kinesis:us-east-2:<account>:stream/<name>)',
  },
  streamName: { re: /^[A-Za-z0-9_.-]{1,128}$/, allowed: '1-128 of A-Z a-z 0-9 _ . -' },
  keyArn: {
    re: /^arn:aws[a-z-]*:kms:us-east-2:\d{12}:key\/[0-9a-f-]{36}$/,
    allowed: 'a KMS key ARN in us-east-2 (arn:<partition>:kms:us-east-2:<account>:key/<uuid>)',
  },
  repository: {
    re: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
    allowed: 'an ECR repository name (lower case, / . _ - separators)',
  },
  imageTag: {
    re: IMAGE_REF_PATTERN,
    allowed: 'a tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}) or a digest sha256:<64 hex>',
  },
  path: { re: /^\/[A-Za-z0-9/_.-]*$/, allowed: 'an absolute URL path such as /actuator/health/readiness' },
  vpcId: { re: /^vpc-[0-9a-f]{8,17}$/, allowed: 'vpc- followed by 8 or 17 hex digits' },
  subnetId: { re: /^subnet-[0-9a-f]{8,17}$/, allowed: 'subnet- followed by 8 or 17 hex digits' },
  az: { re: /^us-east-2[a-c]$/, allowed: 'us-east-2a, us-east-2b or us-east-2c' },
  sgId: { re: /^sg-[0-9a-f]{8,17}$/, allowed: 'sg- followed by 8 or 17 hex digits' },
  clusterResourceId: {
    re: /^cluster-[A-Z0-9]{26}$/,
    allowed: 'cluster- followed by 26 upper-case letters/digits',
  },
  clusterIdentifier: {
    re: /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/,
    allowed: 'a DB cluster identifier (letter first, letters, digits, -)',
  },
  hostname: { re: /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, allowed: 'a DNS host name' },
  instanceClass: {
    re: /^[a-z][a-z0-9]*\.[a-z0-9]+$/,
    allowed: 'an instance class without "db.", e.g. r7g.large',
  },
  dbIdentifier: { re: /^[a-z][a-z0-9_]{0,62}$/, allowed: 'lower-case letter first, then a-z 0-9 _ (max 63)' },
  time: { re: /^([01]\d|2[0-3]):([0-5]\d)$/, allowed: 'HH:MM (24-hour, America/New_York), e.g. 09:10' },
} as const;

export type Pattern = (typeof PATTERNS)[keyof typeof PATTERNS];

/**
 * Reads and validates raw values; collects every problem instead of stopping at the first. Each problem is one
 * line naming the key, the value and what is allowed.
 */
export class Reader {
  readonly problems: string[] = [];

  constructor(private readonly raw: RawConfig) {}

  has(key: string): boolean {
    return this.value(key) !== undefined;
  }

  fail(key: string, value: unknown, allowed: string): void {
    this.problems.push(
      value === undefined ? `${key} is not set: ${allowed}` : `${key} = ${JSON.stringify(value)}: ${allowed}`,
    );
  }

  /** A string matching `pattern`, or undefined when absent and not required. */
  str(key: string, pattern: Pattern, required = true): string | undefined {
    const v = this.value(key);
    if (v === undefined) {
      if (required) this.fail(key, v, `required; expected ${pattern.allowed}`);
      return undefined;
    }
    const s = String(v);
    if (!pattern.re.test(s)) {
      this.fail(key, v, `expected ${pattern.allowed}`);
      return undefined;
    }
    return s;
  }

  /** An integer in [min, max]. */
  int(key: string, min: number, max: number, required = true): number | undefined {
    const v = this.value(key);
    if (v === undefined) {
      if (required) this.fail(key, v, `required; expected an integer from ${min} to ${max}`);
      return undefined;
    }
    const n = typeof v === 'number' ? v : /^-?\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      this.fail(key, v, `expected an integer from ${min} to ${max}`);
      return undefined;
    }
    return n;
  }

  oneOf<T extends string | number>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.value(key);
    const match = allowed.find((a) => String(a) === String(v));
    if (match === undefined) {
      this.fail(key, v, `expected one of ${allowed.join(', ')}`);
    }
    return match;
  }

  list(key: string, pattern: Pattern, count: number): string[] | undefined {
    const v = this.value(key);
    const items =
      v === undefined
        ? []
        : String(v)
            .split(',')
            .map((s) => s.trim());
    if (items.length !== count || items.some((i) => !pattern.re.test(i))) {
      this.fail(key, v, `expected ${count} comma-separated values, each ${pattern.allowed}`);
      return undefined;
    }
    return items;
  }

  time(key: string): ClockTime | undefined {
    const s = this.str(key, PATTERNS.time);
    if (s === undefined) return undefined;
    const [hour, minute] = s.split(':').map(Number);
    return { hour, minute };
  }

  private value(key: string): string | number | undefined {
    const v = this.raw[key];
    return v === '' || v === null ? undefined : v;
  }
}
