import type { ProfileName } from '../../config/types';
import type { LayerId } from '../layers';
import type { Binding, LibraryAcknowledgement, RegisterEntry } from './types';

/**
 * THE register of every accepted finding, as data: acknowledgements of cdk-nag, Guard and lint findings,
 * exemptions from our own TAP rules, and disabled Control Tower rules. Nothing is suppressed anywhere else: an
 * acknowledgement recorded outside this file fails synthesis (TAP-EXC-4). How to add, renew and retire an entry:
 * docs/register.md. The security team reviews every change to this file (.github/CODEOWNERS).
 *
 * The engine that validates and applies these entries is ./engine.ts; the entry shape is ./types.ts.
 */

/**
 * Acknowledgements aws-cdk-lib records by itself on its own constructs, outside the register: they answer
 * quirks of the library's templates for the bundled CloudFormation Validate linter. Listed (with the library's
 * reason) so the reports can show them and so the test that every acknowledgement comes from the register
 * fails when the library starts acknowledging something new in this app.
 */
export const LIBRARY_ACKNOWLEDGEMENTS: readonly LibraryAcknowledgement[] = [
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

/** The only E3002 message acknowledged on listeners and the scalable target (cfn-lint's schemas lag on Tags). */
export const CFN_LINT_TAGS_MESSAGE = "Additional properties are not allowed ('Tags' was unexpected)";

const OWNERS = {
  platform: 'platform-team',
  security: 'security-engineering',
  data: 'data-platform',
} as const;

/**
 * The approval every entry present before approvals were recorded carries: the register review of issue 11,
 * by the security team. Each entry's next renewal replaces it with the reviewer's handle and the ticket.
 */
const BASELINE_REVIEW = { approvedBy: 'security-engineering', reference: 'ISSUE-11' } as const;

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
/** The dev listeners that serve HTTP, and their port. */
const HTTP_DEV_LISTENERS: Readonly<Record<string, number>> = {
  'Platform/LoadBalancing/Alb/ProductionListener': 80,
  'Platform/LoadBalancing/Alb/TestListener': 9090,
};
const PUBLIC_ROUTES = [1, 2, 3].map((n) => `Network/Vpc/publicSubnet${n}/DefaultRoute`);
/** Each CDK DefaultPolicy and the logical ID of the one role it may be attached to. */
const CDK_DEFAULT_POLICIES: Readonly<Record<string, string>> = {
  'Network/Vpc/FlowLog/IAMRole/DefaultPolicy': 'NetworkVpcFlowLogIAMRole654CF7A1',
  'Platform/TaskRole/Role/DefaultPolicy': 'PlatformTaskRole0953C230',
  'Platform/TaskDefinitions/ExecutionRole/DefaultPolicy': 'PlatformTaskDefinitionsExecutionRoleF995B1C3',
  'Platform/ValidationHook/Role/DefaultPolicy': 'PlatformValidationHookRole22FD8262',
  'Platform/BlueGreen/DeploymentGroup/ServiceRole/DefaultPolicy':
    'PlatformBlueGreenDeploymentGroupServiceRole4EE8F554',
  'Platform/DbBootstrap/Role/DefaultPolicy': 'PlatformDbBootstrapRoleAC01701E',
  'Platform/DbBootstrap/ProviderRole/DefaultPolicy': 'PlatformDbBootstrapProviderRole9F686A69',
};

/** The actions the execution role's policy may hold (the only `Resource: '*'` one is ecr:GetAuthorizationToken). */
const EXECUTION_ROLE_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:GetAuthorizationToken',
  'ecr:GetDownloadUrlForLayer',
  'logs:CreateLogStream',
  'logs:PutLogEvents',
];
/** The actions the validation hook's policy may hold. */
const HOOK_ROLE_ACTIONS = [
  'codedeploy:PutLifecycleEventHookExecutionStatus',
  'ec2:AssignPrivateIpAddresses',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:UnassignPrivateIpAddresses',
  'logs:CreateLogStream',
  'logs:PutLogEvents',
];
/** The environment variable names of the OrderBroker container: no secret among them (AwsSolutions-ECS2). */
const CONTAINER_ENVIRONMENT = [
  'TRADES_STREAM_NAME',
  'ORDERS_DB_HOST',
  'ORDERS_DB_PORT',
  'ORDERS_DB_NAME',
  'ORDERS_DB_USER',
  'ORDERS_DB_IAM_AUTH',
  'JAVA_TOOL_OPTIONS',
  'METRICS_NAMESPACE',
  'METRICS_ENVIRONMENT',
  'ORDERBROKER_ARCHITECTURE',
];
/**
 * Approved fingerprints (engine `fingerprintOf`). A change to the fingerprinted values blocks synth (TAP-EXC-3) and
 * the gate prints the new fingerprint; paste it here only with a renewed approval.
 */
