import * as fs from 'fs';
import * as path from 'path';
import { AssumptionsError, ASSUMPTIONS_FILE } from './assumptions';
import {
  type CfnTemplate,
  type FoundResource,
  PlanInputError,
  getPath,
  referencedLogicalId,
  resourcesOfType,
} from './cfn';
import type { SourceRef } from './inputs';
import { round } from './timing';
import { REPO_ROOT } from '../shared/repo';

/**
 * The whole bill of one synthesized stack besides the Fargate tasks: every priced resource is counted from
 * the template (NAT gateways and their public IPv4 addresses, interface endpoints x Availability Zones, load
 * balancers, Aurora instances by class, Kinesis streams, KMS keys, log groups with their retention); the
 * traffic that no template can contain (GB of logs a day, Kinesis throughput, LCUs) comes from the dated
 * usage assumptions, the prices from the dated price table. Pure: no clock, no network.
 */

/** The dated price table of the platform (repository-relative). */
export const PLATFORM_PRICING_FILE = 'data/platform-pricing-us-east-2.json';

/** Keys of `prices` in the price table; every one is required. */
export const PRICE_KEYS = [
  'natGatewayHour',
  'natGatewayGb',
  'publicIpv4Hour',
  'interfaceEndpointAzHour',
  'interfaceEndpointGb',
  'albHour',
  'albLcuHour',
  'auroraStorageGbMonth',
  'auroraIoMillion',
  'auroraBackupGbMonth',
  'kinesisOnDemandStreamHour',
  'kinesisOnDemandIngestGb',
  'kinesisOnDemandRetrievalGb',
  'kinesisExtendedRetentionGbMonth',
  'kmsKeyMonth',
  'logsIngestGb',
  'vendedLogsIngestGb',
  'logsStorageGbMonth',
] as const;
export type PriceKey = (typeof PRICE_KEYS)[number];

/** One priced line of the table, with where it came from. */
export interface PriceLine {
  readonly price: number;
  readonly unit: string;
  readonly sourceUrl: string;
  /** `cross-checked` against a dated copy, or `unconfirmed` (found in none during retrieval). */
  readonly confidence: 'cross-checked' | 'unconfirmed';
  readonly crossChecks: readonly string[];
}

/** The validated price table. */
export interface PlatformPricing {
  readonly retrievedOn: string;
  readonly retrievalNote: string;
  readonly region: string;
  readonly currency: string;
  readonly prices: Readonly<Record<PriceKey, PriceLine>>;
  /** Aurora PostgreSQL on-demand instance-hour by DB instance class. */
  readonly auroraInstanceHour: Readonly<Record<string, PriceLine>>;
}

/** Usage keys of a profile in `platformUsage.profiles.<profile>` of the assumptions file. */
export const USAGE_KEYS = [
  'natGbPerDay',
  'otherEndpointGbPerDay',
  'albAverageLcu',
  'kinesisIngestGbPerDay',
  'kinesisConsumers',
  'auroraStorageGb',
  'auroraIoMillionsPerMonth',
  'auroraBackupChangeGbPerDay',
  'serviceLogsGbPerDay',
  'flowLogsGbPerDay',
  'databaseLogsGbPerDay',
  'functionLogsGbPerDay',
  'otherLogsGbPerDay',
] as const;
export type UsageKey = (typeof USAGE_KEYS)[number];

/** One usage assumption and why it has this value. */
export interface UsageFigure {
  readonly value: number;
  readonly basis: string;
}

/** The usage of one profile. */
export type ProfileUsage = Readonly<Record<UsageKey, UsageFigure>>;

/** The validated `platformUsage` section of the assumptions file. */
export interface PlatformUsage {
  /** Archived (gzip) size of a GB of ingested log data, as a fraction. */
  readonly logsCompressedFraction: UsageFigure;
  /** Days a log group without RetentionInDays is priced at (it never expires). */
  readonly unlimitedRetentionPricedDays: number;
  readonly profiles: Readonly<Record<string, ProfileUsage>>;
}

type Json = Record<string, unknown>;

function at(obj: unknown, key: string[]): unknown {
  return getPath(obj, key);
}

function nonNegative(file: string, obj: unknown, key: string[]): number {
  const v = at(obj, key);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new AssumptionsError(file, key.join('.'), v, 'expected a non-negative number');
  }
  return v;
}

