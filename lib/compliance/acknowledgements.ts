import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { tapAcknowledgementId } from '../../aspects/rule';
import type { ProfileName } from '../config/types';
import { layer, type LayerId, layerOrder } from './layers';

/**
 * THE register of every accepted finding: acknowledgements of cdk-nag, Guard and lint findings, exemptions from
 * our own TAP rules, and disabled Control Tower rules. Nothing is suppressed anywhere else (a test checks that
 * every acknowledgement in the synthesized app comes from here).
 *
 * Rules for an entry (checked by {@link validateRegister}, at synth and in tests):
 * - the narrowest construct that covers the accepted decision, as a path relative to the stack; never the
 *   stack or the app (a bare rule ID stack-wide), except `'*'` for a disabled Control Tower rule;
 * - a reason a security reviewer can check against the template, an owner, and an expiry date no more than
 *   {@link MAX_ACKNOWLEDGEMENT_DAYS} ahead. After it expires the entry stops applying and synth fails
 *   (TAP-EXC-1) until the finding is fixed or the entry renewed.
 */
export interface RegisterEntry {
  /** Layer whose finding is accepted. */
  readonly layer: LayerId;
  /**
   * The rule exactly as the layer reports it: `TAP-CAP-5`, `AwsSolutions-IAM4[Policy::...]`,
   * `NIST.800.53.R5-IAMNoInlinePolicy`, a Guard rule name (`alb_http_to_https_redirection_check`), a cfn-lint
   * rule (`E3002`); for a disabled Control Tower rule, its file name (`ct-s3-pr-4`).
   */
  readonly rule: string;
  /** Construct path relative to the stack, e.g. `Platform/LoadBalancing/Alb/ProductionListener`. */
  readonly path: string;
  /**
   * The stack the path is in: the platform stack or the governance stack (`OrderBrokerGovernance-<profile>`).
   *
   * @default 'platform'
   */
  readonly stack?: 'platform' | 'governance';
  /** Why the finding is accepted, checkable against the template by a reviewer. */
  readonly reason: string;
  /** Team that owns the decision and renews or removes it. */
  readonly owner: string;
  /** Last day the entry applies (YYYY-MM-DD, UTC). */
  readonly expires: string;
  /**
   * Profiles it applies to.
   *
   * @default - every profile
   */
  readonly profiles?: readonly ProfileName[];
  /** Control IDs the finding maps to (for auditors), e.g. `CT.ELB.PR.1`, `NIST SC-8`. */
  readonly controls?: readonly string[];
  /**
   * A Control Tower rule switched off for the whole app (path `'*'`).
   *
   * @default false
   */
  readonly disable?: boolean;
}

/**
 * Acknowledgements aws-cdk-lib records by itself on its own constructs, outside the register: they answer
 * quirks of the library's templates for the bundled CloudFormation Validate linter. Listed (with the library's
 * reason) so the reports can show them and so the test that every acknowledgement comes from the register
 * fails when the library starts acknowledging something new in this app.
 */
export const LIBRARY_ACKNOWLEDGEMENTS: ReadonlyArray<{
  readonly acknowledgedId: string;
  /** The construct type that records it. */
  readonly source: string;
  readonly reason: string;
}> = [
  {
    acknowledgedId: 'CloudFormation-Validate::W3010',
    source: 'aws-cdk-lib Stack (literal availability zones; a warning-level rule), on the whole stack',
    reason:
      'Literal AZs in template are the result of accessing stack.availabilityZones, this is expected and safe',
  },
  {
    acknowledgedId: 'CloudFormation-Validate::F3002',
    source: 'aws-cdk-lib ec2.FlowLog',
    reason:
      'AWS::EC2::FlowLog DestinationOptions accepts properties in camelCase, even they are listed as PascalCase in the spec',
  },
  {
    acknowledgedId: 'CloudFormation-Validate::F3003',
    source: 'aws-cdk-lib ec2.FlowLog',
    reason:
      'AWS::EC2::FlowLog DestinationOptions accepts properties in camelCase, even they are listed as PascalCase in the spec',
  },
];

/** The longest an entry may run before it must be reviewed again. */
export const MAX_ACKNOWLEDGEMENT_DAYS = 366;

const NAG_PACK_PREFIX: Partial<Record<LayerId, string>> = {
  'cdk-nag-aws-solutions': 'AwsSolutions-',
  'cdk-nag-nist-800-53-r5': 'NIST.800.53.R5-',
  'cdk-nag-pci-dss-321': 'PCI.DSS.321-',
};