const FP = {
  codeDeployManagedPolicies: 'e079b4a098001a1d2072c70534603fbe1e9cc212a4edaf50fa7030441cd322ac',
  monitoringManagedPolicies: 'd5af32d4ea8dd9e2781679ed86cd3304fbf126b38beaab2a7beb0a50fbc540cf',
};

/** The role may be assumed only by these services. */
function trustedServices(...services: string[]): Binding {
  return {
    kind: 'values',
    property: 'AssumeRolePolicyDocument.Statement[*].Principal.Service',
    values: services,
  };
}

/** The policy may hold only these actions. */
function policyActions(actions: readonly string[]): Binding {
  return { kind: 'values', property: 'PolicyDocument.Statement[*].Action', values: actions };
}
const HOOK = 'Platform/ValidationHook';
const DB_BOOTSTRAP = 'Platform/DbBootstrap';
/** The actions the database bootstrap function's policy may hold. */
const DB_BOOTSTRAP_ROLE_ACTIONS = [
  'ec2:AssignPrivateIpAddresses',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:UnassignPrivateIpAddresses',
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'secretsmanager:GetSecretValue',
];
/** The entries added with the database bootstrap (issue 10), reviewed by the security team. */
const DB_BOOTSTRAP_REVIEW = { approvedBy: 'security-engineering', reference: 'ISSUE-10' } as const;

