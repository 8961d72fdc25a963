import * as fs from 'fs';
import * as path from 'path';
import { PROFILES } from '../../../lib/config/profiles';
import { ASSUMPTIONS_FILE, loadAssumptions } from '../../../tools/plan/assumptions';
import type { CfnTemplate } from '../../../tools/plan/cfn';
import { COST_ALLOCATION_TAGS, renderMarkdown } from '../../../tools/plan/markdown';
import { buildReport, computeProfilePlan } from '../../../tools/plan/plan';
import {
  PLATFORM_PRICING_FILE,
  PRICE_KEYS,
  type PlatformCostPlan,
  type PlatformPricing,
  type PlatformUsage,
  type ProfileUsage,
  USAGE_KEYS,
  loadPlatformAssumptions,
  parsePlatformPricing,
  parsePlatformUsage,
  platformCost,
  readPlatformResources,
} from '../../../tools/plan/platform-cost';
import { synthesizeStack } from '../../../tools/plan/synth';
import { REPO_ROOT } from '../../helpers/synth';
import { fixtureTemplate } from './fixture-template';

type Loose = Record<string, any>;
const read = (file: string): Loose => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'));

/** Prices chosen so every line is easy to compute by hand. */
function handPricing(): PlatformPricing {
  const l = (price: number) => ({
    price,
    unit: 'u',
    sourceUrl: 'https://example.com/',
    confidence: 'cross-checked' as const,
    crossChecks: ['x'],
  });
  const rates: Record<(typeof PRICE_KEYS)[number], number> = {
    natGatewayHour: 0.05,
    natGatewayGb: 0.04,
    publicIpv4Hour: 0.005,
    interfaceEndpointAzHour: 0.01,
    interfaceEndpointGb: 0.01,
    albHour: 0.02,
    albLcuHour: 0.008,
    auroraStorageGbMonth: 0.1,
    auroraIoMillion: 0.2,
    auroraBackupGbMonth: 0.02,
    kinesisOnDemandStreamHour: 0.04,
    kinesisOnDemandIngestGb: 0.08,
    kinesisOnDemandRetrievalGb: 0.04,
    kinesisExtendedRetentionGbMonth: 0.1,
    kmsKeyMonth: 1,
    logsIngestGb: 0.5,
    vendedLogsIngestGb: 0.25,
    logsStorageGbMonth: 0.03,
  };
  const prices = Object.fromEntries(
    PRICE_KEYS.map((k) => [k, l(rates[k])]),
  ) as unknown as PlatformPricing['prices'];
  return {
    retrievedOn: '2026-12-01',
    retrievalNote: 'n',
    region: 'us-east-2',
    currency: 'USD',
    prices,
    auroraInstanceHour: { 'db.small': l(0.1), 'db.big': l(0.5) },
  };
}

function handUsage(): { usage: PlatformUsage; profile: ProfileUsage } {
  const values: Record<(typeof USAGE_KEYS)[number], number> = {
    natGbPerDay: 2,
    otherEndpointGbPerDay: 1,
    albAverageLcu: 2,
    kinesisIngestGbPerDay: 3,
    kinesisConsumers: 2,
    auroraStorageGb: 100,
    auroraIoMillionsPerMonth: 50,
    auroraBackupChangeGbPerDay: 10,
    serviceLogsGbPerDay: 4,
    flowLogsGbPerDay: 2,
    databaseLogsGbPerDay: 1,
    functionLogsGbPerDay: 0.5,
    otherLogsGbPerDay: 0,
  };
  const profile = Object.fromEntries(
    USAGE_KEYS.map((k) => [k, { value: values[k], basis: 'b' }]),
  ) as unknown as ProfileUsage;
  return {
    usage: {
      logsCompressedFraction: { value: 0.2, basis: 'b' },
      unlimitedRetentionPricedDays: 365,
      profiles: { hand: profile },
    },
    profile,
  };
}

