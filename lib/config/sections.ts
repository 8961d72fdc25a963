/**
 * One reader per configuration section. Each reads its keys through the shared Reader (which collects every
 * problem, one line each naming the key, the value and what is allowed) and returns its section, or undefined when
 * a value is invalid. resolveConfig (resolve-config.ts) composes them.
 */
import { minutes, formatTime, shiftMinutes } from './clock-time';
import {
  CREATED_SUBNET_MASKS,
  MARKET_CLOSE,
  MARKET_OPEN,
  MUTABLE_IMAGE_TAGS,
  PLATFORM_AZ_COUNT,
  REGION,
  RIGHT_SIZED_TASK_CPU,
  ROLLBACK_BUDGET_MINUTES,
  SCALE_UP_LEAD_MINUTES,
  TEST_LISTENER_PORT,
} from './constants';
import { describeFargateMemory, FARGATE_CPU_UNITS, fargateMemoryOptions } from './fargate';
import { LOG_RETENTION_DAYS, PATTERNS, type Reader } from './reader';
import type { Architecture, OrdersDatabaseConfig, ProfileName, TapConfig, TradesStreamConfig } from './types';

/** Whether CDK can lay out `masks` (in order, one of each per AZ, each aligned to its size) inside `cidr`. */
export function subnetsFit(cidr: string, masks: readonly number[], azCount: number): boolean {
  const [ip, prefix] = cidr.split('/');
  const base = ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(prefix));
  const start = base - (base % size);
  let next = start;
  for (const mask of masks) {
    const block = 2 ** (32 - mask);
    for (let i = 0; i < azCount; i++) {
      next = Math.ceil(next / block) * block + block;
      if (next > start + size) return false;
    }
  }
  return true;
}

/** The account ID field of an ARN (its fifth colon-separated field). */
function arnAccount(arn: string): string {
  return arn.split(':')[4];
}

export function readIdentity(r: Reader, profile: ProfileName) {
  r.oneOf('region', [REGION]);
  const account = r.str('account', PATTERNS.account, false);
  if (profile === 'prod' && !r.has('account'))
    r.fail('account', undefined, 'required in prod; expected 12 digits');
  const costCenter = r.str('costCenter', PATTERNS.costCenter);
  return { account, costCenter };
}

export function readNetwork(r: Reader) {
  const vpcCidr = r.str('vpcCidr', PATTERNS.cidr);
  const clientCidr = r.str('clientCidr', PATTERNS.cidr);
  if (clientCidr !== undefined && clientCidr.endsWith('/0')) {
    r.fail(
      'clientCidr',
      clientCidr,
      "must not be the whole internet: the load balancer is internal; expected the clients' network, e.g. 10.40.0.0/16",
    );
  }
  let network: TapConfig['network'] | undefined;
  if (r.has('vpcId')) {
    const vpcId = r.str('vpcId', PATTERNS.vpcId);
    const availabilityZones = r.list('availabilityZones', PATTERNS.az, PLATFORM_AZ_COUNT);
    const privateSubnetIds = r.list('privateSubnetIds', PATTERNS.subnetId, PLATFORM_AZ_COUNT);
    const isolatedSubnetIds = r.list('isolatedSubnetIds', PATTERNS.subnetId, PLATFORM_AZ_COUNT);
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
    const prefix = vpcCidr === undefined ? undefined : Number(vpcCidr.split('/')[1]);
    let cidrOk = vpcCidr !== undefined;
    if (vpcCidr !== undefined && prefix !== undefined && (prefix < 16 || prefix > 28)) {
      r.fail('vpcCidr', vpcCidr, 'a VPC CIDR must be /16 to /28 (AWS limit); expected e.g. 10.40.0.0/16');
      cidrOk = false;
    } else if (vpcCidr !== undefined && !subnetsFit(vpcCidr, CREATED_SUBNET_MASKS, PLATFORM_AZ_COUNT)) {
      r.fail(
        'vpcCidr',
        vpcCidr,
        `too small for the created subnets (${PLATFORM_AZ_COUNT} AZs x /${CREATED_SUBNET_MASKS.join(', /')}); expected /17 or larger, e.g. 10.40.0.0/16`,
      );
      cidrOk = false;
    }
    if (vpcCidr && cidrOk && natGateways !== undefined)
      network = { mode: 'create', cidr: vpcCidr, natGateways };
  }
  return { network, clientCidr };
}