function text(file: string, obj: unknown, key: string[]): string {
  const v = at(obj, key);
  if (typeof v !== 'string' || v.trim() === '') {
    throw new AssumptionsError(file, key.join('.'), v, 'expected a non-empty string');
  }
  return v;
}

function priceLine(file: string, obj: unknown, key: string[]): PriceLine {
  const line = at(obj, key);
  if (typeof line !== 'object' || line === null) {
    throw new AssumptionsError(
      file,
      key.join('.'),
      line,
      'expected a price line {price, unit, sourceUrl, confidence, crossChecks}',
    );
  }
  const sourceUrl = text(file, obj, [...key, 'sourceUrl']);
  if (!/^https:\/\//.test(sourceUrl)) {
    throw new AssumptionsError(file, [...key, 'sourceUrl'].join('.'), sourceUrl, 'expected an https URL');
  }
  const confidence = at(obj, [...key, 'confidence']);
  if (confidence !== 'cross-checked' && confidence !== 'unconfirmed') {
    throw new AssumptionsError(
      file,
      [...key, 'confidence'].join('.'),
      confidence,
      'expected cross-checked or unconfirmed',
    );
  }
  const crossChecks = at(obj, [...key, 'crossChecks']);
  if (
    !Array.isArray(crossChecks) ||
    crossChecks.length === 0 ||
    crossChecks.some((c) => typeof c !== 'string')
  ) {
    throw new AssumptionsError(
      file,
      [...key, 'crossChecks'].join('.'),
      crossChecks,
      'expected a non-empty list of strings',
    );
  }
  return {
    price: nonNegative(file, obj, [...key, 'price']),
    unit: text(file, obj, [...key, 'unit']),
    sourceUrl,
    confidence,
    crossChecks: crossChecks as string[],
  };
}

/**
 * Validates the parsed price table: every key of PRICE_KEYS present with a non-negative price.
 *
 * @throws AssumptionsError naming the file, the key, the value and what is allowed
 */
export function parsePlatformPricing(raw: unknown): PlatformPricing {
  const f = PLATFORM_PRICING_FILE;
  const retrievedOn = text(f, raw, ['retrievedOn']);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(retrievedOn)) {
    throw new AssumptionsError(f, 'retrievedOn', retrievedOn, 'expected a date YYYY-MM-DD');
  }
  const prices = Object.fromEntries(PRICE_KEYS.map((k) => [k, priceLine(f, raw, ['prices', k])])) as Record<
    PriceKey,
    PriceLine
  >;
  const classes = at(raw, ['auroraInstanceHour']);
  if (typeof classes !== 'object' || classes === null || Object.keys(classes).length === 0) {
    throw new AssumptionsError(
      f,
      'auroraInstanceHour',
      classes,
      'expected a map of DB instance class to price line',
    );
  }
  const auroraInstanceHour = Object.fromEntries(
    Object.keys(classes as Json).map((c) => [c, priceLine(f, raw, ['auroraInstanceHour', c])]),
  );
  return {
    retrievedOn,
    retrievalNote: text(f, raw, ['retrievalNote']),
    region: text(f, raw, ['region']),
    currency: text(f, raw, ['currency']),
    prices,
    auroraInstanceHour,
  };
}

function figure(file: string, obj: unknown, key: string[]): UsageFigure {
  return { value: nonNegative(file, obj, [...key, 'value']), basis: text(file, obj, [...key, 'basis']) };
}

/**
 * Validates `platformUsage` of the parsed assumptions file.
 *
 * @throws AssumptionsError naming the key
 */
export function parsePlatformUsage(rawAssumptions: unknown): PlatformUsage {
  const f = ASSUMPTIONS_FILE;
  const profiles = at(rawAssumptions, ['platformUsage', 'profiles']);
  if (typeof profiles !== 'object' || profiles === null || Object.keys(profiles).length === 0) {
    throw new AssumptionsError(f, 'platformUsage.profiles', profiles, 'expected usage figures per profile');
  }
  const fraction = figure(f, rawAssumptions, ['platformUsage', 'logsCompressedFraction']);
  if (fraction.value <= 0 || fraction.value > 1) {
    throw new AssumptionsError(
      f,
      'platformUsage.logsCompressedFraction.value',
      fraction.value,
      'expected a fraction in (0, 1]',
    );
  }
  return {
    logsCompressedFraction: fraction,
    unlimitedRetentionPricedDays: nonNegative(f, rawAssumptions, [
      'platformUsage',
      'unlimitedRetentionPricedDays',
    ]),
    profiles: Object.fromEntries(
      Object.keys(profiles as Json).map((p) => [
        p,
        Object.fromEntries(
          USAGE_KEYS.map((k) => [k, figure(f, rawAssumptions, ['platformUsage', 'profiles', p, k])]),
        ) as ProfileUsage,
      ]),
    ),
  };
}

