import type { ProfileName } from './types';

/**
 * Raw configuration values as they appear in a profile or on the command line (`-c key=value`).
 * Every key here can be overridden with `-c`; `resolveConfig()` validates them all.
 */
export type RawConfig = Readonly<Record<string, string | number | undefined>>;

/** The profile used when `-c profile=...` is not given. */
export const DEFAULT_PROFILE: ProfileName = 'dev';

/** Values both profiles share: the service itself does not change between environments. */
const COMMON: RawConfig = {
  region: 'us-east-2',
  costCenter: 'CC-4100',
  imageRepository: 'orderbroker',
  imageTag: '2026.11.3',
  architecture: 'ARM64',
  cpu: 2048,
  memoryMiB: 4096,
  containerPort: 8080,
  healthCheckPath: '/actuator/health/readiness',
  targetCpuPercent: 50,
  preOpenTime: '09:10',
  postOpenTime: '10:30',
  preCloseTime: '15:40',
  postCloseTime: '16:30',
  dbUser: 'orderbroker',
  dbName: 'orders',
  canaryPercent: 10,
  canaryMinutes: 5,
};

/**
 * Embedded profiles. `dev` synthesizes on a fresh clone with no AWS account (account-agnostic).
 * `prod` carries placeholder account, certificate and host name values (the AWS documentation account):
 * the deploying team overrides them with `-c account=... -c certificateArn=... -c serviceHostname=...`, and
 * CloudFormation refuses to deploy a stack whose account does not match the credentials.
 */
export const PROFILES: Readonly<Record<ProfileName, RawConfig>> = {
  dev: {
    ...COMMON,
    vpcCidr: '10.40.0.0/16',
    natGateways: 1,
    clientCidr: '10.40.0.0/16',
    logRetentionDays: 30,
    floorTasks: 1,
    warmTasks: 1,
    maxTasks: 8,
    preOpenTasks: 4,
    preCloseTasks: 4,
    tradesStreamRetentionHours: 24,
    dbInstanceClass: 't4g.medium',
    dbReaders: 0,
    dbBackupRetentionDays: 7,
    terminationWaitMinutes: 10,
  },
  prod: {
    ...COMMON,
    vpcCidr: '10.41.0.0/16',
    natGateways: 3,
    clientCidr: '10.41.0.0/16',
    logRetentionDays: 400,
    floorTasks: 4,
    warmTasks: 4,
    maxTasks: 60,
    preOpenTasks: 24,
    preCloseTasks: 24,
    tradesStreamRetentionHours: 168,
    dbInstanceClass: 'r7g.xlarge',
    dbReaders: 1,
    dbBackupRetentionDays: 35,
    terminationWaitMinutes: 15,
    account: '123456789012',
    certificateArn: 'arn:aws:acm:us-east-2:123456789012:certificate/6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f',
    serviceHostname: 'orderbroker.trading.example.com',
  },
};
