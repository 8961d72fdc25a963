import { CfnParameter, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { TapConfig } from './config/types';
import { Network, PLATFORM_AZS, S3_PREFIX_LIST_IDS } from './constructs/network';
import { OrdersDatabase } from './constructs/orders-database';
import { PlatformKeys } from './constructs/platform-keys';
import { TradesStream } from './constructs/trades-stream';
import { TARGET_GROUP_COLORS } from './constructs/load-balancing';
import { EcsTradingInfra } from './ecs_trading_infra';
import type { ExchangeCalendar } from './schedule/exchange-calendar';

/**
 * Name of the stack parameter that says which target group is live (`blue` or `green`). CodeDeploy swaps the
 * listeners on every deployment; `npm run stack:deploy` reads them and passes the live color here, so a stack
 * update that re-sends a listener keeps production where it is (aws/aws-cdk#36649).
 */
export const LIVE_TARGET_GROUP_PARAMETER = 'LiveTargetGroup';

/** Properties of {@link TapStack}. */
export interface TapStackProps extends StackProps {
  /** The validated configuration (see `resolveConfig`). */
  readonly config: TapConfig;
  /**
   * Deployment name in every physical name (`orderbroker-<name>`, `orders-<name>`, the hook function, target
   * groups, key aliases). Integration-test stacks set their own so they never collide with the real
   * deployment of the profile or with each other in one account.
   *
   * @default - the profile (`dev`, `prod`)
   */
  readonly environmentName?: string;
  /**
   * Name of a created `trades` stream.
   *
   * @default 'trades'
   */
  readonly tradesStreamName?: string;
  /**
   * The exchange calendar the scaling schedule follows.
   *
   * @default - the weekday schedule only (createApp always passes data/nyse-calendar.json)
   */
  readonly exchangeCalendar?: ExchangeCalendar;
}

/**
 * One OrderBroker deployment in us-east-2: keys, network, the `trades` stream and `orders` database
 * (created or imported), and the trading platform on ECS Fargate.
 */
export class TapStack extends Stack {
  public readonly keys: PlatformKeys;
  public readonly network: Network;
  public readonly tradesStream: TradesStream;
  public readonly ordersDatabase: OrdersDatabase;
  public readonly platform: EcsTradingInfra;

  constructor(scope: Construct, id: string, props: TapStackProps) {
    const { config } = props;
    super(scope, id, {
      ...props,
      env: config.env,
      description: `OrderBroker trading platform (${config.profile}): ECS Fargate, blue/green, predictive scaling`,
      terminationProtection: config.profile === 'prod',
    });
    const environmentName = props.environmentName ?? config.profile;
    const name = `orderbroker-${environmentName}`;
    const logRetention = config.service.logRetentionDays as logs.RetentionDays;

    this.keys = new PlatformKeys(this, 'Keys', { aliasPrefix: name });
    this.network = new Network(this, 'Network', {
      vpc: config.network,
      logsKey: this.keys.logsKey,
      flowLogRetention: logRetention,
    });
    this.tradesStream = new TradesStream(this, 'TradesStream', {
      stream: config.tradesStream,
      streamName: props.tradesStreamName,
      dataKey: this.keys.dataKey,
    });
    this.ordersDatabase = new OrdersDatabase(this, 'OrdersDatabase', {
      database: config.ordersDatabase,
      vpc: this.network.vpc,
      subnets: this.network.dataSubnets,
      clusterIdentifier: `orders-${environmentName}`,
      databaseName: config.dbName,
      dataKey: this.keys.dataKey,
      logsKey: this.keys.logsKey,
      logRetention,
    });

    const liveTargetGroup = new CfnParameter(this, LIVE_TARGET_GROUP_PARAMETER, {
      type: 'String',
      allowedValues: [...TARGET_GROUP_COLORS],
      default: 'blue',
      description:
        'Target group production forwards to now (CodeDeploy swaps them). Set by npm run stack:deploy from the live listeners; never guess it.',
    });

    this.platform = new EcsTradingInfra(this, 'Platform', {
      environmentName,
      vpc: this.network.vpc,
      appSubnets: this.network.appSubnets,
      clientPeer: ec2.Peer.ipv4(config.clientCidr),
      endpointSecurityGroup: this.network.endpointSecurityGroup,
      s3PrefixListId: S3_PREFIX_LIST_IDS[config.env.region],
      tradesStream: this.tradesStream.stream,
      tradesStreamKey: this.tradesStream.encryptionKey,
      ordersDatabase: this.ordersDatabase.cluster,
      ordersDatabasePort: this.ordersDatabase.port,
      ordersDatabaseMasterSecret: this.ordersDatabase.masterSecret,
      dbUser: config.dbUser,
      dbName: config.dbName,
      logsKey: this.keys.logsKey,
      alertsKey: this.keys.alertsKey,
      logRetention,
      certificate: config.loadBalancing.certificateArn
        ? acm.Certificate.fromCertificateArn(this, 'Certificate', config.loadBalancing.certificateArn)
        : undefined,
      serviceHostname: config.loadBalancing.serviceHostname,
      service: config.service,
      capacity: config.capacity,
      schedule: config.schedule,
      exchangeCalendar: props.exchangeCalendar,
      deployment: config.deployment,
      alarmEmail: config.alerting.email,
      liveTargetGroup: liveTargetGroup.valueAsString,
    });
  }

  /**
   * The platform's fixed AZs. Without this override a stack with a concrete account looks its AZs up in AWS
   * at synth time, and `cdk synth -c profile=prod` would need credentials.
   */
  public override get availabilityZones(): string[] {
    return PLATFORM_AZS;
  }
}