/** Reads and validates the price table and the usage section of the assumptions file. */
export function loadPlatformAssumptions(root = REPO_ROOT): {
  pricing: PlatformPricing;
  usage: PlatformUsage;
} {
  const read = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
  return {
    pricing: parsePlatformPricing(read(PLATFORM_PRICING_FILE)),
    usage: parsePlatformUsage(read(ASSUMPTIONS_FILE)),
  };
}

/** What a log group holds, found through the resource that writes to it. */
export type LogRole = 'service' | 'flowLogs' | 'database' | 'functions' | 'other';

/** The priced resources of a template. */
export interface PlatformResources {
  readonly natGateways: SourceRef[];
  /** Elastic IPs (each a public IPv4 address billed by the hour) plus internet-facing load balancer subnets. */
  readonly publicIpv4: SourceRef[];
  readonly interfaceEndpoints: Array<{
    readonly source: SourceRef;
    readonly service: string;
    readonly azs: number;
  }>;
  readonly applicationLoadBalancers: SourceRef[];
  readonly auroraClusters: Array<{
    readonly source: SourceRef;
    readonly backupRetentionDays: number;
    readonly instances: Array<{ readonly source: SourceRef; readonly instanceClass: string }>;
  }>;
  readonly kinesisStreams: Array<{ readonly source: SourceRef; readonly retentionHours: number }>;
  readonly kmsKeys: Array<{ readonly source: SourceRef; readonly rotation: boolean }>;
  readonly logGroups: Array<{
    readonly source: SourceRef;
    readonly role: LogRole;
    readonly retentionDays?: number;
  }>;
}

function src(r: FoundResource): SourceRef {
  return { type: r.type, logicalId: r.logicalId, path: r.path };
}

function num(r: FoundResource, key: string, fallback: number): number {
  const raw = r.properties[key];
  if (raw === undefined) return fallback;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n)) {
    throw new PlanInputError(`${r.type} ${r.logicalId}: ${key} = ${JSON.stringify(raw)}; expected a number`);
  }
  return n;
}

/** Log group logical IDs referenced by `pick(resource)` across resources of `type`. */
function referencedLogGroups(
  template: CfnTemplate,
  type: string,
  pick: (r: FoundResource) => unknown[],
): Set<string> {
  const ids = new Set<string>();
  for (const r of resourcesOfType(template, type)) {
    for (const v of pick(r)) {
      const id = referencedLogicalId(v);
      if (id !== undefined) ids.add(id);
    }
  }
  return ids;
}

function readLogGroups(template: CfnTemplate): PlatformResources['logGroups'] {
  const service = referencedLogGroups(template, 'AWS::ECS::TaskDefinition', (td) => {
    const containers = td.properties.ContainerDefinitions;
    return Array.isArray(containers)
      ? containers.map((c) => getPath(c, ['LogConfiguration', 'Options', 'awslogs-group']))
      : [];
  });
  const flow = referencedLogGroups(template, 'AWS::EC2::FlowLog', (f) => [f.properties.LogGroupName]);
  const functions = referencedLogGroups(template, 'AWS::Lambda::Function', (fn) => [
    getPath(fn.properties, ['LoggingConfig', 'LogGroup']),
  ]);
  return resourcesOfType(template, 'AWS::Logs::LogGroup').map((g) => {
    const name = g.properties.LogGroupName;
    const role: LogRole = service.has(g.logicalId)
      ? 'service'
      : flow.has(g.logicalId)
        ? 'flowLogs'
        : typeof name === 'string' && name.startsWith('/aws/rds/')
          ? 'database'
          : functions.has(g.logicalId)
            ? 'functions'
            : 'other';
    const retention = g.properties.RetentionInDays;
    return {
      source: src(g),
      role,
      retentionDays: retention === undefined ? undefined : num(g, 'RetentionInDays', 0),
    };
  });
}