const OWNERS = {
  platform: 'platform-team',
  security: 'security-engineering',
  data: 'data-platform',
} as const;

const DEV: readonly ProfileName[] = ['dev'];
const PROD: readonly ProfileName[] = ['prod'];

/** The same decision for several packs (cdk-nag names one rule per pack). */
function forPacks(
  packs: Array<[LayerId, string]>,
  entry: Omit<RegisterEntry, 'layer' | 'rule'>,
): RegisterEntry[] {
  return packs.map(([l, rule]) => ({ ...entry, layer: l, rule }));
}

/** The same decision for several constructs (each acknowledged on its own path). */
function forPaths(paths: string[], entry: (path: string) => RegisterEntry[]): RegisterEntry[] {
  return paths.flatMap(entry);
}

const ACCESS_LOGS = 'Platform/LoadBalancing/AccessLogs';
const HTTP_DEV_LISTENERS = [
  'Platform/LoadBalancing/Alb/ProductionListener',
  'Platform/LoadBalancing/Alb/TestListener',
];
const PUBLIC_ROUTES = [1, 2, 3].map((n) => `Network/Vpc/publicSubnet${n}/DefaultRoute`);
const CDK_DEFAULT_POLICIES = [
  'Network/Vpc/FlowLog/IAMRole/DefaultPolicy',
  'Platform/TaskRole/Role/DefaultPolicy',
  'Platform/TaskDefinitions/ExecutionRole/DefaultPolicy',
  'Platform/ValidationHook/Role/DefaultPolicy',
  'Platform/BlueGreen/DeploymentGroup/ServiceRole/DefaultPolicy',
];
const HOOK = 'Platform/ValidationHook';

