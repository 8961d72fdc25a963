/**
 * The OrderBroker task role's access matrix: what it must be allowed and what it must be denied, as requests
 * an IAM evaluator decides over the synthesized template (lib/compliance/iam-evaluation.ts, rule TAP-IAM-9).
 *
 * This file is the one reviewed statement of the role's least privilege. A change here is a security review:
 * CODEOWNERS should route it like the register.
 */

/** What a request is resolved against: this deployment's contract facts, from the config and the template. */
export interface MatrixFacts {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** ARN of the `trades` stream. */
  readonly streamArn: string;
  /** The stream's customer managed key, when it has one. */
  readonly streamKeyArn?: string;
  /** The `cluster-XXXX` resource ID IAM database authentication scopes to. */
  readonly clusterResourceId: string;
  /** The database user the service connects as. */
  readonly dbUser: string;
  /** The cluster's master user (never the service's). */
  readonly masterUser: string;
  readonly taskRoleArn: string;
  /** Every other KMS key, S3 bucket and secret of the template, as ARNs (template-derived denials). */
  readonly otherKeyArns: readonly string[];
  readonly bucketArns: readonly string[];
  readonly secretArns: readonly string[];
  readonly otherStreamArns: readonly string[];
}

/** Who makes a request. */
export type MatrixPrincipal =
  /** A session of the task role (identity policies of the role + the resource's policy). */
  | 'task-role'
  /** The ECS tasks service assuming the role for a task of this account and region. */
  | 'ecs-tasks'
  /** The ECS tasks service acting for another account (confused deputy). */
  | 'ecs-tasks-foreign'
  /** Another role of the same account that may call sts:AssumeRole on anything. */
  | 'account-role'
  /** A role of a foreign account that may do anything. */
  | 'foreign-role';

/** One request and the decision the matrix requires. */
export interface MatrixRequest {
  /** Stable ID, reported with any difference. */
  readonly id: string;
  readonly principal: MatrixPrincipal;
  readonly action: string;
  /** The resource(s) the request is made on; an empty list skips the entry. */
  readonly resources: (facts: MatrixFacts) => readonly string[];
  readonly expect: 'Allowed' | 'Denied';
  /** Why the decision is required. */
  readonly why: string;
}

/** The account the matrix probes as "foreign": never the stack's account. */
export const FOREIGN_ACCOUNT = '999999999999';
/** A region the service does not run in. */
export const OTHER_REGION = 'us-west-2';

const stream = (f: MatrixFacts) => [f.streamArn];
const dbUserArn = (f: MatrixFacts, cluster: string, user: string) =>
  `arn:${f.partition}:rds-db:${f.region}:${f.account}:dbuser:${cluster}/${user}`;
const otherRegion = (arn: string) => arn.replace(/^(arn:[^:]+:[^:]+:)[^:]*:/, `$1${OTHER_REGION}:`);
const otherAccount = (arn: string) => arn.replace(/^(arn:[^:]+:[^:]+:[^:]*:)[^:]*:/, `$1${FOREIGN_ACCOUNT}:`);