/**
 * Counts every priced resource of a synthesized template.
 *
 * @throws PlanInputError for a resource the price table cannot price (provisioned Kinesis, I/O-Optimized
 *   Aurora, an interface endpoint whose subnets are not a literal list)
 */
export function readPlatformResources(template: CfnTemplate): PlatformResources {
  const natGateways = resourcesOfType(template, 'AWS::EC2::NatGateway').filter(
    (n) => n.properties.ConnectivityType !== 'private',
  );
  const albs = resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer').filter(
    (lb) => (lb.properties.Type ?? 'application') === 'application',
  );
  const publicIpv4 = [
    ...resourcesOfType(template, 'AWS::EC2::EIP').map(src),
    ...albs
      .filter((lb) => lb.properties.Scheme === undefined || lb.properties.Scheme === 'internet-facing')
      .flatMap((lb) => {
        const subnets = lb.properties.Subnets ?? lb.properties.SubnetMappings;
        return Array.isArray(subnets) ? subnets.map(() => src(lb)) : [src(lb), src(lb)];
      }),
  ];
  const interfaceEndpoints = resourcesOfType(template, 'AWS::EC2::VPCEndpoint')
    .filter((e) => e.properties.VpcEndpointType === 'Interface')
    .map((e) => {
      const subnets = e.properties.SubnetIds;
      if (!Array.isArray(subnets) || subnets.length === 0) {
        throw new PlanInputError(
          `AWS::EC2::VPCEndpoint ${e.logicalId}: SubnetIds = ${JSON.stringify(subnets ?? null)}; expected a list (one subnet per Availability Zone is billed per AZ-hour)`,
        );
      }
      const service = e.properties.ServiceName;
      return {
        source: src(e),
        service: typeof service === 'string' ? service : JSON.stringify(service),
        azs: subnets.length,
      };
    });
  const instances = resourcesOfType(template, 'AWS::RDS::DBInstance');
  const auroraClusters = resourcesOfType(template, 'AWS::RDS::DBCluster')
    .filter((c) => typeof c.properties.Engine === 'string' && c.properties.Engine.startsWith('aurora'))
    .map((c) => {
      const storageType = c.properties.StorageType ?? 'aurora';
      if (storageType !== 'aurora') {
        throw new PlanInputError(
          `AWS::RDS::DBCluster ${c.logicalId}: StorageType ${JSON.stringify(storageType)}; the price table prices Aurora Standard ("aurora") only`,
        );
      }
      return {
        source: src(c),
        backupRetentionDays: num(c, 'BackupRetentionPeriod', 1),
        instances: instances
          .filter((i) => referencedLogicalId(i.properties.DBClusterIdentifier) === c.logicalId)
          .map((i) => {
            const cls = i.properties.DBInstanceClass;
            if (typeof cls !== 'string') {
              throw new PlanInputError(
                `AWS::RDS::DBInstance ${i.logicalId}: DBInstanceClass = ${JSON.stringify(cls ?? null)}; expected a string`,
              );
            }
            return { source: src(i), instanceClass: cls };
          }),
      };
    });
  const kinesisStreams = resourcesOfType(template, 'AWS::Kinesis::Stream').map((s) => {
    const mode = getPath(s.properties, ['StreamModeDetails', 'StreamMode']) ?? 'PROVISIONED';
    if (mode !== 'ON_DEMAND') {
      throw new PlanInputError(
        `AWS::Kinesis::Stream ${s.logicalId}: StreamMode ${JSON.stringify(mode)}; the price table prices ON_DEMAND streams only`,
      );
    }
    const retentionHours = num(s, 'RetentionPeriodHours', 24);
    if (retentionHours > 168) {
      throw new PlanInputError(
        `AWS::Kinesis::Stream ${s.logicalId}: RetentionPeriodHours ${retentionHours}; long-term retention (beyond 168 h) is not in the price table`,
      );
    }
    return { source: src(s), retentionHours };
  });
  const kmsKeys = resourcesOfType(template, 'AWS::KMS::Key').map((k) => ({
    source: src(k),
    rotation: k.properties.EnableKeyRotation === true || k.properties.EnableKeyRotation === 'true',
  }));
  return {
    natGateways: natGateways.map(src),
    publicIpv4,
    interfaceEndpoints,
    applicationLoadBalancers: albs.map(src),
    auroraClusters,
    kinesisStreams,
    kmsKeys,
    logGroups: readLogGroups(template),
  };
}