/** Every accepted finding of the platform. Keep entries grouped by resource, reasons concrete. */
export const REGISTER: readonly RegisterEntry[] = [
  // --- IAM ---------------------------------------------------------------------------------------------
  {
    layer: 'cdk-nag-aws-solutions',
    rule: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSCodeDeployRoleForECS]',
    path: 'Platform/BlueGreen/DeploymentGroup/ServiceRole',
    reason:
      'CodeDeploy ECS blue/green service role. AWSCodeDeployRoleForECS is the AWS-maintained policy for this service; the role trusts only codedeploy.amazonaws.com and is on the TAP-IAM-3 allow-list. A hand-scoped copy would break when CodeDeploy adds API calls during a market-hours deployment.',
    owner: OWNERS.platform,
    expires: '2027-05-31',
    controls: ['NIST AC-6'],
  },
  {
    layer: 'cdk-nag-aws-solutions',
    rule: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
    path: 'OrdersDatabase/Cluster/MonitoringRole',
    reason:
      'RDS Enhanced Monitoring role. AmazonRDSEnhancedMonitoringRole only writes to the RDSOSMetrics log group; the role trusts only monitoring.rds.amazonaws.com and is on the TAP-IAM-3 allow-list.',
    owner: OWNERS.data,
    expires: '2027-05-31',
    controls: ['NIST AC-6'],
  },
  {
    layer: 'cdk-nag-aws-solutions',
    rule: 'AwsSolutions-IAM5[Resource::*]',
    path: 'Platform/TaskDefinitions/ExecutionRole/DefaultPolicy',
    reason:
      "The only Resource '*' statement of the execution role is ecr:GetAuthorizationToken, which has no resource-level permissions (TAP-IAM-2 enforces that list). Image pulls and log writes are scoped to the repository and the log group.",
    owner: OWNERS.platform,
    expires: '2027-05-31',
    controls: ['NIST AC-6'],
  },
  {
    layer: 'cdk-nag-aws-solutions',
    rule: 'AwsSolutions-IAM5[Resource::*]',
    path: `${HOOK}/Role/DefaultPolicy`,
    reason:
      "Validation hook in the VPC: the only Resource '*' statement is ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets, which have no resource-level permissions (TAP-IAM-2 enforces that list). ENI creation is scoped to the hook's subnets and security group; the CodeDeploy verdict to its deployment group.",
    owner: OWNERS.platform,
    expires: '2027-05-31',
    controls: ['NIST AC-6'],
  },
  {
    layer: 'cdk-nag-aws-solutions',
    rule: 'AwsSolutions-IAM5[Resource::arn:aws:ec2:us-east-2:<AWS::AccountId>:network-interface/*]',
    path: `${HOOK}/Role/DefaultPolicy`,
    reason:
      'Lambda in a VPC creates, attaches and deletes its own network interfaces, whose IDs do not exist before the function runs: the statement is limited to network-interface/* of this account and region (AWSLambdaVPCAccessExecutionRole allows "*").',
    owner: OWNERS.platform,
    expires: '2027-05-31',
    controls: ['NIST AC-6'],
  },
  ...forPaths(CDK_DEFAULT_POLICIES, (path) =>
    forPacks(
      [
        ['cdk-nag-nist-800-53-r5', 'NIST.800.53.R5-IAMNoInlinePolicy'],
        ['cdk-nag-pci-dss-321', 'PCI.DSS.321-IAMNoInlinePolicy'],
      ],
      {
        path,
        reason:
          'CDK renders the grants of one role as an AWS::IAM::Policy attached to that role only (its DefaultPolicy): it cannot drift onto other principals, every statement is scoped to named resources, and TAP-IAM-1/2/4 check each one. A customer managed policy would add a separately attachable object without narrowing anything.',
        owner: OWNERS.security,
        expires: '2027-05-31',
        controls: ['NIST AC-6', 'PCI DSS 7.1.2'],
      },
    ),
  ),

  // --- Network -------------------------------------------------------------------------------------------
  ...forPaths(PUBLIC_ROUTES, (path) =>
    forPacks(
      [
        ['cdk-nag-nist-800-53-r5', 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW'],
        ['cdk-nag-pci-dss-321', 'PCI.DSS.321-VPCNoUnrestrictedRouteToIGW'],
      ],
      {
        path,
        reason:
          'Default route of a public subnet: the public subnets hold only the NAT gateways (no tasks, no load balancer, MapPublicIpOnLaunch false), and NAT needs this route to the internet gateway. Tasks and the ALB are in private subnets without it.',
        owner: OWNERS.platform,
        expires: '2027-05-31',
        controls: ['NIST SC-7', 'PCI DSS 1.3'],
      },
    ),
  ),
  {
    layer: 'control-tower',
    rule: 'lambda_inside_vpc_check',
    path: 'Custom::VpcRestrictDefaultSGCustomResourceProvider/Handler',
    reason:
      "CDK's own provider for @aws-cdk/aws-ec2:restrictDefaultSecurityGroup: it runs only during deployment to remove the default security group's rules and touches no data. Placing it in the VPC would make it depend on the network it is configuring.",
    owner: OWNERS.platform,
    expires: '2027-05-31',
    controls: ['CT.LAMBDA.PR.3'],
  },

  // --- Load balancing ------------------------------------------------------------------------------------
  ...forPacks(
    [
      ['cdk-nag-nist-800-53-r5', 'NIST.800.53.R5-ALBWAFEnabled'],
      ['cdk-nag-pci-dss-321', 'PCI.DSS.321-ALBWAFEnabled'],
    ],
    {
      path: 'Platform/LoadBalancing/Alb',
      reason:
        'The ALB is internal (Scheme internal, private subnets) and admits only clientCidr and the deployment-validation group (TAP-NET-1/2); PCI DSS 6.6 requires a WAF for public-facing applications. Revisit if the ALB is ever exposed.',
      owner: OWNERS.security,
      expires: '2027-05-31',
      controls: ['NIST AC-4(21)', 'PCI DSS 6.6'],
    },
  ),
  ...forPaths(HTTP_DEV_LISTENERS, (path) =>
    forPacks(
      [
        ['cdk-nag-nist-800-53-r5', 'NIST.800.53.R5-ALBHttpToHttpsRedirection'],
        ['cdk-nag-nist-800-53-r5', 'NIST.800.53.R5-ELBv2ACMCertificateRequired'],
        ['cdk-nag-pci-dss-321', 'PCI.DSS.321-ALBHttpToHttpsRedirection'],
        ['cdk-nag-pci-dss-321', 'PCI.DSS.321-ELBv2ACMCertificateRequired'],
        ['control-tower', 'alb_http_to_https_redirection_check'],
      ],
      {
        path,
        profiles: DEV,
        reason:
          'dev only: the dev profile has no TLS certificate (no domain), so its internal listeners serve HTTP to clientCidr inside the VPC; dev carries no customer orders. prod serves HTTPS 443/9090 with the ACM certificate and port 80 only redirects (configuration refuses prod without certificateArn).',
        owner: OWNERS.platform,
        expires: '2027-02-28',
        controls: ['CT.ELB.PR.1', 'NIST SC-8', 'PCI DSS 4.1'],
      },
    ),
  ),
  ...forPacks(
    [
      ['cdk-nag-nist-800-53-r5', 'NIST.800.53.R5-ELBv2ACMCertificateRequired'],
      ['cdk-nag-pci-dss-321', 'PCI.DSS.321-ELBv2ACMCertificateRequired'],
    ],
    {
      path: 'Platform/LoadBalancing/Alb/HttpRedirectListener',
      profiles: PROD,
      reason:
        'The port 80 listener only answers with a permanent redirect to HTTPS 443 (Control Tower CT.ELB.PR.1 requires that redirect); it forwards nothing, and a plain-HTTP listener cannot hold a certificate.',
      owner: OWNERS.security,
      expires: '2027-05-31',
      controls: ['CT.ELB.PR.1', 'NIST SC-8(1)'],
    },
  ),

  // --- ALB access-log bucket -----------------------------------------------------------------------------
  ...forPacks(
    [
      ['cdk-nag-aws-solutions', 'AwsSolutions-S1'],
      ['cdk-nag-nist-800-53-r5', 'NIST.800.53.R5-S3BucketLoggingEnabled'],
      ['cdk-nag-pci-dss-321', 'PCI.DSS.321-S3BucketLoggingEnabled'],
      ['control-tower', 's3_bucket_logging_enabled_check'],
    ],
    {
      path: ACCESS_LOGS,
      reason:
        'This bucket is the terminal log destination (ALB access logs). Logging its own access to another bucket only moves the same finding there; object-level changes are visible through its EventBridge notifications and CloudTrail.',
      owner: OWNERS.security,
      expires: '2027-05-31',
      controls: ['CT.S3.PR.2', 'NIST AU-2', 'PCI DSS 10.2'],
    },
  ),
  ...forPacks(
    [
      ['cdk-nag-nist-800-53-r5', 'NIST.800.53.R5-S3DefaultEncryptionKMS'],
      ['cdk-nag-pci-dss-321', 'PCI.DSS.321-S3DefaultEncryptionKMS'],
      ['control-tower', 's3_bucket_default_encryption_kms_check'],
    ],
    {
      path: ACCESS_LOGS,
      reason:
        'Elastic Load Balancing writes access logs only to buckets encrypted with SSE-S3 (Amazon S3 managed keys); with SSE-KMS default encryption log delivery fails. The bucket is SSE-S3, TLS-only, public access blocked.',
      owner: OWNERS.security,
      expires: '2027-05-31',
      controls: ['CT.S3.PR.10', 'NIST SC-28', 'PCI DSS 3.4'],
    },
  ),
  ...forPacks(
    [
      ['cdk-nag-nist-800-53-r5', 'NIST.800.53.R5-S3BucketReplicationEnabled'],
      ['cdk-nag-pci-dss-321', 'PCI.DSS.321-S3BucketReplicationEnabled'],
    ],
    {
      path: ACCESS_LOGS,
      reason:
        'ALB access logs are diagnostic copies, not records of trades or orders: versioned, retained 400 days, bucket retained on stack deletion. Cross-region replication would double their cost for no recovery objective.',
      owner: OWNERS.security,
      expires: '2027-05-31',
      controls: ['NIST CP-9', 'PCI DSS 10.5.3'],
    },
  ),
  {
    layer: 'control-tower',
    rule: 's3_bucket_object_lock_enabled_check',
    path: ACCESS_LOGS,
    reason:
      'Object Lock default retention requires checksummed PutObject requests, which the Elastic Load Balancing log-delivery service is not documented to send: enabling it risks silently losing access logs. Tampering is covered by versioning (noncurrent versions kept 30 days) and EventBridge object events.',
    owner: OWNERS.security,
    expires: '2027-05-31',
    controls: ['CT.S3.PR.9'],
  },

  // --- Task definitions ----------------------------------------------------------------------------------
  ...forPaths(['Platform/TaskDefinitions/Arm64', 'Platform/TaskDefinitions/X8664'], (path) => [
    {
      layer: 'cdk-nag-aws-solutions',
      rule: 'AwsSolutions-ECS2',
      path,
      reason:
        'The environment holds no secrets: stream name, database endpoint/port/name/user, JVM flags, metrics namespace. The database uses IAM authentication (rds-db:connect), so there is no password to inject from Secrets Manager.',
      owner: OWNERS.platform,
      expires: '2027-05-31',
      controls: ['NIST IA-5(7)'],
    },
  ]),

  // --- Deployment validation hook ------------------------------------------------------------------------
  {
    layer: 'cdk-nag-nist-800-53-r5',
    rule: 'NIST.800.53.R5-LambdaDLQ',
    path: `${HOOK}/Function`,
    reason:
      'CodeDeploy invokes the hook once per deployment with retryAttempts 0 (a retry would report a second verdict on the same hook execution). The handler reports Failed on every error it can catch; an uncaught crash fires the Errors alarm to the SRE topic and CodeDeploy fails the deployment at its hook timeout. A DLQ would hold an event for a deployment that has already failed.',
    owner: OWNERS.platform,
    expires: '2027-05-31',
    controls: ['NIST SI-2'],
  },

  // --- Data ----------------------------------------------------------------------------------------------
  {
    layer: 'cdk-nag-aws-solutions',
    rule: 'AwsSolutions-KDS3',
    path: 'TradesStream/Stream',
    reason:
      'Warning that the stream does not use the AWS managed aws/kinesis key: it deliberately uses the platform customer managed data key (rotation on, key policy we control), which NIST SC-12/PCI 3.6 prefer.',
    owner: OWNERS.data,
    expires: '2027-05-31',
    controls: ['NIST SC-12'],
  },
  {
    layer: 'cdk-nag-nist-800-53-r5',
    rule: 'NIST.800.53.R5-RDSInBackupPlan',
    path: 'OrdersDatabase/Cluster',
    reason:
      'The orders cluster is backed up by Aurora continuous backups (point-in-time recovery, 7 days in dev, 35 in prod), with deletion protection and a final snapshot on removal. An AWS Backup plan with a vault in the backup account is planned by the data platform team.',
    owner: OWNERS.data,
    expires: '2027-02-28',
    controls: ['NIST CP-9'],
  },
  ...forPaths(
    [
      'Network/FlowLogGroup',
      'OrdersDatabase/PostgresLogGroup',
      'Platform/TaskDefinitions/LogGroup',
      `${HOOK}/LogGroup`,
    ],
    (path) => [
      {
        layer: 'control-tower',
        rule: 'cloudwatch_log_group_retention_period_check',
        path,
        profiles: DEV,
        reason:
          'dev only: dev log groups keep 30 days (logRetentionDays) because dev carries no customer orders; prod keeps 400 days, above the one-year minimum of this control.',
        owner: OWNERS.platform,
        expires: '2027-02-28',
        controls: ['CT.CLOUDWATCH.PR.2'],
      },
    ],
  ),

  // --- cfn-lint (npm run lint:cfn) -----------------------------------------------------------------------
  ...(
    [
      ['Platform/LoadBalancing/Alb/ProductionListener', undefined],
      ['Platform/LoadBalancing/Alb/TestListener', undefined],
      ['Platform/LoadBalancing/Alb/HttpRedirectListener', PROD],
      ['Platform/Scaling/Target', undefined],
    ] as Array<[string, readonly ProfileName[] | undefined]>
  ).map(([path, profiles]): RegisterEntry => ({
    layer: 'cfn-lint',
    rule: 'E3002',
    path,
    profiles,
    reason:
      "cfn-lint 1.51's bundled us-east-2 schema has no Tags on AWS::ElasticLoadBalancingV2::Listener and AWS::ApplicationAutoScaling::ScalableTarget; aws-cdk-lib 2.276 (generated from the current CloudFormation registry) and its bundled CloudFormation Validate both accept them. Re-check when cfn-lint updates its schemas, and on the first deployment.",
    owner: OWNERS.platform,
    expires: '2027-02-28',
  })),
  {
    layer: 'cfn-lint',
    rule: 'W3010',
    path: 'Network/Vpc',
    reason:
      'Availability zones are pinned to us-east-2a/b/c on purpose: the stack synthesizes offline without AZ lookups and every profile places subnets identically.',
    owner: OWNERS.platform,
    expires: '2027-05-31',
  },
  ...forPaths(
    [
      'Custom::VpcRestrictDefaultSGCustomResourceProvider/Handler',
      'Platform/BlueGreen/DeploymentGroup',
      `${HOOK}/Function`,
    ],
    (path) => [
      {
        layer: 'cfn-lint',
        rule: 'W3005',
        path,
        reason:
          'A DependsOn that duplicates a Ref/GetAtt, generated by aws-cdk-lib itself (custom-resource provider, CodeDeploy deployment group, Lambda function on its role); redundant but harmless for deployment order.',
        owner: OWNERS.platform,
        expires: '2027-05-31',
      },
    ],
  ),
  // --- Governance stack (OrderBrokerGovernance-<profile>): the Guard Hook's report bucket ------------------
  ...forPacks(
    [
      ['cdk-nag-aws-solutions', 'AwsSolutions-S1'],
      ['cdk-nag-nist-800-53-r5', 'NIST.800.53.R5-S3BucketLoggingEnabled'],
      ['cdk-nag-pci-dss-321', 'PCI.DSS.321-S3BucketLoggingEnabled'],
      ['control-tower', 's3_bucket_logging_enabled_check'],
    ],
    {
      stack: 'governance',
      path: 'Reports',
      reason:
        'The Guard Hook report bucket is a terminal log destination: logging its own access to another bucket only moves the same finding there. Object changes go to EventBridge (notification configuration) and CloudTrail; the bucket is KMS-encrypted, versioned, TLS-only, public access blocked.',
      owner: OWNERS.security,
      expires: '2027-05-31',
      controls: ['CT.S3.PR.2', 'NIST AU-2', 'PCI DSS 10.2'],
    },
  ),
  ...forPacks(
    [
      ['cdk-nag-nist-800-53-r5', 'NIST.800.53.R5-S3BucketReplicationEnabled'],
      ['cdk-nag-pci-dss-321', 'PCI.DSS.321-S3BucketReplicationEnabled'],
    ],
    {
      stack: 'governance',
      path: 'Reports',
      reason:
        'Guard Hook reports are diagnostic copies of a verdict CloudFormation also records in the stack events; versioned, retained 400 days, bucket retained on stack deletion. Cross-region replication adds cost for no recovery objective.',
      owner: OWNERS.security,
      expires: '2027-05-31',
      controls: ['NIST CP-9', 'PCI DSS 10.5.3'],
    },
  ),
  {
    layer: 'control-tower',
    rule: 's3_bucket_object_lock_enabled_check',
    stack: 'governance',
    path: 'Reports',
    reason:
      'Object Lock default retention requires checksummed PutObject requests, which the CloudFormation Hooks service is not documented to send: enabling it risks losing hook reports. Tampering is covered by versioning (noncurrent versions kept 30 days) and EventBridge object events.',
    owner: OWNERS.security,
    expires: '2027-05-31',
    controls: ['CT.S3.PR.9'],
  },
  {
    layer: 'cdk-nag-aws-solutions',
    rule: 'AwsSolutions-IAM5[Resource::<Reports65402A0A.Arn>/*]',
    stack: 'governance',
    path: 'HookExecutionPolicy',
    reason:
      'The Guard Hook chooses the object keys of its reports, so its role may PutObject anywhere in its own report bucket (this bucket only, no read, no delete); the KMS statement names the one key and requires kms:ViaService s3.',
    owner: OWNERS.security,
    expires: '2027-05-31',
    controls: ['NIST AC-6'],
  },
];

