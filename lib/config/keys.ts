/**
 * Every configuration key, with what it means. The README's configuration table is generated from
 * (and tested against) this list, and `resolveConfig()` rejects keys that are not in it.
 */
export const CONFIG_KEYS = {
  profile: 'Profile to start from: `dev` or `prod` (default `dev`).',
  region: 'AWS region; only `us-east-2` is allowed.',
  account: 'AWS account id (12 digits). Unset = account-agnostic synth (dev only).',
  costCenter: 'Finance cost center, `CC-` and 4 to 6 digits; becomes the `CostCenter` tag.',
  vpcCidr: 'CIDR of the VPC (created) or of the imported VPC.',
  natGateways: 'NAT gateways of a created VPC (1..3).',
  vpcId:
    'Import this VPC instead of creating one (needs availabilityZones, privateSubnetIds, isolatedSubnetIds).',
  availabilityZones: 'Imported VPC: comma-separated AZs (3).',
  privateSubnetIds: 'Imported VPC: comma-separated private subnets with egress, one per AZ.',
  isolatedSubnetIds: 'Imported VPC: comma-separated isolated subnets, one per AZ.',
  clientCidr: 'CIDR allowed to reach the production listener.',
  certificateArn: 'ACM certificate (us-east-2) for HTTPS on 443 and 9090; required in prod.',
  serviceHostname: 'DNS name clients use for the service (on the certificate); required with certificateArn.',
  alarmEmail: 'Optional e-mail subscribed to the SRE alarm topic.',
  imageRepository: 'ECR repository of the multi-arch OrderBroker image.',
  imageTag: 'Image tag, or `sha256:<64 hex>` digest.',
  architecture: 'CPU architecture the service runs: `ARM64` or `X86_64`.',
  cpu: 'Task CPU units (right-sized: 2048).',
  memoryMiB: 'Task memory in MiB; must be a size Fargate offers with `cpu`.',
  containerPort: 'Port the container listens on.',
  healthCheckPath: 'HTTP path of the readiness endpoint used by the target groups.',
  logRetentionDays: 'Retention of the service log group (a CloudWatch Logs retention value).',
  floorTasks: 'Tasks the off-peak load needs.',
  warmTasks: 'Spare running tasks above the floor (the warm floor; Fargate has no warm pool).',
  maxTasks: 'Upper bound of the scalable target.',
  preOpenTasks: 'Minimum task count from preOpenTime to postOpenTime.',
  preCloseTasks: 'Minimum task count from preCloseTime to postCloseTime.',
  targetCpuPercent: 'Target CPU utilization for target tracking and predictive scaling.',
  preOpenTime: 'HH:MM America/New_York: raise the floor before the 09:30 open (at the latest 09:20).',
  postOpenTime: 'HH:MM: lower the floor after the open spike.',
  preCloseTime: 'HH:MM: raise the floor before the 16:00 close (at the latest 15:50).',
  postCloseTime: 'HH:MM: lower the floor after the close spike.',
  tradesStreamRetentionHours: 'Retention of a created `trades` stream (24..8760).',
  tradesStreamName: 'Import the existing stream with this name instead of creating one.',
  tradesStreamArn: 'Import the existing stream with this ARN instead of creating one.',
  tradesStreamKeyArn: 'KMS key of an imported stream, when it uses a customer managed key.',
  dbInstanceClass: 'Instance class of a created `orders` cluster, without `db.` (e.g. `r7g.large`).',
  dbReaders: 'Reader instances of a created `orders` cluster (0..5).',
  dbBackupRetentionDays: 'Automated backup retention of a created `orders` cluster (7..35).',
  ordersDbClusterIdentifier: 'Import the existing `orders` cluster (needs the four keys below).',
  ordersDbClusterResourceId: 'Imported cluster: `cluster-...` resource id (IAM auth scope).',
  ordersDbEndpoint: 'Imported cluster: writer endpoint host name.',
  ordersDbPort: 'Imported cluster: port.',
  ordersDbSecurityGroupId: 'Imported cluster: its security group (the service is allowed in).',
  dbUser: 'IAM database user the service connects as.',
  dbName: 'Database name.',
  canaryPercent: 'Blue/green: share of traffic moved to green first (1..50).',
  canaryMinutes: 'Blue/green: minutes the canary runs before the rest moves (1..10).',
  terminationWaitMinutes: 'Blue/green: minutes blue stays alive after the shift, for rollback (5..60).',
} as const;

/** A configuration key. */
export type ConfigKey = keyof typeof CONFIG_KEYS;

/** All configuration keys, in documentation order. */
export const CONFIG_KEY_NAMES = Object.keys(CONFIG_KEYS) as ConfigKey[];