/** One line of the bill. */
export interface PlatformCostLine {
  readonly id: string;
  readonly item: string;
  /** How the quantity was found: the template's resources, or the usage assumption. */
  readonly quantity: string;
  readonly unitPrice: string;
  readonly perMonth: number;
  /** Logical IDs the quantity counts (empty for a usage-only line). */
  readonly resources: string[];
}

/** The whole-platform bill of one profile. */
export interface PlatformCostPlan {
  readonly currency: string;
  readonly hoursPerMonth: number;
  readonly lines: PlatformCostLine[];
  /** Every line but Fargate. */
  readonly platformPerMonth: number;
  readonly fargatePerMonth: number;
  readonly totalPerMonth: number;
  /** Percent of the total that is Fargate compute. */
  readonly fargateSharePercent: number;
}

/** What the bill leaves out, and why (rendered with every profile's bill). */
export const EXCLUDED_FROM_PLATFORM_COST: readonly string[] = [
  'Data transfer: cross-AZ traffic between tasks, the load balancer and Aurora ($0.01/GB each way), and anything leaving the Region.',
  "CloudWatch metrics, alarms and the dashboard (the service's EMF custom metrics, the 10-second alarm is high resolution), and Logs Insights queries.",
  'Secrets Manager (the RDS-managed master user secret), S3 (the load balancer access-log bucket), Lambda invocations, SNS, ECR image storage, CodeDeploy (free for ECS).',
  'KMS requests (Kinesis, CloudWatch Logs and Aurora cache data keys; 20,000 requests a month are free) and key-rotation surcharges after the first year.',
  'Log groups the template does not declare (the implicit log group of the CDK-provided VpcRestrictDefaultSG handler).',
  'Free tier, Savings Plans, Reserved Instances, Enterprise discounts, support plan and taxes.',
  'Tasks scaled above the scheduled minimum by target tracking, step scaling or predictive scaling (the Fargate line is the floor of the bill).',
];

function line(
  id: string,
  item: string,
  quantity: string,
  unitPrice: string,
  perMonth: number,
  resources: SourceRef[] = [],
): PlatformCostLine {
  return {
    id,
    item,
    quantity,
    unitPrice,
    perMonth: round(perMonth, 2),
    resources: resources.map((r) => r.logicalId),
  };
}

const LOG_USAGE: Record<LogRole, UsageKey> = {
  service: 'serviceLogsGbPerDay',
  flowLogs: 'flowLogsGbPerDay',
  database: 'databaseLogsGbPerDay',
  functions: 'functionLogsGbPerDay',
  other: 'otherLogsGbPerDay',
};

/**
 * Prices the resources of one template for a month of `hoursPerMonth` hours.
 *
 * @param fargatePerMonth the running configuration's Fargate cost (tools/plan/cost.ts), shown as a line
 * @throws AssumptionsError when an Aurora instance class of the template has no price in the table
 */