/** Raised when the register itself is malformed: a programming error, reported before anything is built. */
export class RegisterError extends Error {
  constructor(public readonly problems: string[]) {
    super(
      'Invalid compliance register (lib/compliance/acknowledgements.ts):\n' +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'RegisterError';
  }
}

/** `YYYY-MM-DD` of a date, in UTC. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The name of an entry in messages: layer, rule, path (and profiles). */
export function describeEntry(entry: RegisterEntry): string {
  const profiles = entry.profiles ? ` [${entry.profiles.join(', ')}]` : '';
  return `${entry.layer} ${entry.rule} on ${entry.path}${profiles}`;
}

/** True when the entry no longer applies on `today`. */
export function isExpired(entry: RegisterEntry, today: Date): boolean {
  return entry.expires < isoDay(today);
}

/**
 * Problems with the register on `today`: missing or vague reason, missing owner, malformed, past or
 * too-distant expiry, stack-wide scope, unknown rule namespace, duplicates. Empty when every entry is valid.
 */
export function validateRegister(entries: readonly RegisterEntry[], today: Date): string[] {
  const problems = [...registerStructureProblems(entries, today)];
  for (const entry of entries) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(entry.expires) && isExpired(entry, today)) {
      problems.push(`${describeEntry(entry)}: expired on ${entry.expires}`);
    }
  }
  return problems;
}

