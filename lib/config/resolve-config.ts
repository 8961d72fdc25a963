import { describeFargateMemory, fargateMemoryOptions } from './fargate';
import { CONFIG_KEY_NAMES, CONFIG_KEYS } from './keys';
import { DEFAULT_PROFILE, PROFILES, type RawConfig } from './profiles';
import type {
  Architecture,
  ClockTime,
  OrdersDatabaseConfig,
  ProfileName,
  TapConfig,
  TradesStreamConfig,
} from './types';

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

/** The only region this platform is deployed to. */
export const REGION = 'us-east-2';
/** NYSE/Nasdaq regular session, America/New_York. */
export const MARKET_OPEN: ClockTime = { hour: 9, minute: 30 };
export const MARKET_CLOSE: ClockTime = { hour: 16, minute: 0 };
/** Scheduled scale-ups must fire this many minutes before the bell, so tasks serve by bell - 5 min. */
export const SCALE_UP_LEAD_MINUTES = 10;

/** CloudWatch Logs retention values (days). */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Values a `CostCenter` tag may take (configuration key `costCenter`, checked again on every resource by TAP-TAG-2). */
export const COST_CENTER_PATTERN = /^CC-\d{4,6}$/;
/** An image tag or a `sha256:` digest (configuration key `imageTag`, and the deploy CLI's `--image`). */
export const IMAGE_REF_PATTERN = /^(?:sha256:[a-f0-9]{64}|[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$/;

const PATTERNS = {
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

type Pattern = (typeof PATTERNS)[keyof typeof PATTERNS];

/** Reads and validates raw values; collects every problem instead of stopping at the first. */
class Reader {
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

function minutes(t: ClockTime): number {
  return t.hour * 60 + t.minute;
}

/** Formats a clock time as HH:MM. */
export function formatTime(t: ClockTime): string {
  return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

function shiftMinutes(t: ClockTime, delta: number): ClockTime {
  const m = minutes(t) + delta;
  return { hour: Math.floor(m / 60), minute: m % 60 };
}

/**
 * Resolves the configuration from CDK context: the profile named by `profile` (default `dev`),
 * overridden key by key. Throws `ConfigError` listing every invalid value.
 *
 * @param context the app's context values (`app.node.getAllContext()`); feature flags and CLI keys are ignored
 */
export function resolveConfig(context: Readonly<Record<string, unknown>>): TapConfig {
  const profileValue = context.profile ?? DEFAULT_PROFILE;
  const profile = (
    typeof profileValue === 'string' ? profileValue : JSON.stringify(profileValue)
  ) as ProfileName;
  if (!Object.prototype.hasOwnProperty.call(PROFILES, profile)) {
    throw new ConfigError(profile, [
      `profile = ${JSON.stringify(profileValue)}: expected one of ${Object.keys(PROFILES).join(', ')}`,
    ]);
  }

  const overrides: Record<string, string | number | undefined> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(context)) {
    // Feature flags (@aws-cdk/...), CLI context (aws:cdk:...) and lookups all contain ':' or '/'.
    if (!/^[a-z][a-zA-Z0-9]*$/.test(key)) continue;
    if (!(key in CONFIG_KEYS)) {
      unknown.push(key);
      continue;
    }
    if (typeof value === 'string' || typeof value === 'number' || value === undefined) overrides[key] = value;
    else overrides[key] = JSON.stringify(value);
  }
  const r = new Reader({ ...PROFILES[profile], ...overrides });
  for (const key of unknown) {
    r.fail(key, context[key], `unknown configuration key; known keys: ${CONFIG_KEY_NAMES.join(', ')}`);
  }

  r.oneOf('region', [REGION]);
  const account = r.str('account', PATTERNS.account, false);
  if (profile === 'prod' && !r.has('account'))
    r.fail('account', undefined, 'required in prod; expected 12 digits');
  const costCenter = r.str('costCenter', PATTERNS.costCenter);

  // Network
  const vpcCidr = r.str('vpcCidr', PATTERNS.cidr);
  const clientCidr = r.str('clientCidr', PATTERNS.cidr);
  let network: TapConfig['network'] | undefined;
  if (r.has('vpcId')) {
    const vpcId = r.str('vpcId', PATTERNS.vpcId);
    const availabilityZones = r.list('availabilityZones', PATTERNS.az, 3);
    const privateSubnetIds = r.list('privateSubnetIds', PATTERNS.subnetId, 3);
    const isolatedSubnetIds = r.list('isolatedSubnetIds', PATTERNS.subnetId, 3);
    if (vpcId && vpcCidr && availabilityZones && privateSubnetIds && isolatedSubnetIds) {
      network = {
        mode: 'import',
        vpcId,
        cidr: vpcCidr,
        availabilityZones,
        privateSubnetIds,
        isolatedSubnetIds,
      };
    }
  } else {
    const natGateways = r.int('natGateways', 1, 3);
    if (vpcCidr && natGateways !== undefined) network = { mode: 'create', cidr: vpcCidr, natGateways };
  }

  // TLS
  const certificateArn = r.str('certificateArn', PATTERNS.certificateArn, false);
  if (profile === 'prod' && !r.has('certificateArn')) {
    r.fail(
      'certificateArn',
      undefined,
      `required in prod (HTTPS production listener); expected ${PATTERNS.certificateArn.allowed}`,
    );
  }
  const serviceHostname = r.str('serviceHostname', PATTERNS.hostname, false);
  if (r.has('certificateArn') && !r.has('serviceHostname')) {
    r.fail(
      'serviceHostname',
      undefined,
      `required with certificateArn (the name on the certificate); expected ${PATTERNS.hostname.allowed}`,
    );
  }
  const email = r.str('alarmEmail', PATTERNS.email, false);

  // Service
  const imageRepository = r.str('imageRepository', PATTERNS.repository);
  const imageTag = r.str('imageTag', PATTERNS.imageTag);
  const architecture = r.oneOf<Architecture>('architecture', ['ARM64', 'X86_64']);
  const cpu = r.oneOf('cpu', [256, 512, 1024, 2048, 4096, 8192, 16384]);
  const memoryMiB = r.int('memoryMiB', 512, 122880);
  if (cpu !== undefined && memoryMiB !== undefined && !fargateMemoryOptions(cpu).includes(memoryMiB)) {
    r.fail(
      'memoryMiB',
      memoryMiB,
      `Fargate does not offer cpu ${cpu} with ${memoryMiB} MiB; ${describeFargateMemory(cpu)}`,
    );
  }
  const containerPort = r.int('containerPort', 1024, 65535);
  if (containerPort === 9090)
    r.fail('containerPort', containerPort, 'must not be 9090 (the ALB test listener port)');
  const healthCheckPath = r.str('healthCheckPath', PATTERNS.path);
  const logRetentionDays = r.oneOf('logRetentionDays', LOG_RETENTION_DAYS);

  // Capacity
  const floorTasks = r.int('floorTasks', 1, 500);
  const warmTasks = r.int('warmTasks', 0, 500);
  const maxTasks = r.int('maxTasks', 1, 1000);
  const preOpenTasks = r.int('preOpenTasks', 1, 1000);
  const preCloseTasks = r.int('preCloseTasks', 1, 1000);
  const targetCpuPercent = r.int('targetCpuPercent', 20, 90);
  let warmFloor: number | undefined;
  if (floorTasks !== undefined && warmTasks !== undefined) {
    warmFloor = floorTasks + warmTasks;
    if (maxTasks !== undefined && warmFloor > maxTasks) {
      r.fail(
        'maxTasks',
        maxTasks,
        `must be >= floorTasks + warmTasks (${floorTasks} + ${warmTasks} = ${warmFloor}): the minimum is above the maximum`,
      );
    }
    for (const key of ['preOpenTasks', 'preCloseTasks'] as const) {
      const v = key === 'preOpenTasks' ? preOpenTasks : preCloseTasks;
      if (v !== undefined && maxTasks !== undefined && (v < warmFloor || v > maxTasks)) {
        r.fail(key, v, `must be between floorTasks + warmTasks (${warmFloor}) and maxTasks (${maxTasks})`);
      }
    }
  }

  // Schedule (America/New_York)
  const preOpen = r.time('preOpenTime');
  const postOpen = r.time('postOpenTime');
  const preClose = r.time('preCloseTime');
  const postClose = r.time('postCloseTime');
  if (preOpen && postOpen && preClose && postClose) {
    const latestPreOpen = shiftMinutes(MARKET_OPEN, -SCALE_UP_LEAD_MINUTES);
    const latestPreClose = shiftMinutes(MARKET_CLOSE, -SCALE_UP_LEAD_MINUTES);
    if (minutes(preOpen) > minutes(latestPreOpen)) {
      r.fail(
        'preOpenTime',
        formatTime(preOpen),
        `must be at or before ${formatTime(latestPreOpen)} so capacity is serving before the 09:30 open`,
      );
    }
    if (minutes(postOpen) <= minutes(MARKET_OPEN) || minutes(postOpen) >= minutes(preClose)) {
      r.fail(
        'postOpenTime',
        formatTime(postOpen),
        `must be after 09:30 and before preCloseTime (${formatTime(preClose)})`,
      );
    }
    if (minutes(preClose) > minutes(latestPreClose)) {
      r.fail(
        'preCloseTime',
        formatTime(preClose),
        `must be at or before ${formatTime(latestPreClose)} so capacity is serving before the 16:00 close`,
      );
    }
    if (minutes(postClose) <= minutes(MARKET_CLOSE)) {
      r.fail('postCloseTime', formatTime(postClose), 'must be after 16:00');
    }
  }

  // Data stores
  let tradesStream: TradesStreamConfig | undefined;
  const keyArn = r.str('tradesStreamKeyArn', PATTERNS.keyArn, false);
  if (r.has('tradesStreamArn')) {
    const streamArn = r.str('tradesStreamArn', PATTERNS.streamArn);
    if (streamArn)
      tradesStream = { mode: 'import', streamName: streamArn.split('/').pop()!, streamArn, keyArn };
  } else if (r.has('tradesStreamName')) {
    const streamName = r.str('tradesStreamName', PATTERNS.streamName);
    if (streamName) tradesStream = { mode: 'import', streamName, keyArn };
  } else {
    if (keyArn) r.fail('tradesStreamKeyArn', keyArn, 'only valid with tradesStreamName or tradesStreamArn');
    const retentionHours = r.int('tradesStreamRetentionHours', 24, 8760);
    if (retentionHours !== undefined) tradesStream = { mode: 'create', retentionHours };
  }

  let ordersDatabase: OrdersDatabaseConfig | undefined;
  if (r.has('ordersDbClusterIdentifier')) {
    const clusterIdentifier = r.str('ordersDbClusterIdentifier', PATTERNS.clusterIdentifier);
    const clusterResourceId = r.str('ordersDbClusterResourceId', PATTERNS.clusterResourceId);
    const endpoint = r.str('ordersDbEndpoint', PATTERNS.hostname);
    const port = r.int('ordersDbPort', 1150, 65535);
    const securityGroupId = r.str('ordersDbSecurityGroupId', PATTERNS.sgId);
    if (clusterIdentifier && clusterResourceId && endpoint && port !== undefined && securityGroupId) {
      ordersDatabase = {
        mode: 'import',
        clusterIdentifier,
        clusterResourceId,
        endpoint,
        port,
        securityGroupId,
      };
    }
  } else {
    const instanceClass = r.str('dbInstanceClass', PATTERNS.instanceClass);
    const readers = r.int('dbReaders', 0, 5);
    const backupRetentionDays = r.int('dbBackupRetentionDays', 7, 35);
    if (instanceClass && readers !== undefined && backupRetentionDays !== undefined) {
      ordersDatabase = { mode: 'create', instanceClass, readers, backupRetentionDays };
    }
  }
  const dbUser = r.str('dbUser', PATTERNS.dbIdentifier);
  const dbName = r.str('dbName', PATTERNS.dbIdentifier);

  // Deployment
  const canaryPercent = r.int('canaryPercent', 1, 50);
  const canaryMinutes = r.int('canaryMinutes', 1, 10);
  const terminationWaitMinutes = r.int('terminationWaitMinutes', 5, 60);

  if (r.problems.length > 0) throw new ConfigError(profile, r.problems);

  // Every value below was checked above; the non-null assertions cannot fail.
  return {
    profile,
    stackName: `OrderBroker-${profile}`,
    env: { account, region: REGION },
    tags: {
      costCenter: costCenter!,
      project: 'TradingPlatform',
      service: 'OrderBroker',
      environment: profile,
    },
    network: network!,
    clientCidr: clientCidr!,
    tradesStream: tradesStream!,
    ordersDatabase: ordersDatabase!,
    dbUser: dbUser!,
    dbName: dbName!,
    service: {
      imageRepository: imageRepository!,
      imageTag: imageTag!,
      architecture: architecture!,
      cpu: cpu!,
      memoryMiB: memoryMiB!,
      containerPort: containerPort!,
      healthCheckPath: healthCheckPath!,
      logRetentionDays: logRetentionDays!,
    },
    capacity: {
      floorTasks: floorTasks!,
      warmTasks: warmTasks!,
      warmFloor: warmFloor!,
      maxTasks: maxTasks!,
      preOpenTasks: preOpenTasks!,
      preCloseTasks: preCloseTasks!,
      targetCpuPercent: targetCpuPercent!,
    },
    schedule: { preOpen: preOpen!, postOpen: postOpen!, preClose: preClose!, postClose: postClose! },
    loadBalancing: { certificateArn, serviceHostname },
    deployment: {
      canaryPercent: canaryPercent!,
      canaryMinutes: canaryMinutes!,
      terminationWaitMinutes: terminationWaitMinutes!,
    },
    alerting: { email },
  };
}