/**
 * A platform in miniature: one NAT gateway with its EIP, two interface endpoints (3 and 2 subnets) and a gateway
 * endpoint, an internal ALB, an Aurora cluster (retention 14 days) with a big writer and a small reader, an
 * on-demand stream keeping 72 h, two KMS keys, and log groups written by a task definition (30 days), a flow log
 * (10 days), RDS (no retention) and a Lambda function (30 days).
 */
function platformTemplate(): CfnTemplate & { Resources: Loose } {
  return {
    Resources: {
      Nat1: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: { Ref: 'S1' } } },
      Eip1: { Type: 'AWS::EC2::EIP', Properties: {} },
      EpA: {
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: {
          VpcEndpointType: 'Interface',
          ServiceName: 'logs',
          SubnetIds: [{ Ref: 'A' }, { Ref: 'B' }, { Ref: 'C' }],
        },
      },
      EpB: {
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: {
          VpcEndpointType: 'Interface',
          ServiceName: 'kinesis',
          SubnetIds: [{ Ref: 'A' }, { Ref: 'B' }],
        },
      },
      EpS3: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Gateway', ServiceName: 's3' } },
      Lb: {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        Properties: { Type: 'application', Scheme: 'internal', Subnets: [{ Ref: 'A' }] },
      },
      Db: {
        Type: 'AWS::RDS::DBCluster',
        Properties: { Engine: 'aurora-postgresql', BackupRetentionPeriod: 14 },
      },
      DbW: {
        Type: 'AWS::RDS::DBInstance',
        Properties: { DBInstanceClass: 'db.big', DBClusterIdentifier: { Ref: 'Db' } },
      },
      DbR: {
        Type: 'AWS::RDS::DBInstance',
        Properties: { DBInstanceClass: 'db.small', DBClusterIdentifier: { Ref: 'Db' } },
      },
      Trades: {
        Type: 'AWS::Kinesis::Stream',
        Properties: { StreamModeDetails: { StreamMode: 'ON_DEMAND' }, RetentionPeriodHours: 72 },
      },
      K1: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
      K2: { Type: 'AWS::KMS::Key', Properties: {} },
      SvcLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } },
      FlowLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 10 } },
      RdsLogs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/rds/cluster/x/postgresql' } },
      FnLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } },
      Td: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          ContainerDefinitions: [{ LogConfiguration: { Options: { 'awslogs-group': { Ref: 'SvcLogs' } } } }],
        },
      },
      Flow: { Type: 'AWS::EC2::FlowLog', Properties: { LogGroupName: { Ref: 'FlowLogs' } } },
      Fn: { Type: 'AWS::Lambda::Function', Properties: { LoggingConfig: { LogGroup: { Ref: 'FnLogs' } } } },
    },
  };
}

const H = 720; // 30 days of 24 h: every per-day figure x 30
const bill = (t: CfnTemplate, fargate = 100): PlatformCostPlan => {
  const { usage, profile } = handUsage();
  return platformCost(readPlatformResources(t), handPricing(), usage, profile, H, fargate);
};
const lineOf = (b: PlatformCostPlan, id: string) => {
  const l = b.lines.find((x) => x.id === id);
  if (!l) throw new Error(`no line ${id} among ${b.lines.map((x) => x.id).join(', ')}`);
  return l.perMonth;
};