/** Everything {@link validateRegister} checks except expiry in the past (which fails synth as TAP-EXC-1). */
export function registerStructureProblems(entries: readonly RegisterEntry[], today: Date): string[] {
  const problems: string[] = [];
  const maxDay = isoDay(new Date(today.getTime() + MAX_ACKNOWLEDGEMENT_DAYS * 86_400_000));
  const seen = new Set<string>();
  for (const entry of entries) {
    const name = describeEntry(entry);
    if (!entry.rule?.trim()) problems.push(`${name}: rule is required`);
    const prefix = NAG_PACK_PREFIX[entry.layer];
    if (prefix && !entry.rule.startsWith(prefix)) {
      problems.push(`${name}: a ${entry.layer} rule starts with "${prefix}"`);
    }
    if (entry.layer === 'tap' && !/^TAP-[A-Z]+-\d+$/.test(entry.rule)) {
      problems.push(`${name}: a project rule ID looks like TAP-<AREA>-<n>`);
    }
    if (entry.disable) {
      if (entry.layer !== 'control-tower') problems.push(`${name}: only Control Tower rules can be disabled`);
      if (entry.path !== '*')
        problems.push(`${name}: a disabled rule has path '*' (it applies to the whole app)`);
      if (!/^ct-[a-z0-9]+-pr-\d+$/.test(entry.rule)) {
        problems.push(`${name}: a disabled Control Tower rule is named by its file, e.g. ct-s3-pr-4`);
      }
    } else if (!entry.path?.trim() || entry.path === '*' || entry.path.startsWith('/')) {
      problems.push(
        `${name}: path must name a construct inside the stack (no bare rule ID stack-wide); got "${entry.path}"`,
      );
    }
    if (!entry.reason || entry.reason.trim().length < 40) {
      problems.push(`${name}: reason is required and must explain the decision (40+ characters)`);
    }
    if (!entry.owner || !/^[a-z][a-z0-9-]{2,}$/.test(entry.owner)) {
      problems.push(`${name}: owner is required (a team handle such as platform-team)`);
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(entry.expires ?? '') || isNaN(Date.parse(`${entry.expires}T00:00:00Z`))) {
      problems.push(`${name}: expires must be a date YYYY-MM-DD; got "${entry.expires}"`);
    } else if (entry.expires > maxDay) {
      problems.push(`${name}: expires ${entry.expires} is more than ${MAX_ACKNOWLEDGEMENT_DAYS} days ahead`);
    }
    for (const profile of entry.profiles ?? ['*']) {
      const key = `${entry.layer}|${entry.rule}|${entry.path}|${profile}`;
      if (seen.has(key)) problems.push(`${name}: duplicate entry`);
      seen.add(key);
    }
  }
  return problems;
}