export function platformCost(
  resources: PlatformResources,
  pricing: PlatformPricing,
  usage: PlatformUsage,
  profile: ProfileUsage,
  hoursPerMonth: number,
  fargatePerMonth: number,
): PlatformCostPlan {
  const p = (k: PriceKey) => pricing.prices[k].price;
  const u = (k: UsageKey) => profile[k].value;
  const h = hoursPerMonth;
  const days = h / 24;
  const fmt = (n: number) => String(round(n, 4));
  const lines: PlatformCostLine[] = [];
  /** `sources.length` resources billed by the hour, the whole month. */
  const hourly = (id: string, item: string, sources: SourceRef[], price: number) =>
    line(id, item, `${sources.length} x ${h} h`, `${price}/h`, sources.length * h * price, sources);

  const nat = resources.natGateways;
  if (nat.length > 0) {
    lines.push(hourly('nat-hours', 'NAT gateways', nat, p('natGatewayHour')));
    lines.push(
      line(
        'nat-data',
        'NAT gateway data processed',
        `${fmt(u('natGbPerDay') * days)} GB (${u('natGbPerDay')} GB/day)`,
        `${p('natGatewayGb')}/GB`,
        u('natGbPerDay') * days * p('natGatewayGb'),
      ),
    );
  }
  if (resources.publicIpv4.length > 0) {
    lines.push(hourly('public-ipv4', 'Public IPv4 addresses', resources.publicIpv4, p('publicIpv4Hour')));
  }
  const endpoints = resources.interfaceEndpoints;
  if (endpoints.length > 0) {
    const azHours = endpoints.reduce((s, e) => s + e.azs, 0);
    lines.push(
      line(
        'endpoint-hours',
        'Interface VPC endpoints',
        `${endpoints.length} endpoints, ${azHours} endpoint-AZs x ${h} h`,
        `${p('interfaceEndpointAzHour')}/AZ-h`,
        azHours * h * p('interfaceEndpointAzHour'),
        endpoints.map((e) => e.source),
      ),
    );
    const gbPerDay = u('serviceLogsGbPerDay') + u('kinesisIngestGbPerDay') + u('otherEndpointGbPerDay');
    lines.push(
      line(
        'endpoint-data',
        'Interface endpoint data processed (service logs + Kinesis writes + other)',
        `${fmt(gbPerDay * days)} GB (${fmt(gbPerDay)} GB/day)`,
        `${p('interfaceEndpointGb')}/GB`,
        gbPerDay * days * p('interfaceEndpointGb'),
      ),
    );
  }
  const albs = resources.applicationLoadBalancers;
  if (albs.length > 0) {
    lines.push(hourly('alb-hours', 'Application Load Balancer', albs, p('albHour')));
    lines.push(
      line(
        'alb-lcu',
        'Load balancer capacity units',
        `${albs.length} x ${u('albAverageLcu')} LCU x ${h} h`,
        `${p('albLcuHour')}/LCU-h`,
        albs.length * u('albAverageLcu') * h * p('albLcuHour'),
      ),
    );
  }
  for (const cluster of resources.auroraClusters) {
    const byClass = new Map<string, SourceRef[]>();
    for (const i of cluster.instances)
      byClass.set(i.instanceClass, [...(byClass.get(i.instanceClass) ?? []), i.source]);
    for (const [cls, refs] of [...byClass].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const price = pricing.auroraInstanceHour[cls];
      if (!price) {
        throw new AssumptionsError(
          PLATFORM_PRICING_FILE,
          `auroraInstanceHour.${cls}`,
          undefined,
          `no price for the DB instance class of ${refs.map((r) => r.logicalId).join(', ')}; add it from https://aws.amazon.com/rds/aurora/pricing/`,
        );
      }
      lines.push(hourly(`aurora-${cls}`, `Aurora PostgreSQL ${cls}`, refs, price.price));
    }
    const storage = u('auroraStorageGb');
    lines.push(
      line(
        'aurora-storage',
        'Aurora storage (Standard)',
        `${storage} GB-month`,
        `${p('auroraStorageGbMonth')}/GB-month`,
        storage * p('auroraStorageGbMonth'),
        [cluster.source],
      ),
    );
    lines.push(
      line(
        'aurora-io',
        'Aurora I/O requests',
        `${u('auroraIoMillionsPerMonth')} million`,
        `${p('auroraIoMillion')}/million`,
        u('auroraIoMillionsPerMonth') * p('auroraIoMillion'),
        [cluster.source],
      ),
    );
    const backup = Math.max(0, u('auroraBackupChangeGbPerDay') * cluster.backupRetentionDays - storage);
    lines.push(
      line(
        'aurora-backup',
        'Aurora backup beyond the free 100% of the volume',
        `max(0, ${u('auroraBackupChangeGbPerDay')} GB/day x ${cluster.backupRetentionDays} days retention - ${storage} GB) = ${fmt(backup)} GB-month`,
        `${p('auroraBackupGbMonth')}/GB-month`,
        backup * p('auroraBackupGbMonth'),
        [cluster.source],
      ),
    );
  }
  const streams = resources.kinesisStreams;
  if (streams.length > 0) {
    const ingest = u('kinesisIngestGbPerDay');
    lines.push(
      hourly(
        'kinesis-hours',
        'Kinesis on-demand streams',
        streams.map((s) => s.source),
        p('kinesisOnDemandStreamHour'),
      ),
    );
    lines.push(
      line(
        'kinesis-in',
        'Kinesis data written',
        `${fmt(ingest * days)} GB (${ingest} GB/day)`,
        `${p('kinesisOnDemandIngestGb')}/GB`,
        ingest * days * p('kinesisOnDemandIngestGb'),
      ),
    );
    lines.push(
      line(
        'kinesis-out',
        'Kinesis data read',
        `${fmt(ingest * u('kinesisConsumers') * days)} GB (${u('kinesisConsumers')} consumer${u('kinesisConsumers') === 1 ? '' : 's'} reading every record)`,
        `${p('kinesisOnDemandRetrievalGb')}/GB`,
        ingest * u('kinesisConsumers') * days * p('kinesisOnDemandRetrievalGb'),
      ),
    );
    // Steady state: a stream keeping R hours holds (R - 24) / 24 days of writes beyond the free first day.
    const extended = streams.reduce(
      (s, st) => s + (ingest / streams.length) * (Math.max(0, st.retentionHours - 24) / 24),
      0,
    );
    if (extended > 0) {
      lines.push(
        line(
          'kinesis-retention',
          'Kinesis extended retention (beyond 24 h)',
          `${fmt(extended)} GB-month (retention ${streams.map((s) => `${s.retentionHours} h`).join(', ')})`,
          `${p('kinesisExtendedRetentionGbMonth')}/GB-month`,
          extended * p('kinesisExtendedRetentionGbMonth'),
          streams.map((s) => s.source),
        ),
      );
    }
  }
  if (resources.kmsKeys.length > 0) {
    const n = resources.kmsKeys.length;
    lines.push(
      line(
        'kms-keys',
        'KMS customer managed keys',
        `${n} keys`,
        `${p('kmsKeyMonth')}/key-month`,
        n * p('kmsKeyMonth'),
        resources.kmsKeys.map((k) => k.source),
      ),
    );
  }
  const groups = resources.logGroups;
  if (groups.length > 0) {
    const perGroup = (role: LogRole) => u(LOG_USAGE[role]) / groups.filter((g) => g.role === role).length;
    let ingestCost = 0;
    let ingestGb = 0;
    let storedGb = 0;
    for (const g of groups) {
      const gbPerDay = perGroup(g.role);
      ingestGb += gbPerDay * days;
      ingestCost += gbPerDay * days * (g.role === 'flowLogs' ? p('vendedLogsIngestGb') : p('logsIngestGb'));
      storedGb +=
        gbPerDay *
        (g.retentionDays ?? usage.unlimitedRetentionPricedDays) *
        usage.logsCompressedFraction.value;
    }
    lines.push(
      line(
        'logs-ingest',
        'CloudWatch Logs ingestion (flow logs at the vended rate)',
        `${fmt(ingestGb)} GB into ${groups.length} log groups`,
        `${p('logsIngestGb')}/GB`,
        ingestCost,
        groups.map((g) => g.source),
      ),
    );
    const retentions = [
      ...new Set(
        groups.map((g) => (g.retentionDays === undefined ? 'never expires' : `${g.retentionDays} d`)),
      ),
    ].join(', ');
    lines.push(
      line(
        'logs-storage',
        'CloudWatch Logs storage at steady state (GB/day x retention x compressed fraction)',
        `${fmt(storedGb)} GB-month (retention ${retentions}; x ${usage.logsCompressedFraction.value})`,
        `${p('logsStorageGbMonth')}/GB-month`,
        storedGb * p('logsStorageGbMonth'),
        groups.map((g) => g.source),
      ),
    );
  }
  const platformPerMonth = lines.reduce((s, l) => s + l.perMonth, 0);
  const totalPerMonth = platformPerMonth + fargatePerMonth;
  return {
    currency: pricing.currency,
    hoursPerMonth,
    lines,
    platformPerMonth: round(platformPerMonth, 2),
    fargatePerMonth: round(fargatePerMonth, 2),
    totalPerMonth: round(totalPerMonth, 2),
    fargateSharePercent: totalPerMonth > 0 ? round((fargatePerMonth / totalPerMonth) * 100, 1) : 0,
  };
}