/** The access matrix of the OrderBroker task role. */
export const ACCESS_MATRIX: readonly MatrixRequest[] = [
  // What the service needs.
  {
    id: 'allow-put-record-trades',
    principal: 'task-role',
    action: 'kinesis:PutRecord',
    resources: stream,
    expect: 'Allowed',
    why: 'The service publishes each trade to the trades stream.',
  },
  {
    id: 'allow-put-records-trades',
    principal: 'task-role',
    action: 'kinesis:PutRecords',
    resources: stream,
    expect: 'Allowed',
    why: 'The service publishes trades in batches.',
  },
  {
    id: 'allow-generate-data-key-stream-key',
    principal: 'task-role',
    action: 'kms:GenerateDataKey',
    resources: (f) => (f.streamKeyArn ? [f.streamKeyArn] : []),
    expect: 'Allowed',
    why: 'Writing to a stream encrypted with a customer key needs a data key from that key.',
  },
  {
    id: 'allow-connect-as-service-user',
    principal: 'task-role',
    action: 'rds-db:connect',
    resources: (f) => [dbUserArn(f, f.clusterResourceId, f.dbUser)],
    expect: 'Allowed',
    why: 'The service connects to orders with IAM authentication as its own user.',
  },
  {
    id: 'allow-ecs-tasks-assume',
    principal: 'ecs-tasks',
    action: 'sts:AssumeRole',
    resources: (f) => [f.taskRoleArn],
    expect: 'Allowed',
    why: 'ECS must be able to give the role to the tasks of this account.',
  },
  // Writes anywhere else.
  {
    id: 'deny-put-record-other-streams',
    principal: 'task-role',
    action: 'kinesis:PutRecord',
    resources: (f) => [
      `arn:${f.partition}:kinesis:${f.region}:${f.account}:stream/not-trades`,
      ...f.otherStreamArns,
    ],
    expect: 'Denied',
    why: 'The service writes only trades.',
  },
  {
    id: 'deny-put-record-other-regions-accounts',
    principal: 'task-role',
    action: 'kinesis:PutRecord',
    resources: (f) => [otherRegion(f.streamArn), otherAccount(f.streamArn)],
    expect: 'Denied',
    why: 'A stream called trades in another region or account is not the contract stream.',
  },
  // Reads of trades.
  ...['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:DescribeStream', 'kinesis:DeleteStream'].map(
    (action): MatrixRequest => ({
      id: `deny-${action
        .split(':')[1]
        .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
        .slice(1)}-trades`,
      principal: 'task-role',
      action,
      resources: stream,
      expect: 'Denied',
      why: 'A producer never reads or manages the stream: a compromised task must not read other trades.',
    }),
  ),
  // The database as anyone else, or another cluster.
  {
    id: 'deny-connect-as-other-users',
    principal: 'task-role',
    action: 'rds-db:connect',
    resources: (f) => [
      dbUserArn(f, f.clusterResourceId, f.masterUser),
      dbUserArn(f, f.clusterResourceId, 'postgres'),
      dbUserArn(f, f.clusterResourceId, 'rds_superuser'),
    ],
    expect: 'Denied',
    why: 'Only the service user; the master user bypasses the service grants.',
  },
  {
    id: 'deny-connect-other-clusters',
    principal: 'task-role',
    action: 'rds-db:connect',
    resources: (f) => [dbUserArn(f, 'cluster-NOTORDERS', f.dbUser)],
    expect: 'Denied',
    why: 'The service connects to orders only.',
  },
  // Keys.
  {
    id: 'deny-decrypt-stream-key',
    principal: 'task-role',
    action: 'kms:Decrypt',
    resources: (f) => (f.streamKeyArn ? [f.streamKeyArn] : []),
    expect: 'Denied',
    why: 'Decrypt would let a compromised task read trades it did not write.',
  },
  {
    id: 'deny-other-keys',
    principal: 'task-role',
    action: 'kms:GenerateDataKey',
    resources: (f) => f.otherKeyArns,
    expect: 'Denied',
    why: 'The role uses the stream key only.',
  },
  // S3 and Secrets Manager.
  ...['s3:GetObject', 's3:PutObject'].map((action): MatrixRequest => ({
    id: `deny-${action.replace(':', '-').toLowerCase()}`,
    principal: 'task-role',
    action,
    resources: (f) => [
      `arn:${f.partition}:s3:::any-bucket/any-object`,
      ...f.bucketArns.map((b) => `${b}/any-object`),
    ],
    expect: 'Denied',
    why: 'The service stores nothing in S3; the access-log bucket is not its to read or write.',
  })),
  {
    id: 'deny-get-secret-value',
    principal: 'task-role',
    action: 'secretsmanager:GetSecretValue',
    resources: (f) => [
      `arn:${f.partition}:secretsmanager:${f.region}:${f.account}:secret:any-secret-AbCdEf`,
      ...f.secretArns,
    ],
    expect: 'Denied',
    why: 'The service authenticates with IAM; the master secret would bypass it.',
  },
  // Who may become the role.
  {
    id: 'deny-assume-from-account',
    principal: 'account-role',
    action: 'sts:AssumeRole',
    resources: (f) => [f.taskRoleArn],
    expect: 'Denied',
    why: 'Only ECS tasks hold the role: a person or another workload of the account must not assume it.',
  },
  {
    id: 'deny-assume-from-foreign-account',
    principal: 'foreign-role',
    action: 'sts:AssumeRole',
    resources: (f) => [f.taskRoleArn],
    expect: 'Denied',
    why: 'No other account may assume the role.',
  },
  {
    id: 'deny-ecs-tasks-for-foreign-account',
    principal: 'ecs-tasks-foreign',
    action: 'sts:AssumeRole',
    resources: (f) => [f.taskRoleArn],
    expect: 'Denied',
    why: 'Confused deputy: ECS acting for another account must not get the role (aws:SourceAccount/aws:SourceArn).',
  },
];

/**
 * Principals of other accounts that resource policies may name (TAP-IAM-7, TAP-DAT-6 and their Guard rules),
 * each with the reason. Anything else of another account, and `*`, is a finding.
 */
export const FOREIGN_PRINCIPALS_ALLOWED: Readonly<Record<string, string>> = {
  // eslint-disable-next-line no-restricted-syntax -- an allow-list entry: the exact principal ELB's bucket policy names
  'arn:aws:iam::033677994240:root':
    'Elastic Load Balancing account of us-east-2: writes the ALB access logs (S3 bucket policy, s3:PutObject on the log prefix).',
};

/**
 * Secrets the execution role may inject into containers (`Secrets` of a container definition, TAP-IAM-8), by
 * resolved ARN, each with the reason. Empty: the service authenticates to the database with IAM, and the
 * RDS master secret is never injectable whatever this list says.
 */
export const CONTAINER_SECRETS_ALLOWED: Readonly<Record<string, string>> = {};