describe('whole-platform bill, computed by hand', () => {
  const b = bill(platformTemplate());

  test('hourly resources: NAT, public IPv4, endpoint-AZs, ALB, Aurora by class, stream, keys', () => {
    expect(lineOf(b, 'nat-hours')).toBeCloseTo(1 * 720 * 0.05, 2); // 36
    expect(lineOf(b, 'public-ipv4')).toBeCloseTo(720 * 0.005, 2); // 3.6
    expect(lineOf(b, 'endpoint-hours')).toBeCloseTo((3 + 2) * 720 * 0.01, 2); // 36: billed per AZ
    expect(lineOf(b, 'alb-hours')).toBeCloseTo(720 * 0.02, 2); // 14.4
    expect(lineOf(b, 'aurora-db.big')).toBeCloseTo(720 * 0.5, 2); // 360
    expect(lineOf(b, 'aurora-db.small')).toBeCloseTo(720 * 0.1, 2); // 72
    expect(lineOf(b, 'kinesis-hours')).toBeCloseTo(720 * 0.04, 2); // 28.8
    expect(lineOf(b, 'kms-keys')).toBe(2);
  });

  test('usage lines: NAT and endpoint data, LCUs, Aurora storage, I/O and backup, Kinesis in, out and retention', () => {
    expect(lineOf(b, 'nat-data')).toBeCloseTo(2 * 30 * 0.04, 2); // 2.4
    // service logs 4 + Kinesis writes 3 + other 1 = 8 GB/day through the endpoints
    expect(lineOf(b, 'endpoint-data')).toBeCloseTo(8 * 30 * 0.01, 2); // 2.4
    expect(lineOf(b, 'alb-lcu')).toBeCloseTo(2 * 720 * 0.008, 2); // 11.52
    expect(lineOf(b, 'aurora-storage')).toBeCloseTo(10, 2);
    expect(lineOf(b, 'aurora-io')).toBeCloseTo(10, 2);
    // 10 GB/day x 14 days = 140 GB of backup, 100 GB (the volume) free: 40 GB-month
    expect(lineOf(b, 'aurora-backup')).toBeCloseTo(40 * 0.02, 2);
    expect(lineOf(b, 'kinesis-in')).toBeCloseTo(3 * 30 * 0.08, 2); // 7.2
    expect(lineOf(b, 'kinesis-out')).toBeCloseTo(3 * 2 * 30 * 0.04, 2); // 7.2
    // 72 h keeps 2 days beyond the first: 3 GB/day x 2 = 6 GB-month
    expect(lineOf(b, 'kinesis-retention')).toBeCloseTo(6 * 0.1, 2);
  });

  test('logs: flow logs at the vended rate, storage = GB/day x retention x compressed fraction', () => {
    // service 4 + RDS 1 + function 0.5 at 0.5/GB, flow 2 at 0.25/GB, over 30 days
    expect(lineOf(b, 'logs-ingest')).toBeCloseTo((5.5 * 0.5 + 2 * 0.25) * 30, 2); // 97.5
    // 4 x 30 + 2 x 10 + 1 x 365 (no retention: priced at one year) + 0.5 x 30, x 0.2 compressed
    expect(lineOf(b, 'logs-storage')).toBeCloseTo((120 + 20 + 365 + 15) * 0.2 * 0.03, 2); // 3.12
  });

  test('the total adds every line and the Fargate cost, and states the Fargate share', () => {
    const sum = b.lines.reduce((s, l) => s + l.perMonth, 0);
    expect(b.platformPerMonth).toBeCloseTo(sum, 2);
    expect(b.totalPerMonth).toBeCloseTo(sum + 100, 2);
    expect(b.fargateSharePercent).toBeCloseTo((100 / (sum + 100)) * 100, 1);
  });
});