/** Entries that apply to a profile. */
export function entriesFor(entries: readonly RegisterEntry[], profile: ProfileName): RegisterEntry[] {
  return entries.filter((e) => !e.profiles || e.profiles.includes(profile));
}

/**
 * The acknowledgement ID of an entry as CDK records it in `suppressedViolations` (`<namespace>::<rule>`); for
 * cfn-lint, the ID the lint wrapper reports.
 */
export function acknowledgementId(entry: RegisterEntry): string {
  if (entry.layer === 'tap') return tapAcknowledgementId(entry.rule);
  return `${layer(entry.layer).namespace}::${entry.rule}`;
}

/** The construct at `path` (relative to the stack), if it exists. */
export function findConstruct(stack: Stack, path: string): IConstruct | undefined {
  let current: IConstruct | undefined = stack;
  for (const id of path.split('/')) {
    current = current?.node.tryFindChild(id);
    if (!current) return undefined;
  }
  return current;
}

/**
 * Records the entries that apply to `profile` on their constructs with `Validations.acknowledge`. Expired
 * entries and entries whose construct does not exist are skipped here and reported by TAP-EXC-1 / TAP-EXC-2;
 * disabled rules are applied by the Control Tower plugin and cfn-lint entries by the lint wrapper.
 */
export function applyAcknowledgements(
  stack: Stack,
  entries: readonly RegisterEntry[],
  profile: ProfileName,
  today: Date,
): void {
  for (const entry of entriesFor(entriesForStack(entries, stack), profile)) {
    if (entry.disable || entry.layer === 'cfn-lint' || isExpired(entry, today)) continue;
    const target = findConstruct(stack, entry.path);
    if (!target) continue;
    Validations.of(target).acknowledge({ id: acknowledgementId(entry), reason: entry.reason });
  }
}

