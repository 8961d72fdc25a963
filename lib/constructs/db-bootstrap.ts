import * as path from 'path';
import { Aws, CfnResource, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';
import {
  BOOTSTRAP_ENV,
  BOOTSTRAP_PROPERTIES,
  DEFAULT_CONNECT_TIMEOUT_MS,
} from '../../lambda/db-bootstrap/settings';
import { BOOTSTRAP_SQL_VERSION, validateNames } from '../../lambda/db-bootstrap/sql';

/** Entry of the bootstrap handler. */
export const DB_BOOTSTRAP_ENTRY = path.join(__dirname, '..', '..', 'lambda', 'db-bootstrap', 'index.ts');

/** CloudFormation type of the custom resource. */
export const DB_BOOTSTRAP_RESOURCE_TYPE = 'Custom::OrdersDatabaseBootstrap';

/** Defaults of {@link DbBootstrapProps}. */
export const DB_BOOTSTRAP_DEFAULTS = {
  schema: 'app',
  schemaOwner: 'orders_owner',
  timeoutSeconds: 120,
} as const;

/** Properties of {@link DbBootstrap}. */
export interface DbBootstrapProps {
  readonly vpc: ec2.IVpc;
  /** Subnets the function runs in (the app subnets, which route to the data subnets). */
  readonly subnets: ec2.SubnetSelection;
  /** The created `orders` cluster; the custom resource waits for all of it (writer instance included). */
  readonly database: rds.IDatabaseCluster;
  /** Port of the cluster, as a literal (the ingress rule names it). */
  readonly port: number;
  /** The RDS-managed master user secret of the cluster: the only secret the function may read. */
  readonly masterSecret: secretsmanager.ISecret;
  /**
   * Customer managed key of the master secret; the function may decrypt with it through Secrets Manager only.
   *
   * @default - the secret uses the AWS managed key `aws/secretsmanager` (no key permission needed)
   */
  readonly masterSecretKey?: kms.IKey;
  /** Database the service connects to. */
  readonly databaseName: string;
  /** The service's IAM database user. */
  readonly user: string;
  /**
   * Application schema.
   *
   * @default 'app'
   */
  readonly schema?: string;
  /**
   * Role that owns the schema and runs migrations (created NOLOGIN when missing).
   *
   * @default 'orders_owner'
   */
  readonly schemaOwner?: string;
  /**
   * The Secrets Manager interface endpoint the function reads the secret through. Pass the existing one of an
   * imported VPC that already has it with private DNS.
   *
   * @default - an interface endpoint in `subnets`, open on 443 to the function's security group only
   */
  readonly secretsManagerEndpoint?: ec2.IInterfaceVpcEndpoint;
  /**
   * How long the function tries to connect before it fails the deployment.
   *
   * @default Duration.seconds(10)
   */
  readonly connectTimeout?: Duration;
  /** Key of the function's log groups (the platform logs key). */
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
}

/**
 * Creates the service's IAM-authenticated database user before the service exists: a CloudFormation custom
 * resource (CDK provider framework) whose handler runs in the VPC, reads the RDS-managed master secret, connects
 * to the writer over verified TLS and runs `lambda/db-bootstrap/sql.ts`.
 *
 * Least privilege: the function's security group has no egress but PostgreSQL to the database's group and HTTPS
 * to the Secrets Manager endpoint, and the database's group admits it on the database port only; its role may
 * read that one secret (`secretsmanager:GetSecretValue`), decrypt it through Secrets Manager when the secret has a
 * customer managed key, write its own log group and manage its network interfaces. The provider framework's
 * function (outside the VPC: it only invokes the handler and answers CloudFormation) may invoke the handler and
 * write its own log group.
 *
 * Create and Update are idempotent; Delete leaves the user (see docs/database-bootstrap.md).
 */
export class DbBootstrap extends Construct {
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  public readonly function: nodejs.NodejsFunction;
  public readonly providerRole: iam.Role;
  public readonly providerLogGroup: logs.LogGroup;
  public readonly provider: cr.Provider;
  /** The custom resource; what depends on the user (the ECS service) depends on it. */
  public readonly resource: CustomResource;
  public readonly secretsManagerEndpoint: ec2.IInterfaceVpcEndpoint;

  constructor(scope: Construct, id: string, props: DbBootstrapProps) {
    super(scope, id);
    const names = validateNames({
      database: props.databaseName,
      user: props.user,
      schema: props.schema ?? DB_BOOTSTRAP_DEFAULTS.schema,
      schemaOwner: props.schemaOwner ?? DB_BOOTSTRAP_DEFAULTS.schemaOwner,
    });
    const connectTimeout = props.connectTimeout ?? Duration.millis(DEFAULT_CONNECT_TIMEOUT_MS);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description:
        'OrderBroker database bootstrap: PostgreSQL to the orders cluster, HTTPS to Secrets Manager',
      allowAllOutbound: false,
    });
    // Ingress on the database's group from this group only, on the database port (and the matching egress).
    props.database.connections.allowFrom(
      this.securityGroup,
      ec2.Port.tcp(props.port),
      'OrderBroker database bootstrap',
    );

    this.secretsManagerEndpoint =
      props.secretsManagerEndpoint ??
      new ec2.InterfaceVpcEndpoint(this, 'SecretsManagerEndpoint', {
        vpc: props.vpc,
        service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
        subnets: props.subnets,
        privateDnsEnabled: true,
        open: false,
        // An endpoint only answers (security groups are stateful): its group has no egress (TAP-NET-5).
        securityGroups: [
          new ec2.SecurityGroup(this, 'SecretsManagerEndpointSecurityGroup', {
            vpc: props.vpc,
            description: 'OrderBroker Secrets Manager endpoint: HTTPS from the database bootstrap only',
            allowAllOutbound: false,
          }),
        ],
      });
    this.securityGroup.connections.allowTo(
      this.secretsManagerEndpoint,
      ec2.Port.tcp(443),
      'Database bootstrap: read the master secret',
    );

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.role = new iam.Role(this, 'Role', {
      description: 'OrderBroker database bootstrap: read the master secret, write its logs.',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    this.logGroup.grantWrite(this.role);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadTheClusterMasterSecret',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [props.masterSecret.secretArn],
      }),
    );
    if (props.masterSecretKey) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'DecryptTheMasterSecretThroughSecretsManager',
          actions: ['kms:Decrypt'],
          resources: [props.masterSecretKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` },
          },
        }),
      );
    }
    addVpcNetworkingStatements(
      this.role,
      props.vpc.selectSubnets(props.subnets).subnetIds,
      this.securityGroup,
    );

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      description: 'CloudFormation custom resource: creates the OrderBroker IAM database user and its grants',
      entry: DB_BOOTSTRAP_ENTRY,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(DB_BOOTSTRAP_DEFAULTS.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [this.securityGroup],
      allowPublicSubnet: false,
      environment: {
        [BOOTSTRAP_ENV.logGroupName]: this.logGroup.logGroupName,
        [BOOTSTRAP_ENV.connectTimeoutMs]: String(connectTimeout.toMilliseconds()),
      },
      bundling: {
        forceDockerBundling: false,
        // esbuild's per-bundle size summary is noise in every synth; its warnings and errors still print.
        logLevel: nodejs.LogLevel.WARNING,
        minify: false,
        sourceMap: false,
        target: 'node24',
        format: nodejs.OutputFormat.CJS,
        // The Node.js 24 runtime ships the AWS SDK v3; pg's optional native binding is never loaded.
        externalModules: ['@aws-sdk/*', '@smithy/*', 'pg-native'],
      },
    });
    // The ENI statements must exist before Lambda validates the VPC configuration.
    this.function.node.addDependency(this.role);

    this.providerLogGroup = new logs.LogGroup(this, 'ProviderLogGroup', {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.providerRole = new iam.Role(this, 'ProviderRole', {
      description: 'OrderBroker database bootstrap provider: invoke the bootstrap function, write its logs.',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    this.providerLogGroup.grantWrite(this.providerRole);
    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.function,
      frameworkOnEventRole: this.providerRole,
      logGroup: this.providerLogGroup,
      // The framework logs each event (no secret in it: the properties carry the secret's ARN only) and the answer.
      frameworkLambdaLoggingLevel: lambda.ApplicationLogLevel.INFO,
    });

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.serviceToken,
      resourceType: DB_BOOTSTRAP_RESOURCE_TYPE,
      // The provider always answers (its function catches the handler's error); this bounds even its own crash.
      serviceTimeout: Duration.minutes(10),
      properties: {
        [BOOTSTRAP_PROPERTIES.secretArn]: props.masterSecret.secretArn,
        [BOOTSTRAP_PROPERTIES.host]: props.database.clusterEndpoint.hostname,
        [BOOTSTRAP_PROPERTIES.port]: String(props.port),
        [BOOTSTRAP_PROPERTIES.database]: names.database,
        [BOOTSTRAP_PROPERTIES.user]: names.user,
        [BOOTSTRAP_PROPERTIES.schema]: names.schema,
        [BOOTSTRAP_PROPERTIES.schemaOwner]: names.schemaOwner,
        [BOOTSTRAP_PROPERTIES.sqlVersion]: BOOTSTRAP_SQL_VERSION,
      },
    });
    // The writer instance, the ingress rules and the endpoint must be up before the handler connects. The rules
    // that admit this group on the database's and the endpoint's groups are resources of those groups (not of the
    // cluster or the endpoint construct): depend on each of them.
    this.resource.node.addDependency(
      props.database,
      this.securityGroup,
      this.secretsManagerEndpoint,
      ...this.ingressFromHere([
        ...props.database.connections.securityGroups,
        ...this.secretsManagerEndpoint.connections.securityGroups,
      ]),
    );
  }

  /** The ingress rules on `groups` whose source is this function's security group. */
  private ingressFromHere(groups: readonly ec2.ISecurityGroup[]): ec2.CfnSecurityGroupIngress[] {
    const stack = Stack.of(this);
    const source = JSON.stringify(stack.resolve(this.securityGroup.securityGroupId));
    return groups
      .flatMap((group) => group.node.children)
      .filter(
        (child): child is ec2.CfnSecurityGroupIngress =>
          child instanceof ec2.CfnSecurityGroupIngress &&
          JSON.stringify(stack.resolve(child.sourceSecurityGroupId)) === source,
      );
  }

  /**
   * Makes `dependent` (the ECS service) wait for the user. Only its CloudFormation resource depends on the
   * bootstrap: a construct-wide dependency would also hold the service's security group, which the database's
   * ingress rule references, and close a cycle.
   */
  public addDependent(dependent: IConstruct): void {
    const resource = dependent.node.defaultChild;
    if (!(resource instanceof CfnResource)) {
      throw new Error(
        `${dependent.node.path}: expected a construct with a CloudFormation resource as default child`,
      );
    }
    resource.addResourceDependency(this.resource.node.defaultChild as CfnResource);
  }
}

/**
 * The network-interface permissions of AWSLambdaVPCAccessExecutionRole as inline statements scoped as far as EC2
 * allows (the same scoping as the validation hook's): Describe* needs `*`; creating an interface is limited to the
 * function's subnets and security group; the rest to network interfaces of this account and region.
 */
function addVpcNetworkingStatements(
  role: iam.Role,
  subnetIds: string[],
  securityGroup: ec2.ISecurityGroup,
): void {
  const stack = Stack.of(role);
  const ec2Arn = (resource: string, resourceName: string) =>
    stack.formatArn({ service: 'ec2', resource, resourceName, account: Aws.ACCOUNT_ID });
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'DescribeNetworkInterfacesNoResourceLevelPermissions',
      actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
      resources: ['*'],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'CreateNetworkInterfaceInBootstrapSubnets',
      actions: ['ec2:CreateNetworkInterface'],
      resources: [
        ec2Arn('network-interface', '*'),
        ...subnetIds.map((subnetId) => ec2Arn('subnet', subnetId)),
        ec2Arn('security-group', securityGroup.securityGroupId),
      ],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ManageNetworkInterfacesOfThisAccount',
      actions: [
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ],
      resources: [ec2Arn('network-interface', '*')],
    }),
  );
}