describe('every priced quantity is read from the template', () => {
  const base = bill(platformTemplate());

  test.each([
    ['nat-hours', (t: Loose) => (t.Nat2 = { ...t.Nat1 })],
    ['public-ipv4', (t: Loose) => (t.Eip2 = { ...t.Eip1 })],
    ['alb-hours', (t: Loose) => (t.Lb2 = { ...t.Lb })],
    ['alb-lcu', (t: Loose) => (t.Lb2 = { ...t.Lb })],
    ['aurora-db.big', (t: Loose) => (t.DbW2 = { ...t.DbW })],
    ['kinesis-hours', (t: Loose) => (t.Trades2 = { ...t.Trades })],
    ['kms-keys', (t: Loose) => Object.assign(t, { K3: { ...t.K1 }, K4: { ...t.K2 } })],
  ])('a second copy of the resource doubles %s', (id, add) => {
    const t = platformTemplate();
    add(t.Resources);
    expect(lineOf(bill(t), id)).toBeCloseTo(2 * lineOf(base, id), 2);
  });

  test('endpoint-hours follow the number of subnets (Availability Zones) of each endpoint', () => {
    const t = platformTemplate();
    t.Resources.EpB.Properties.SubnetIds = [
      { Ref: 'A' },
      { Ref: 'B' },
      { Ref: 'C' },
      { Ref: 'D' },
      { Ref: 'E' },
    ];
    expect(lineOf(bill(t), 'endpoint-hours')).toBeCloseTo((3 + 5) * 720 * 0.01, 2);
  });

  test('Aurora backup and Kinesis retention follow the retention the template declares', () => {
    const t = platformTemplate();
    t.Resources.Db.Properties.BackupRetentionPeriod = 35; // 350 - 100 = 250 GB-month
    t.Resources.Trades.Properties.RetentionPeriodHours = 168; // 6 extra days x 3 GB
    const b = bill(t);
    expect(lineOf(b, 'aurora-backup')).toBeCloseTo(250 * 0.02, 2);
    expect(lineOf(b, 'kinesis-retention')).toBeCloseTo(18 * 0.1, 2);
  });

  test('log storage follows each log group retention', () => {
    const t = platformTemplate();
    t.Resources.SvcLogs.Properties.RetentionInDays = 60; // service 4 GB/day: +120 GB stored
    expect(lineOf(bill(t), 'logs-storage')).toBeCloseTo(lineOf(base, 'logs-storage') + 120 * 0.2 * 0.03, 2);
  });

  test('a template without NAT gateways, endpoints or a load balancer has no such lines', () => {
    const t = platformTemplate();
    for (const id of ['Nat1', 'Eip1', 'EpA', 'EpB', 'Lb']) delete t.Resources[id];
    const ids = bill(t).lines.map((l) => l.id);
    for (const id of [
      'nat-hours',
      'nat-data',
      'public-ipv4',
      'endpoint-hours',
      'endpoint-data',
      'alb-hours',
      'alb-lcu',
    ]) {
      expect(ids).not.toContain(id);
    }
  });

  test('what the table cannot price is refused, naming the resource or the price key', () => {
    const provisioned = platformTemplate();
    provisioned.Resources.Trades.Properties.StreamModeDetails.StreamMode = 'PROVISIONED';
    expect(() => bill(provisioned)).toThrow('AWS::Kinesis::Stream Trades: StreamMode "PROVISIONED"');
    const ioOptimized = platformTemplate();
    ioOptimized.Resources.Db.Properties.StorageType = 'aurora-iopt1';
    expect(() => bill(ioOptimized)).toThrow('AWS::RDS::DBCluster Db: StorageType "aurora-iopt1"');
    const tokenSubnets = platformTemplate();
    tokenSubnets.Resources.EpA.Properties.SubnetIds = { 'Fn::Split': [',', 'x'] };
    expect(() => bill(tokenSubnets)).toThrow('AWS::EC2::VPCEndpoint EpA: SubnetIds');
    const unknownClass = platformTemplate();
    unknownClass.Resources.DbR.Properties.DBInstanceClass = 'db.r9z.huge';
    expect(() => bill(unknownClass)).toThrow(
      `${PLATFORM_PRICING_FILE}: auroraInstanceHour.db.r9z.huge = null: no price for the DB instance class of DbR`,
    );
  });
});