/**
 * Which stack of the app a stack is: the governance stack (marked by its constructor) or the platform stack.
 * Register entries apply to the stack their `stack` field names.
 */
export function stackKindOf(stack: Stack): NonNullable<RegisterEntry['stack']> {
  return (stack as unknown as Record<symbol, unknown>)[Symbol.for('orderbroker.governance-stack')] === true
    ? 'governance'
    : 'platform';
}

/** The entries that name a construct of `stack` (by its kind, see {@link stackKindOf}). */
export function entriesForStack(entries: readonly RegisterEntry[], stack: Stack): RegisterEntry[] {
  const kind = stackKindOf(stack);
  return entries.filter((e) => (e.stack ?? 'platform') === kind);
}

/**
 * The Guard rule names (Control Tower and project Guard layers) the register acknowledges on some construct of the
 * platform stack for a profile on `today`: at deploy time they cannot block (see lib/governance/guard-rule-set.ts).
 */
export function acknowledgedGuardRules(
  entries: readonly RegisterEntry[],
  profile: ProfileName,
  today: Date,
): Set<string> {
  return new Set(
    entriesFor(entries, profile)
      .filter(
        (e) =>
          (e.layer === 'control-tower' || e.layer === 'tap-guard') &&
          !e.disable &&
          (e.stack ?? 'platform') === 'platform' &&
          !isExpired(e, today),
      )
      .map((e) => e.rule),
  );
}