export function readTls(r: Reader, profile: ProfileName, account: string | undefined) {
  const certificateArn = r.str('certificateArn', PATTERNS.certificateArn, false);
  if (profile === 'prod' && !r.has('certificateArn')) {
    r.fail(
      'certificateArn',
      undefined,
      `required in prod (HTTPS production listener); expected ${PATTERNS.certificateArn.allowed}`,
    );
  }
  if (certificateArn !== undefined && account !== undefined && arnAccount(certificateArn) !== account) {
    r.fail(
      'certificateArn',
      certificateArn,
      `is in account ${arnAccount(certificateArn)}, not in account ${account}: a listener uses a certificate of its own account`,
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
  return { loadBalancing: { certificateArn, serviceHostname }, alerting: { email } };
}

export function readService(r: Reader): TapConfig['service'] | undefined {
  const imageRepository = r.str('imageRepository', PATTERNS.repository);
  const imageTag = r.str('imageTag', PATTERNS.imageTag);
  if (imageTag !== undefined && MUTABLE_IMAGE_TAGS.includes(imageTag.toLowerCase())) {
    r.fail(
      'imageTag',
      imageTag,
      'a moving tag (it names a different image after every push); expected an immutable version tag such as 2026.11.3 or a digest sha256:<64 hex>',
    );
  }
  const architecture = r.oneOf<Architecture>('architecture', ['ARM64', 'X86_64']);
  const cpu = r.oneOf('cpu', FARGATE_CPU_UNITS);
  const cpuRightSized = cpu === undefined || cpu <= RIGHT_SIZED_TASK_CPU;
  if (!cpuRightSized) {
    r.fail(
      'cpu',
      cpu,
      `above the right-sized ${RIGHT_SIZED_TASK_CPU} CPU units (TAP-CAP-5); expected one of ${FARGATE_CPU_UNITS.filter((c) => c <= RIGHT_SIZED_TASK_CPU).join(', ')} (scale out with maxTasks instead)`,
    );
  }
  const memoryMiB = r.int('memoryMiB', 512, 122880);
  if (
    cpu !== undefined &&
    cpuRightSized &&
    memoryMiB !== undefined &&
    !fargateMemoryOptions(cpu).includes(memoryMiB)
  ) {
    r.fail(
      'memoryMiB',
      memoryMiB,
      `Fargate does not offer cpu ${cpu} with ${memoryMiB} MiB; ${describeFargateMemory(cpu)}`,
    );
  }
  const containerPort = r.int('containerPort', 1024, 65535);
  if (containerPort === TEST_LISTENER_PORT)
    r.fail('containerPort', containerPort, `must not be ${TEST_LISTENER_PORT} (the ALB test listener port)`);
  const healthCheckPath = r.str('healthCheckPath', PATTERNS.path);
  const logRetentionDays = r.oneOf('logRetentionDays', LOG_RETENTION_DAYS);
  if (
    imageRepository === undefined ||
    imageTag === undefined ||
    architecture === undefined ||
    cpu === undefined ||
    memoryMiB === undefined ||
    containerPort === undefined ||
    healthCheckPath === undefined ||
    logRetentionDays === undefined
  )
    return undefined;
  return {
    imageRepository,
    imageTag,
    architecture,
    cpu,
    memoryMiB,
    containerPort,
    healthCheckPath,
    logRetentionDays,
  };
}

export function readCapacity(r: Reader): TapConfig['capacity'] | undefined {
  const floorTasks = r.int('floorTasks', 1, 500);
  const warmTasks = r.int('warmTasks', 0, 500);
  const maxTasks = r.int('maxTasks', 1, 1000);
  const preOpenTasks = r.int('preOpenTasks', 1, 1000);
  const preCloseTasks = r.int('preCloseTasks', 1, 1000);
  const targetCpuPercent = r.int('targetCpuPercent', 20, 90);
  if (floorTasks === undefined || warmTasks === undefined) return undefined;
  const warmFloor = floorTasks + warmTasks;
  if (maxTasks !== undefined && warmFloor > maxTasks) {
    r.fail(
      'maxTasks',
      maxTasks,
      `must be >= floorTasks + warmTasks (${floorTasks} + ${warmTasks} = ${warmFloor}): the minimum is above the maximum`,
    );
  }
  for (const [key, v] of [
    ['preOpenTasks', preOpenTasks],
    ['preCloseTasks', preCloseTasks],
  ] as const) {
    if (v !== undefined && maxTasks !== undefined && (v < warmFloor || v > maxTasks)) {
      r.fail(key, v, `must be between floorTasks + warmTasks (${warmFloor}) and maxTasks (${maxTasks})`);
    }
  }
  if (
    maxTasks === undefined ||
    preOpenTasks === undefined ||
    preCloseTasks === undefined ||
    targetCpuPercent === undefined
  )
    return undefined;
  return {
    floorTasks,
    warmTasks,
    warmFloor,
    maxTasks,
    preOpenTasks,
    preCloseTasks,
    targetCpuPercent,
    // Derived, not a key: the step-scaling burst adds the spare tasks again, and at least one.
    burstTasks: Math.max(1, warmTasks),
  };
}

export function readSchedule(r: Reader): TapConfig['schedule'] | undefined {
  const preOpen = r.time('preOpenTime');
  const postOpen = r.time('postOpenTime');
  const preClose = r.time('preCloseTime');
  const postClose = r.time('postCloseTime');
  if (!(preOpen && postOpen && preClose && postClose)) return undefined;
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
  return { preOpen, postOpen, preClose, postClose };
}

export function readTradesStream(r: Reader): TradesStreamConfig | undefined {
  const keyArn = r.str('tradesStreamKeyArn', PATTERNS.keyArn, false);
  if (r.has('tradesStreamArn')) {
    const streamArn = r.str('tradesStreamArn', PATTERNS.streamArn);
    if (!streamArn) return undefined;
    const streamName = streamArn.split('/').pop()!;
    if (r.has('tradesStreamName')) {
      const given = r.str('tradesStreamName', PATTERNS.streamName);
      if (given !== undefined && given !== streamName) {
        r.fail(
          'tradesStreamName',
          given,
          `disagrees with tradesStreamArn (stream "${streamName}"); expected "${streamName}" or leave tradesStreamName unset`,
        );
        return undefined;
      }
    }
    return { mode: 'import', streamName, streamArn, keyArn };
  }
  if (r.has('tradesStreamName')) {
    const streamName = r.str('tradesStreamName', PATTERNS.streamName);
    return streamName ? { mode: 'import', streamName, keyArn } : undefined;
  }
  if (keyArn) r.fail('tradesStreamKeyArn', keyArn, 'only valid with tradesStreamName or tradesStreamArn');
  const retentionHours = r.int('tradesStreamRetentionHours', 24, 8760);
  return retentionHours === undefined ? undefined : { mode: 'create', retentionHours };
}

export function readOrdersDatabase(r: Reader) {
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
  return { ordersDatabase, dbUser, dbName };
}

export function readDeployment(r: Reader): TapConfig['deployment'] | undefined {
  const canaryPercent = r.int('canaryPercent', 1, 50);
  const canaryMinutes = r.int('canaryMinutes', 1, 10);
  if (canaryMinutes !== undefined && canaryMinutes < ROLLBACK_BUDGET_MINUTES) {
    r.fail(
      'canaryMinutes',
      canaryMinutes,
      `shorter than the ${ROLLBACK_BUDGET_MINUTES}-minute rollback budget (the rest of the traffic would move before the rollback alarms decide); expected an integer from ${ROLLBACK_BUDGET_MINUTES} to 10`,
    );
  }
  const terminationWaitMinutes = r.int('terminationWaitMinutes', 5, 60);
  if (canaryPercent === undefined || canaryMinutes === undefined || terminationWaitMinutes === undefined)
    return undefined;
  return { canaryPercent, canaryMinutes, terminationWaitMinutes };
}