describe('the dated price table and usage assumptions', () => {
  test('every price line is dated, sourced on an AWS pricing page, and says how it was checked', () => {
    const { pricing } = loadPlatformAssumptions();
    expect(pricing.retrievedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(pricing.region).toBe('us-east-2');
    expect(pricing.retrievalNote).toMatch(/no internet access/);
    for (const l of [...Object.values(pricing.prices), ...Object.values(pricing.auroraInstanceHour)]) {
      expect(l.sourceUrl).toMatch(/^https:\/\/aws\.amazon\.com\//);
      expect(l.crossChecks.length).toBeGreaterThan(0);
    }
  });

  test('a missing price is refused, naming the file and key', () => {
    const raw = read(PLATFORM_PRICING_FILE);
    delete raw.prices.albHour.price;
    expect(() => parsePlatformPricing(raw)).toThrow(
      `${PLATFORM_PRICING_FILE}: prices.albHour.price = null: expected a non-negative number`,
    );
    const noLine = read(PLATFORM_PRICING_FILE);
    delete noLine.prices.kmsKeyMonth;
    expect(() => parsePlatformPricing(noLine)).toThrow(`${PLATFORM_PRICING_FILE}: prices.kmsKeyMonth = null`);
  });

  test('a negative price is refused, naming the file, key and value', () => {
    const raw = read(PLATFORM_PRICING_FILE);
    raw.auroraInstanceHour['db.r7g.xlarge'].price = -0.5;
    expect(() => parsePlatformPricing(raw)).toThrow(
      `${PLATFORM_PRICING_FILE}: auroraInstanceHour.db.r7g.xlarge.price = -0.5: expected a non-negative number`,
    );
  });

  test('every profile the app can synthesize has usage figures, each with a reason', () => {
    const { usage } = loadPlatformAssumptions();
    for (const profile of Object.keys(PROFILES)) {
      expect(Object.keys(usage.profiles)).toContain(profile);
      for (const k of USAGE_KEYS) expect(usage.profiles[profile][k].basis.length).toBeGreaterThan(20);
    }
  });

  test('a negative usage figure is refused, naming the key', () => {
    const raw = read(ASSUMPTIONS_FILE);
    raw.platformUsage.profiles.prod.albAverageLcu.value = -1;
    expect(() => parsePlatformUsage(raw)).toThrow(
      `${ASSUMPTIONS_FILE}: platformUsage.profiles.prod.albAverageLcu.value = -1: expected a non-negative number`,
    );
  });
});

describe('the plan of the synthesized prod stack', () => {
  const assumptions = loadAssumptions();
  const prod = synthesizeStack('prod');
  const plan = computeProfilePlan(prod.template, assumptions, 'prod', prod.stackName);
  const b = plan.platformCost!;
  const resources = (id: string) => b.lines.find((l) => l.id === id)!.resources.length;

  test('counts three NAT gateways, six interface endpoints and two Aurora instances from the template', () => {
    expect(resources('nat-hours')).toBe(3);
    expect(resources('endpoint-hours')).toBe(6);
    expect(b.lines.find((l) => l.id === 'endpoint-hours')!.quantity).toMatch(/18 endpoint-AZs/);
    expect(resources('aurora-db.r7g.xlarge')).toBe(2);
    expect(resources('kms-keys')).toBe(3);
  });

  test('the Fargate line is the running configuration, and the equal-work check is reported', () => {
    const running = plan.cost.configurations.find((c) => c.label.endsWith('(running)'))!;
    expect(b.fargatePerMonth).toBe(running.perMonth);
    expect(plan.checks.find((c) => c.id === 'PLAN-COST-2')!.status).toBe('pass');
  });

  test('plan.md carries the bill, what it excludes, both pricing caveats and the cost allocation tags', () => {
    const md = renderMarkdown(buildReport([plan], assumptions, 'prod'), assumptions);
    expect(md).toContain('### Whole-platform cost');
    expect(md).toContain('**Not in this bill:**');
    expect(md).toContain('Fargate at equal work');
    expect(md).toMatch(/\*\*Prices are not live\.\*\* Fargate .*no internet access/);
    expect(md).toMatch(/Platform \(`data\/platform-pricing-us-east-2\.json`.*no internet access/);
    expect(COST_ALLOCATION_TAGS).toEqual(['CostCenter', 'Project', 'Service', 'Environment']);
    expect(md).toContain(
      'activate `CostCenter`, `Project`, `Service`, `Environment` as cost allocation tags',
    );
    expect(md).not.toMatch(/REQUEST\.md/);
  });

  test('a profile without usage figures is not priced, and says so', () => {
    const p = computeProfilePlan(fixtureTemplate(), assumptions, 'fixture', 'F');
    expect(p.platformCost).toBeUndefined();
    const md = renderMarkdown(buildReport([p], assumptions, 'fixture'), assumptions);
    expect(md).toContain('Not priced: `data/plan-assumptions.json` has no `platformUsage.profiles.fixture`.');
  });
});