/** The Control Tower rules (file names) disabled for a profile on `today`. */
export function disabledControlTowerRules(
  entries: readonly RegisterEntry[],
  profile: ProfileName,
  today: Date,
): string[] {
  return entriesFor(entries, profile)
    .filter((e) => e.disable && !isExpired(e, today))
    .map((e) => e.rule);
}

/** One row of the register as data, for the reports generator and the lint wrapper. */
export interface RegisterRow {
  readonly kind: 'acknowledgement' | 'exemption' | 'disabled-rule';
  readonly layer: LayerId;
  /** `pluginName` of the layer in the validation report. */
  readonly pluginName: string;
  readonly rule: string;
  /** The ID in `suppressedViolations[].acknowledgedId` (or the lint wrapper's output). */
  readonly acknowledgedId: string;
  /** Full construct path (`OrderBroker-dev/...`), as in `suppressedViolations[].acknowledgedAt`; `*` for a disabled rule. */
  readonly constructPath: string;
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
  readonly controls: readonly string[];
}

/**
 * The register for one deployment as plain data, sorted (layer, rule, path): what the reports show as
 * acknowledgements, exemptions and disabled rules. Join with the validation report on
 * (`acknowledgedId`, `constructPath`) = (`acknowledgedId`, `acknowledgedAt`).
 */
export function listRegister(options: {
  readonly profile: ProfileName;
  readonly stackName: string;
  readonly entries?: readonly RegisterEntry[];
}): RegisterRow[] {
  const rows = entriesFor(options.entries ?? REGISTER, options.profile).map((e): RegisterRow => ({
    kind: e.disable ? 'disabled-rule' : e.layer === 'tap' ? 'exemption' : 'acknowledgement',
    layer: e.layer,
    pluginName: layer(e.layer).pluginName,
    rule: e.rule,
    acknowledgedId: acknowledgementId(e),
    constructPath: e.disable ? '*' : `${options.stackName}/${e.path}`,
    reason: e.reason,
    owner: e.owner,
    expires: e.expires,
    controls: [...(e.controls ?? [])],
  }));
  // Report order, by code unit (independent of the machine's locale).
  const byCodeUnit = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return rows.sort(
    (a, b) =>
      layerOrder(a.layer) - layerOrder(b.layer) ||
      byCodeUnit(a.rule, b.rule) ||
      byCodeUnit(a.constructPath, b.constructPath),
  );
}