/** Every accepted finding of the platform. Keep entries grouped by resource, reasons concrete. */
export const REGISTER: readonly RegisterEntry[] = [
  // --- IAM ---------------------------------------------------------------------------------------------
  {
    layer: 'cdk-nag-aws-solutions',
    rule: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSCodeDeployRoleForECS]',
    path: 'Platform/BlueGreen/DeploymentGroup/ServiceRole',
    accepts: [
      trustedServices('codedeploy.amazonaws.com'),
      { kind: 'fingerprint', properties: ['ManagedPolicyArns'], sha256: FP.codeDeployManagedPolicies },
    ],
    reason:
      'CodeDeploy ECS blue/green service role. AWSCodeDeployRoleForECS is the AWS-maintained policy for this service; the role trusts only codedeploy.amazonaws.com and is on the TAP-IAM-3 allow-list. A hand-scoped copy would break when CodeDeploy adds API calls during a market-hours deployment.',
    owner: OWNERS.platform,
    ...BASELINE_REVIEW,
    expires: '2027-05-31',
    controls: ['NIST AC-6'],
  },
  {
    layer: 'cdk-nag-aws-solutions',
    rule: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
    path: 'OrdersDatabase/Cluster/MonitoringRole',
    accepts: [
      trustedServices('monitoring.rds.amazonaws.com'),
      { kind: 'fingerprint', properties: ['ManagedPolicyArns'], sha256: FP.monitoringManagedPolicies },
    ],
    reason:
      'RDS Enhanced Monitoring role. AmazonRDSEnhancedMonitoringRole only writes to the RDSOSMetrics log group; the role trusts only monitoring.rds.amazonaws.com and is on the TAP-IAM-3 allow-list.',
    owner: OWNERS.data,
    ...BASELINE_REVIEW,
    expires: '2027-05-31',
    controls: ['NIST AC-6'],
  },
  {
    layer: 'cdk-nag-aws-solutions',
    rule: 'AwsSolutions-IAM5[Resource::*]',
    path: 'Platform/TaskDefinitions/ExecutionRole/DefaultPolicy',
    accepts: [policyActions(EXECUTION_ROLE_ACTIONS)],
    reason:
      "The only Resource '*' statement of the execution role is ecr:GetAuthorizationToken, which has no resource-level permissions (TAP-IAM-2 enforces that list). Image pulls and log writes are scoped to the repository and the log group.",
    owner: OWNERS.platform,
    ...BASELINE_REVIEW,
    expires: '2027-05-31',
    controls: ['NIST AC-6'],
  },
  {
    layer: 'cdk-nag-aws-solutions',
    rule: 'AwsSolutions-IAM5[Resource::*]',
    path: `${HOOK}/Role/DefaultPolicy`,
    accepts: [policyActions(HOOK_ROLE_ACTIONS)],
    reason:
      "Validation hook in the VPC: the only Resource '*' statement is ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets, which have no resource-level permissions (TAP-IAM-2 enforces that list). ENI creation is scoped to the hook's subnets and security group; the CodeDeploy verdict to its deployment group.",
    owner: OWNERS.platform,
    ...BASELINE_REVIEW,
    expires: '2027-05-31',
    controls: ['NIST AC-6'],
  },
  {
    layer: 'cdk-nag-aws-solutions',
    rule: 'AwsSolutions-IAM5[Resource::arn:aws:ec2:us-east-2:<AWS::AccountId>:network-interface/*]',
    path: `${HOOK}/Role/DefaultPolicy`,
    accepts: [policyActions(HOOK_ROLE_ACTIONS)],
    reason:
      'Lambda in a VPC creates, attaches and deletes its own network interfaces, whose IDs do not exist before the function runs: the statement is limited to network-interface/* of this account and region (AWSLambdaVPCAccessExecutionRole allows "*").',
    owner: OWNERS.platform,
    ...BASELINE_REVIEW,
    expires: '2027-05-31',
    controls: ['NIST AC-6'],
  },
  {
    layer: 'cdk-nag-aws-solutions',
    rule: 'AwsSolutions-IAM5[Resource::*]',
    path: `${DB_BOOTSTRAP}/Role/DefaultPolicy`,
    accepts: [policyActions(DB_BOOTSTRAP_ROLE_ACTIONS)],
    reason:
      "Database bootstrap function in the VPC: the only Resource '*' statement is ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets, which have no resource-level permissions (TAP-IAM-2 enforces that list). ENI creation is scoped to its subnets and security group; secretsmanager:GetSecretValue to the cluster's master secret.",
    owner: OWNERS.data,
    ...DB_BOOTSTRAP_REVIEW,
    expires: '2027-05-31',
    controls: ['NIST AC-6'],
  },
  {
    layer: 'cdk-nag-aws-solutions',
    rule: 'AwsSolutions-IAM5[Resource::arn:aws:ec2:us-east-2:<AWS::AccountId>:network-interface/*]',
    path: `${DB_BOOTSTRAP}/Role/DefaultPolicy`,
    accepts: [policyActions(DB_BOOTSTRAP_ROLE_ACTIONS)],
    reason:
      'Lambda in a VPC creates, attaches and deletes its own network interfaces, whose IDs do not exist before the function runs: the statement is limited to network-interface/* of this account and region (AWSLambdaVPCAccessExecutionRole allows "*").',
    owner: OWNERS.data,
    ...DB_BOOTSTRAP_REVIEW,
    expires: '2027-05-31',
    controls: ['NIST AC-6'],
  },
  {
    layer: 'cdk-nag-aws-solutions',
    rule: 'AwsSolutions-IAM5[Resource::<PlatformDbBootstrapFunction7CA74003.Arn>:*]',
    path: `${DB_BOOTSTRAP}/ProviderRole/DefaultPolicy`,
    accepts: [
      policyActions([
        'lambda:GetFunction',
        'lambda:InvokeFunction',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ]),
    ],
    reason:
      "The provider framework's grantInvoke on the bootstrap handler: lambda:InvokeFunction on that one function and its qualified versions and aliases (the ARN followed by :*), nothing else; lambda:GetFunction on the same function only.",
    owner: OWNERS.data,
    ...DB_BOOTSTRAP_REVIEW,
    expires: '2027-05-31',
    controls: ['NIST AC-6'],
  },
  ...forPacks(
    [
      ['cdk-nag-nist-800-53-r5', 'NIST.800.53.R5-LambdaInsideVPC'],
      ['cdk-nag-pci-dss-321', 'PCI.DSS.321-LambdaInsideVPC'],
      ['control-tower', 'lambda_inside_vpc_check'],
    ],
    {
      path: `${DB_BOOTSTRAP}/Provider/framework-onEvent`,
      reason:
        "aws-cdk-lib's custom-resource provider framework for the database bootstrap: it runs only during deployments, invokes the bootstrap handler (which is in the VPC, in its own security group) and posts the result to CloudFormation's pre-signed S3 URL. It reads no secret and reaches no database; in the VPC it would need a route to the Lambda API and S3.",
      owner: OWNERS.data,
      ...DB_BOOTSTRAP_REVIEW,
      expires: '2027-05-31',
      controls: ['CT.LAMBDA.PR.3', 'NIST SC-7', 'PCI DSS 1.3'],
    },
  ),
  ...forPaths([`${DB_BOOTSTRAP}/Function`, `${DB_BOOTSTRAP}/Provider/framework-onEvent`], (path) => [
    {
      layer: 'cdk-nag-nist-800-53-r5',
      rule: 'NIST.800.53.R5-LambdaDLQ',
      path,
      reason:
        'Custom-resource functions of the database bootstrap: the provider framework invokes the handler synchronously and answers CloudFormation itself; a handler error becomes a FAILED response with its reason and the stack rolls back. A DLQ would hold an event for a deployment that has already failed.',
      owner: OWNERS.data,
      ...DB_BOOTSTRAP_REVIEW,
      expires: '2027-05-31',
      controls: ['NIST SI-2'],
    },
    {
      layer: 'cdk-nag-nist-800-53-r5',
      rule: 'NIST.800.53.R5-LambdaConcurrency',
      path,
      reason:
        'Runs once per stack create/update of the bootstrap resource, never on the order path. Reserved concurrency fails to create in accounts whose Lambda quota is the starting 10 (it must leave 10 unreserved), so none is set.',
      owner: OWNERS.data,
      ...DB_BOOTSTRAP_REVIEW,
      expires: '2027-05-31',
      controls: ['NIST SC-6'],
    },
  ]),
  {
    layer: 'cfn-lint',
    rule: 'W3005',
    path: `${DB_BOOTSTRAP}/Resource`,
    reason:
      'The bootstrap custom resource depends on the whole orders cluster construct on purpose: besides the cluster it references (GetAtt Endpoint.Address, MasterUserSecret.SecretArn), that makes it wait for the writer DB instance and the security-group rules, without which the handler cannot connect. The duplicate DependsOn on the cluster itself is redundant but harmless.',
    owner: OWNERS.data,
    ...DB_BOOTSTRAP_REVIEW,
    expires: '2027-05-31',
  },
  ...forPaths(Object.keys(CDK_DEFAULT_POLICIES), (path) =>
    forPacks(
      [
        ['cdk-nag-nist-800-53-r5', 'NIST.800.53.R5-IAMNoInlinePolicy'],
        ['cdk-nag-pci-dss-321', 'PCI.DSS.321-IAMNoInlinePolicy'],
      ],
      {
        path,
        accepts: [
          { kind: 'values', property: 'Roles[*].Ref', values: [CDK_DEFAULT_POLICIES[path]] },
          { kind: 'values', property: 'Users', values: [] },
          { kind: 'values', property: 'Groups', values: [] },
        ],
        reason:
          'CDK renders the grants of one role as an AWS::IAM::Policy attached to that role only (its DefaultPolicy): it cannot drift onto other principals, every statement is scoped to named resources, and TAP-IAM-1/2/4 check each one. A customer managed policy would add a separately attachable object without narrowing anything.',
        owner: OWNERS.security,
        ...BASELINE_REVIEW,
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
        accepts: [{ kind: 'values', property: 'GatewayId.Ref', values: ['NetworkVpcIGW6BEA7B02'] }],
        reason:
          'Default route of a public subnet: the public subnets hold only the NAT gateways (no tasks, no load balancer, MapPublicIpOnLaunch false), and NAT needs this route to the internet gateway. Tasks and the ALB are in private subnets without it.',
        owner: OWNERS.platform,
        ...BASELINE_REVIEW,
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
    ...BASELINE_REVIEW,
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
      accepts: [{ kind: 'values', property: 'Scheme', values: ['internal'] }],
      reason:
        'The ALB is internal (Scheme internal, private subnets) and admits only clientCidr and the deployment-validation group (TAP-NET-1/2); PCI DSS 6.6 requires a WAF for public-facing applications. Revisit if the ALB is ever exposed.',
      owner: OWNERS.security,
      ...BASELINE_REVIEW,
      expires: '2027-05-31',
      controls: ['NIST AC-4(21)', 'PCI DSS 6.6'],
    },
  ),
  ...forPaths(Object.keys(HTTP_DEV_LISTENERS), (path) =>
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
        accepts: [
          { kind: 'values', property: 'Protocol', values: ['HTTP'] },
          { kind: 'values', property: 'Port', values: [HTTP_DEV_LISTENERS[path]] },
          { kind: 'values', property: 'DefaultActions[*].Type', values: ['forward'] },
        ],
        reason:
          'dev only: the dev profile has no TLS certificate (no domain), so its internal listeners serve HTTP to clientCidr inside the VPC; dev carries no customer orders. prod serves HTTPS 443/9090 with the ACM certificate and port 80 only redirects (configuration refuses prod without certificateArn).',
        owner: OWNERS.platform,
        ...BASELINE_REVIEW,
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
      accepts: [
        { kind: 'values', property: 'DefaultActions[*].Type', values: ['redirect'] },
        { kind: 'values', property: 'DefaultActions[*].RedirectConfig.Protocol', values: ['HTTPS'] },
      ],
      reason:
        'The port 80 listener only answers with a permanent redirect to HTTPS 443 (Control Tower CT.ELB.PR.1 requires that redirect); it forwards nothing, and a plain-HTTP listener cannot hold a certificate.',
      owner: OWNERS.security,
      ...BASELINE_REVIEW,
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
      ...BASELINE_REVIEW,
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
      ...BASELINE_REVIEW,
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
      ...BASELINE_REVIEW,
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
    ...BASELINE_REVIEW,
    expires: '2027-05-31',
    controls: ['CT.S3.PR.9'],
  },

  // --- Task definitions ----------------------------------------------------------------------------------
  ...forPaths(['Platform/TaskDefinitions/Arm64', 'Platform/TaskDefinitions/X8664'], (path) => [
    {
      layer: 'cdk-nag-aws-solutions',
      rule: 'AwsSolutions-ECS2',
      path,
      accepts: [
        {
          kind: 'values',
          property: 'ContainerDefinitions[*].Environment[*].Name',
          values: CONTAINER_ENVIRONMENT,
        },
      ],
      reason:
        'The environment holds no secrets: stream name, database endpoint/port/name/user, JVM flags, metrics namespace. The database uses IAM authentication (rds-db:connect), so there is no password to inject from Secrets Manager.',
      owner: OWNERS.platform,
      ...BASELINE_REVIEW,
      expires: '2027-05-31',
      controls: ['NIST IA-5(7)'],
    },
    {
      layer: 'control-tower',
      rule: 'ecs_task_definition_nonroot_user_check',
      path,
      accepts: [
        {
          kind: 'values',
          property: 'ContainerDefinitions[*].Name',
          values: ['orderbroker', 'tmp-permissions'],
        },
        { kind: 'values', property: 'ContainerDefinitions[*].User', values: ['0', '10001:10001'] },
        {
          kind: 'values',
          property: 'ContainerDefinitions[*].EntryPoint[*]',
          values: ['/tmp', '10001:10001', 'chown'],
        },
      ],
      reason:
        'Only the non-essential init container tmp-permissions runs as user 0, and only to run chown 10001:10001 /tmp on the task-scoped bind mount, which Fargate creates root:root 0755 (docs/image-contract.md). It has a read-only root filesystem, every default capability but CHOWN dropped, a 32 MiB limit, and exits before the app container (user 10001, dependsOn SUCCESS) starts.',
      owner: OWNERS.platform,
      approvedBy: 'security-engineering',
      reference: 'ISSUE-10',
      expires: '2027-05-31',
      controls: ['CT.ECS.PR.3'],
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
    ...BASELINE_REVIEW,
    expires: '2027-05-31',
    controls: ['NIST SI-2'],
  },

  {
    layer: 'cdk-nag-nist-800-53-r5',
    rule: 'NIST.800.53.R5-LambdaConcurrency',
    path: `${HOOK}/Function`,
    reason:
      'No reserved concurrency on purpose (issue 10, defect 3): Lambda refuses a reservation that leaves the account fewer than 10 unreserved executions, and a fresh account starts at a quota of 10, so a reservation fails the first create. CodeDeploy invokes the hook once per deployment (one deployment per group at a time); the Throttles alarm notifies the SRE topic if the account pool is ever exhausted. Opt in with the reservedConcurrency prop where the quota allows.',
    owner: OWNERS.platform,
    approvedBy: 'security-engineering',
    reference: 'ISSUE-10',
    expires: '2027-05-31',
    controls: ['NIST SC-6'],
  },

  // --- Governance stack (OrderBrokerGovernance-<profile>): the Guard Hooks' report bucket ------------------
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
      approvedBy: 'security-engineering',
      reference: 'ISSUE-12',
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
      approvedBy: 'security-engineering',
      reference: 'ISSUE-12',
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
    approvedBy: 'security-engineering',
    reference: 'ISSUE-12',
    expires: '2027-05-31',
    controls: ['CT.S3.PR.9'],
  },
  {
    layer: 'cdk-nag-aws-solutions',
    rule: 'AwsSolutions-IAM5[Resource::<Reports65402A0A.Arn>/*]',
    stack: 'governance',
    path: 'HookExecutionPolicy',
    accepts: [
      policyActions([
        'kms:Decrypt',
        'kms:GenerateDataKey',
        's3:GetObject',
        's3:GetObjectVersion',
        's3:ListBucket',
        's3:PutObject',
      ]),
    ],
    reason:
      'The Guard Hook chooses the object keys of its reports, so its role may PutObject anywhere in its own report bucket (this bucket only, no read, no delete); the KMS statement names the one key and requires kms:ViaService s3.',
    owner: OWNERS.security,
    approvedBy: 'security-engineering',
    reference: 'ISSUE-12',
    expires: '2027-05-31',
    controls: ['NIST AC-6'],
  },

  // --- StackSet stack (OrderBrokerGovernance-<profile>-StackSet): the organization's rule-bundle bucket -------
  ...forPacks(
    [
      ['cdk-nag-aws-solutions', 'AwsSolutions-S1'],
      ['cdk-nag-nist-800-53-r5', 'NIST.800.53.R5-S3BucketLoggingEnabled'],
      ['cdk-nag-pci-dss-321', 'PCI.DSS.321-S3BucketLoggingEnabled'],
      ['control-tower', 's3_bucket_logging_enabled_check'],
    ],
    {
      stack: 'governance-stackset',
      path: 'RuleBundles',
      reason:
        'The rule-bundle bucket holds the public text of the project Guard rules, written once per rule set by the runbook and read by the member hooks: CloudTrail records the writes, EventBridge gets every object event (notification configuration), Object Lock (governance, 365 days) and versioning keep a published bundle immutable. Server access logs would need a log bucket that is itself unlogged.',
      owner: OWNERS.security,
      approvedBy: 'security-engineering',
      reference: 'ISSUE-12',
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
      stack: 'governance-stackset',
      path: 'RuleBundles',
      reason:
        'A rule bundle is reproducible from the repository (cdk synth builds the same content-addressed zip), so a lost bucket is rebuilt by re-running the runbook; the bucket and its objects are retained on stack deletion and Object Lock prevents early deletion. Replication adds a second bucket to secure for no recovery objective.',
      owner: OWNERS.security,
      approvedBy: 'security-engineering',
      reference: 'ISSUE-12',
      expires: '2027-05-31',
      controls: ['NIST CP-9', 'PCI DSS 10.5.3'],
    },
  ),
  ...forPacks(
    [
      ['cdk-nag-nist-800-53-r5', 'NIST.800.53.R5-S3DefaultEncryptionKMS'],
      ['cdk-nag-pci-dss-321', 'PCI.DSS.321-S3DefaultEncryptionKMS'],
      ['control-tower', 's3_bucket_default_encryption_kms_check'],
    ],
    {
      stack: 'governance-stackset',
      path: 'RuleBundles',
      accepts: [
        {
          kind: 'values',
          property:
            'BucketEncryption.ServerSideEncryptionConfiguration[*].ServerSideEncryptionByDefault.SSEAlgorithm',
          values: ['AES256'],
        },
      ],
      reason:
        'SSE-S3 (AES256), not KMS: the bundles are the Guard rules of this public repository, no secret. A customer managed key would need a key policy open to every account of the organization and a kms:Decrypt grant in every member role, a cross-account surface with nothing to protect. Integrity comes from Object Lock, versioning and the content-addressed keys.',
      owner: OWNERS.security,
      approvedBy: 'security-engineering',
      reference: 'ISSUE-12',
      expires: '2027-05-31',
      controls: ['NIST SC-28', 'PCI DSS 3.4'],
    },
  ),
  ...forPacks(
    [
      ['tap', 'TAP-IAM-7'],
      ['tap-guard', 'tap_resource_policy_principals'],
    ],
    {
      stack: 'governance-stackset',
      path: 'RuleBundles/Policy',
      accepts: [policyActions(['s3:*', 's3:GetObject', 's3:GetObjectVersion'])],
      reason:
        'Principal "*" is how S3 grants an organization: the only Allow is s3:GetObject/GetObjectVersion on rules/*, conditioned on aws:PrincipalOrgID (the OrganizationId parameter) and on aws:PrincipalArn being the named hook role (OrderBrokerGuardHook-dev-us-east-2 on dev) that every StackSet instance creates; the s3:* statements are the TLS-only denies.',
      owner: OWNERS.security,
      approvedBy: 'security-engineering',
      reference: 'ISSUE-12',
      expires: '2027-05-31',
      controls: ['NIST AC-3', 'NIST AC-6'],
    },
  ),

  // --- Data ----------------------------------------------------------------------------------------------
  {
    layer: 'cdk-nag-aws-solutions',
    rule: 'AwsSolutions-KDS3',
    path: 'TradesStream/Stream',
    accepts: [{ kind: 'values', property: 'StreamEncryption.EncryptionType', values: ['KMS'] }],
    reason:
      'Warning that the stream does not use the AWS managed aws/kinesis key: it deliberately uses the platform customer managed data key (rotation on, key policy we control), which NIST SC-12/PCI 3.6 prefer.',
    owner: OWNERS.data,
    ...BASELINE_REVIEW,
    expires: '2027-05-31',
    controls: ['NIST SC-12'],
  },
  {
    layer: 'cdk-nag-nist-800-53-r5',
    rule: 'NIST.800.53.R5-RDSInBackupPlan',
    path: 'OrdersDatabase/Cluster',
    accepts: [{ kind: 'minimum', property: 'BackupRetentionPeriod', minimum: 7 }],
    reason:
      'The orders cluster is backed up by Aurora continuous backups (point-in-time recovery, 7 days in dev, 35 in prod), with deletion protection and a final snapshot on removal. An AWS Backup plan with a vault in the backup account is planned by the data platform team.',
    owner: OWNERS.data,
    ...BASELINE_REVIEW,
    expires: '2027-02-28',
    controls: ['NIST CP-9'],
  },
  ...forPaths(
    [
      'Network/FlowLogGroup',
      'OrdersDatabase/PostgresLogGroup',
      'Platform/TaskDefinitions/LogGroup',
      `${HOOK}/LogGroup`,
      `${DB_BOOTSTRAP}/LogGroup`,
      `${DB_BOOTSTRAP}/ProviderLogGroup`,
    ],
    (path) => [
      {
        layer: 'control-tower',
        rule: 'cloudwatch_log_group_retention_period_check',
        path,
        profiles: DEV,
        accepts: [{ kind: 'minimum', property: 'RetentionInDays', minimum: 30 }],
        reason:
          'dev only: dev log groups keep 30 days (logRetentionDays) because dev carries no customer orders; prod keeps 400 days, above the one-year minimum of this control.',
        owner: OWNERS.platform,
        ...BASELINE_REVIEW,
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
    message: CFN_LINT_TAGS_MESSAGE,
    reason:
      "cfn-lint 1.51's bundled us-east-2 schema has no Tags on AWS::ElasticLoadBalancingV2::Listener and AWS::ApplicationAutoScaling::ScalableTarget; aws-cdk-lib 2.276 (generated from the current CloudFormation registry) and its bundled CloudFormation Validate both accept them. Re-check when cfn-lint updates its schemas, and on the first deployment.",
    owner: OWNERS.platform,
    ...BASELINE_REVIEW,
    expires: '2027-02-28',
  })),
  {
    layer: 'cfn-lint',
    rule: 'W3010',
    path: 'Network/Vpc',
    reason:
      'Availability zones are pinned to us-east-2a/b/c on purpose: the stack synthesizes offline without AZ lookups and every profile places subnets identically.',
    owner: OWNERS.platform,
    ...BASELINE_REVIEW,
    expires: '2027-05-31',
  },
  ...forPaths(
    [
      'Custom::VpcRestrictDefaultSGCustomResourceProvider/Handler',
      'Platform/BlueGreen/DeploymentGroup',
      `${HOOK}/Function`,
      `${DB_BOOTSTRAP}/Function`,
      `${DB_BOOTSTRAP}/Provider/framework-onEvent`,
    ],
    (path) => [
      {
        layer: 'cfn-lint',
        rule: 'W3005',
        path,
        reason:
          'A DependsOn that duplicates a Ref/GetAtt, generated by aws-cdk-lib itself (custom-resource provider, CodeDeploy deployment group, Lambda function on its role); redundant but harmless for deployment order.',
        owner: OWNERS.platform,
        ...BASELINE_REVIEW,
        expires: '2027-05-31',
      },
    ],
  ),
];
