import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { OrdersDatabaseConfig } from '../config/types';

/** Port of a created `orders` cluster (the Aurora PostgreSQL default, set explicitly so rules can read it). */
export const POSTGRES_PORT = 5432;

/** Properties of {@link OrdersDatabase}. */
export interface OrdersDatabaseProps {
  /** Create the cluster, or import an existing one. */
  readonly database: OrdersDatabaseConfig;
  readonly vpc: ec2.IVpc;
  /** Subnets of a created cluster (isolated). */
  readonly subnets: ec2.SubnetSelection;
  /** Storage and Performance Insights key of a created cluster. */
  readonly dataKey: kms.IKey;
  /** Identifier of a created cluster, e.g. `orders-dev`. */
  readonly clusterIdentifier: string;
  /** Database created in a new cluster. */
  readonly databaseName: string;
  /** Key of the exported PostgreSQL log group. */
  readonly logsKey: kms.IKey;
  /** Retention of the exported PostgreSQL logs. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * The `orders` Aurora PostgreSQL cluster.
 *
 * The service authenticates with IAM database authentication (no password in the task); the master
 * password is generated and rotated by RDS in Secrets Manager. A created cluster is encrypted with the data
 * key, deletion-protected, backed up, and snapshotted when removed from the stack.
 */
export class OrdersDatabase extends Construct {
  public readonly cluster: rds.IDatabaseCluster;
  /**
   * The port the cluster listens on, as a literal: security-group rules built from it can be evaluated by
   * policy checks (the cluster's own `connections.defaultPort` is a CloudFormation attribute).
   */
  public readonly port: number;
  /** The exported PostgreSQL log group (created cluster only). */
  public readonly logGroup?: logs.LogGroup;
  /**
   * The RDS-managed master user secret (created cluster only; AWS managed key `aws/secretsmanager`): what the
   * database bootstrap reads to create the service user.
   */
  public readonly masterSecret?: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: OrdersDatabaseProps) {
    super(scope, id);
    const cfg = props.database;

    if (cfg.mode === 'import') {
      this.port = cfg.port;
      this.cluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(this, 'Cluster', {
        clusterIdentifier: cfg.clusterIdentifier,
        clusterResourceIdentifier: cfg.clusterResourceId,
        clusterEndpointAddress: cfg.endpoint,
        port: cfg.port,
        securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(this, 'SecurityGroup', cfg.securityGroupId)],
      });
      return;
    }

    this.port = POSTGRES_PORT;
    // Created ahead of the cluster so RDS writes into an encrypted, retained group with our retention
    // (cloudwatchLogsRetention would add a Lambda-backed custom resource and an unencrypted group).
    this.logGroup = new logs.LogGroup(this, 'PostgresLogGroup', {
      logGroupName: `/aws/rds/cluster/${props.clusterIdentifier}/postgresql`,
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    // The database initiates nothing: no egress at all (TAP-NET-5). Its ingress is the allow-list of TAP-NET-4.
    const securityGroup = new ec2.SecurityGroup(this, 'ClusterSecurityGroup', {
      vpc: props.vpc,
      description: 'orders database: PostgreSQL from the allow-listed groups only, no egress',
      allowAllOutbound: false,
    });
    const instanceType = new ec2.InstanceType(cfg.instanceClass);
    const instanceProps = {
      instanceType,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: props.dataKey,
      autoMinorVersionUpgrade: true,
      publiclyAccessible: false,
    };
    const cluster = new rds.DatabaseCluster(this, 'Cluster', {
      clusterIdentifier: props.clusterIdentifier,
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_17_9 }),
      credentials: rds.Credentials.fromUsername('orders_admin'),
      manageMasterUserPassword: true,
      defaultDatabaseName: props.databaseName,
      port: POSTGRES_PORT,
      writer: rds.ClusterInstance.provisioned('Writer', instanceProps),
      readers: Array.from({ length: cfg.readers }, (_, i) =>
        rds.ClusterInstance.provisioned(`Reader${i + 1}`, instanceProps),
      ),
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [securityGroup],
      iamAuthentication: true,
      storageEncrypted: true,
      storageEncryptionKey: props.dataKey,
      deletionProtection: true,
      copyTagsToSnapshot: true,
      backup: { retention: Duration.days(cfg.backupRetentionDays), preferredWindow: '07:00-08:00' },
      // 07:00-08:00 UTC is 02:00-04:00 in New York: outside every trading session.
      preferredMaintenanceWindow: 'sun:08:00-sun:09:00',
      cloudwatchLogsExports: ['postgresql'],
      monitoringInterval: Duration.seconds(60),
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    this.cluster = cluster;
    this.cluster.node.addDependency(this.logGroup);
    this.masterSecret = cluster.secret;
  }
}
