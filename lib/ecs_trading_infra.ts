import { Annotations, CfnOutput, Duration } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { Architecture, TapConfig } from './config/types';
import { OrderBrokerBlueGreen } from './constructs/blue-green';
import { DbBootstrap } from './constructs/db-bootstrap';
import { OrderBrokerLoadBalancing, TEST_LISTENER_PORT } from './constructs/load-balancing';
import { APP_METRICS, OrderBrokerObservability } from './constructs/observability';
import { OrderBrokerService } from './constructs/order-broker-service';
import { OrderBrokerScaling } from './constructs/scaling';
import type { ExchangeCalendar } from './schedule/exchange-calendar';
import { CONTAINER_NAME, METRICS_NAMESPACE, OrderBrokerTaskDefinitions } from './constructs/task-definitions';
import { OrderBrokerTaskRole } from './constructs/task-role';
import { ValidationHook } from './constructs/validation-hook';
import { S3_PREFIX_LIST_IDS } from './constructs/network';
import { STACK_OUTPUT_KEYS, type StackOutputKey } from './stack-outputs';

/** Properties of {@link EcsTradingInfra}. */
export interface EcsTradingInfraProps {
  /** Deployment name, e.g. `dev`; prefixes physical names (`orderbroker-dev`). */
  readonly environmentName: string;
  readonly vpc: ec2.IVpc;
  /** Subnets of the tasks and the internal ALB (private with egress). */
  readonly appSubnets: ec2.SubnetSelection;
  /** Who may call the production listener. */
  readonly clientPeer: ec2.IPeer;
  /**
   * Security group of the VPC's interface endpoints (ECR, CloudWatch Logs, Kinesis): the tasks' HTTPS egress.
   *
   * @default - HTTPS to the VPC's CIDR (an imported VPC's own endpoints)
   */
  readonly endpointSecurityGroup?: ec2.ISecurityGroup;
  /**
   * The S3 prefix list of the region: image layers reach the tasks through the S3 gateway endpoint.
   *
   * @default - S3_PREFIX_LIST_IDS['us-east-2']
   */
  readonly s3PrefixListId?: string;
  /** The `trades` stream the service writes to. */
  readonly tradesStream: kinesis.IStream;
  /** The stream's customer managed key, if any. */
  readonly tradesStreamKey?: kms.IKey;
  /** The `orders` database the service connects to. */
  readonly ordersDatabase: rds.IDatabaseCluster;
  /**
   * Port of the `orders` database, as a literal, so the tasks' ingress rule on the database's security group
   * names a port that policy checks can evaluate.
   *
   * @default - the database's default port (a CloudFormation attribute for a created cluster)
   */
  readonly ordersDatabasePort?: number;
  /**
   * The RDS-managed master secret of a cluster this stack created: with it (and `ordersDatabasePort`), a custom
   * resource creates the service's IAM database user before the service starts.
   *
   * @default - no bootstrap (an imported cluster): its owners create the user, see docs/database-bootstrap.md
   */
  readonly ordersDatabaseMasterSecret?: secretsmanager.ISecret;
  /** IAM database user and database name the service uses. */
  readonly dbUser: string;
  readonly dbName: string;
  readonly logsKey: kms.IKey;
  readonly alertsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /**
   * Certificate of the HTTPS listeners.
   *
   * @default - HTTP listeners (dev only)
   */
  readonly certificate?: acm.ICertificate;
  /**
   * The DNS name on the certificate that clients use. The validation hook checks green's TLS against it.
   *
   * @default - none (required when `certificate` is set)
   */
  readonly serviceHostname?: string;
  /** Image, architecture, size, port and health path of the service. */
  readonly service: TapConfig['service'];
  readonly capacity: TapConfig['capacity'];
  readonly schedule: TapConfig['schedule'];
  readonly deployment: TapConfig['deployment'];
  /**
   * The target group production forwards to (`blue`, `green`, or the stack parameter that says which is live).
   *
   * @default 'blue'
   */
  readonly liveTargetGroup?: string;
  /**
   * The exchange calendar the scheduled actions follow (holidays, early closes).
   *
   * @default - the weekday schedule only
   */
  readonly exchangeCalendar?: ExchangeCalendar;
  /**
   * E-mail subscribed to the SRE topic.
   *
   * @default - no subscription
   */
  readonly alarmEmail?: string;
}

/**
 * The OrderBroker trading platform on ECS Fargate: load balancing, task definitions for both CPU
 * architectures, the service, smart scaling, CodeDeploy blue/green, observability and the least-privilege
 * task role. Each concern is its own construct; this one only wires them together.
 */
export class EcsTradingInfra extends Construct {
  public readonly taskRole: OrderBrokerTaskRole;
  public readonly taskDefinitions: OrderBrokerTaskDefinitions;
  public readonly loadBalancing: OrderBrokerLoadBalancing;
  public readonly orderBroker: OrderBrokerService;
  public readonly scaling: OrderBrokerScaling;
  public readonly observability: OrderBrokerObservability;
  public readonly blueGreen: OrderBrokerBlueGreen;
  /** The CodeDeploy `AfterAllowTestTraffic` hook that validates green through the test listener. */
  public readonly validationHook: ValidationHook;
  /** The architecture the service runs. */
  public readonly architecture: Architecture;
  /** Creates the service's database user before the service (created database only). */
  public readonly dbBootstrap?: DbBootstrap;

  constructor(scope: Construct, id: string, props: EcsTradingInfraProps) {
    super(scope, id);
    if (props.certificate && !props.serviceHostname) {
      throw new Error(
        `${this.node.path}: serviceHostname is required with a certificate (the validation hook checks green's TLS against it)`,
      );
    }
    const name = `orderbroker-${props.environmentName}`;
    this.architecture = props.service.architecture;

    this.taskRole = new OrderBrokerTaskRole(this, 'TaskRole', {
      tradesStream: props.tradesStream,
      tradesStreamKey: props.tradesStreamKey,
      ordersDatabase: props.ordersDatabase,
      dbUser: props.dbUser,
    });

    this.loadBalancing = new OrderBrokerLoadBalancing(this, 'LoadBalancing', {
      vpc: props.vpc,
      subnets: props.appSubnets,
      clientPeer: props.clientPeer,
      certificate: props.certificate,
      containerPort: props.service.containerPort,
      healthCheckPath: props.service.healthCheckPath,
      namePrefix: `ob-${props.environmentName}`,
      liveTargetGroup: props.liveTargetGroup,
    });

    this.taskDefinitions = new OrderBrokerTaskDefinitions(this, 'TaskDefinitions', {
      familyPrefix: name,
      imageRepository: props.service.imageRepository,
      imageTag: props.service.imageTag,
      cpu: props.service.cpu,
      memoryMiB: props.service.memoryMiB,
      containerPort: props.service.containerPort,
      healthCheckPath: props.service.healthCheckPath,
      taskRole: this.taskRole.role,
      logsKey: props.logsKey,
      logRetention: props.logRetention,
      metricsEnvironment: props.environmentName,
      environment: {
        TRADES_STREAM_NAME: props.tradesStream.streamName,
        ORDERS_DB_HOST: props.ordersDatabase.clusterEndpoint.hostname,
        ORDERS_DB_PORT: String(props.ordersDatabase.clusterEndpoint.port),
        ORDERS_DB_NAME: props.dbName,
        ORDERS_DB_USER: props.dbUser,
        ORDERS_DB_IAM_AUTH: 'true',
      },
    });

    this.orderBroker = new OrderBrokerService(this, 'OrderBroker', {
      vpc: props.vpc,
      subnets: props.appSubnets,
      clusterName: name,
      serviceName: name,
      taskDefinition: this.taskDefinitions.byArchitecture[this.architecture],
      blueTargetGroup: this.loadBalancing.blueTargetGroup,
    });
    // The tasks' egress is an allow-list (TAP-NET-5, tap_network_egress_allow_list): HTTPS to the interface
    // endpoints and to S3 (image layers), PostgreSQL to the database (added by the database rule below).
    const taskGroup = this.orderBroker.securityGroup;
    taskGroup.addEgressRule(
      props.endpointSecurityGroup ?? ec2.Peer.ipv4(props.vpc.vpcCidrBlock),
      ec2.Port.tcp(443),
      'OrderBroker tasks: ECR, CloudWatch Logs and Kinesis through the interface endpoints',
    );
    taskGroup.addEgressRule(
      ec2.Peer.prefixList(props.s3PrefixListId ?? S3_PREFIX_LIST_IDS['us-east-2']),
      ec2.Port.tcp(443),
      'OrderBroker tasks: image layers from S3 through the gateway endpoint',
    );
    if (props.ordersDatabasePort === undefined) {
      props.ordersDatabase.connections.allowDefaultPortFrom(this.orderBroker.service, 'OrderBroker tasks');
    } else {
      props.ordersDatabase.connections.allowFrom(
        this.orderBroker.service,
        ec2.Port.tcp(props.ordersDatabasePort),
        'OrderBroker tasks',
      );
    }

    if (props.ordersDatabaseMasterSecret && props.ordersDatabasePort !== undefined) {
      this.dbBootstrap = new DbBootstrap(this, 'DbBootstrap', {
        vpc: props.vpc,
        subnets: props.appSubnets,
        database: props.ordersDatabase,
        port: props.ordersDatabasePort,
        masterSecret: props.ordersDatabaseMasterSecret,
        databaseName: props.dbName,
        user: props.dbUser,
        logsKey: props.logsKey,
        logRetention: props.logRetention,
      });
      // The readiness check connects as the user: no task may start before it exists.
      this.dbBootstrap.addDependent(this.orderBroker.service);
    } else {
      Annotations.of(this).addWarningV2(
        '@orderbroker/db-bootstrap-skipped',
        `The orders database is imported: the stack does not create the database user "${props.dbUser}". ` +
          'Create it before the first deployment (docs/database-bootstrap.md, "Imported database").',
      );
    }

    this.scaling = new OrderBrokerScaling(this, 'Scaling', {
      service: this.orderBroker.service,
      namePrefix: name,
      warmFloor: props.capacity.warmFloor,
      maxTasks: props.capacity.maxTasks,
      preOpenTasks: props.capacity.preOpenTasks,
      preCloseTasks: props.capacity.preCloseTasks,
      targetCpuPercent: props.capacity.targetCpuPercent,
      burstTasks: props.capacity.burstTasks,
      schedule: props.schedule,
      calendar: props.exchangeCalendar,
      inFlightMetric: {
        namespace: METRICS_NAMESPACE,
        metricName: APP_METRICS.inFlightOrders,
        environment: props.environmentName,
      },
    });

    this.observability = new OrderBrokerObservability(this, 'Observability', {
      service: this.orderBroker.service,
      loadBalancer: this.loadBalancing.loadBalancer,
      alertsKey: props.alertsKey,
      metricsNamespace: METRICS_NAMESPACE,
      metricsEnvironment: props.environmentName,
      namePrefix: name,
      alarmEmail: props.alarmEmail,
    });

    this.blueGreen = new OrderBrokerBlueGreen(this, 'BlueGreen', {
      service: this.orderBroker.service,
      blueTargetGroup: this.loadBalancing.blueTargetGroup,
      greenTargetGroup: this.loadBalancing.greenTargetGroup,
      productionListener: this.loadBalancing.productionListener,
      testListener: this.loadBalancing.testListener,
      namePrefix: name,
      canaryPercent: props.deployment.canaryPercent,
      canaryInterval: Duration.minutes(props.deployment.canaryMinutes),
      terminationWait: Duration.minutes(props.deployment.terminationWaitMinutes),
      alarmAction: this.observability.alarmAction,
      loadBalancer: this.loadBalancing.loadBalancer,
    });

    this.validationHook = new ValidationHook(this, 'ValidationHook', {
      vpc: props.vpc,
      subnets: props.appSubnets,
      testTrafficClientSecurityGroup: this.loadBalancing.testTrafficClientSecurityGroup,
      loadBalancer: this.loadBalancing.loadBalancer,
      testListenerPort: TEST_LISTENER_PORT,
      testListenerProtocol: props.certificate
        ? elbv2.ApplicationProtocol.HTTPS
        : elbv2.ApplicationProtocol.HTTP,
      // By name: the group refers to the hook's Errors alarm, so a reference back would be a cycle.
      deploymentGroup: this.blueGreen.deploymentGroupByName,
      deploymentRole: this.blueGreen.deploymentGroup.role,
      healthCheckPath: props.service.healthCheckPath,
      tlsServerName: props.serviceHostname,
      logsKey: props.logsKey,
      logRetention: props.logRetention,
      alarmAction: this.observability.alarmAction,
      namePrefix: name,
    });
    // A hook that crashes or times out never reports, and CodeDeploy would wait for the hook timeout (an hour):
    // its Errors alarm stops the deployment and rolls it back instead.
    this.blueGreen.addRollbackAlarm(this.validationHook.errorsAlarm);

    this.outputs(props);
  }

  /** Stack outputs the deploy CLI and the scenario runners read (keys and order: lib/stack-outputs.ts). */
  private outputs(props: EcsTradingInfraProps): void {
    const lb = this.loadBalancing;
    const values: Record<StackOutputKey, string> = {
      LoadBalancerDns: lb.loadBalancer.loadBalancerDnsName,
      // Clients (and the scenario runners) use the certificate's name when there is one.
      ProductionUrl: props.serviceHostname
        ? `https://${props.serviceHostname}`
        : `http://${lb.loadBalancer.loadBalancerDnsName}:${lb.productionPort}`,
      ProductionListenerArn: lb.productionListener.listenerArn,
      ProductionPort: String(lb.productionPort),
      TestListenerArn: lb.testListener.listenerArn,
      BlueTargetGroupArn: lb.blueTargetGroup.targetGroupArn,
      GreenTargetGroupArn: lb.greenTargetGroup.targetGroupArn,
      ClusterName: this.orderBroker.cluster.clusterName,
      ServiceName: this.orderBroker.service.serviceName,
      Architecture: this.architecture,
      Arm64TaskDefinitionArn: this.taskDefinitions.byArchitecture.ARM64.taskDefinitionArn,
      X8664TaskDefinitionArn: this.taskDefinitions.byArchitecture.X86_64.taskDefinitionArn,
      CodeDeployApplication: this.blueGreen.application.applicationName,
      DeploymentGroupName: this.blueGreen.deploymentGroup.deploymentGroupName,
      ScalableTargetId: `service/${this.orderBroker.cluster.clusterName}/${this.orderBroker.service.serviceName}`,
      SreTopicArn: this.observability.topic.topicArn,
      TradesStreamName: props.tradesStream.streamName,
      ContainerName: CONTAINER_NAME,
      ContainerPort: String(props.service.containerPort),
      // What a CodeDeploy AppSpec must repeat, or CodeDeploy drops it (read by tools/deploy).
      CapacityProviderStrategy: JSON.stringify(this.orderBroker.capacityProviderStrategy),
      TaskSubnetIds: props.vpc.selectSubnets(props.appSubnets).subnetIds.join(','),
      TaskSecurityGroupIds: this.orderBroker.securityGroup.securityGroupId,
      ValidationHookFunctionName: this.validationHook.function.functionName,
      ValidationHookFunctionArn: this.validationHook.function.functionArn,
      PreOpenTasks: String(props.capacity.preOpenTasks),
      HealthCheckPath: props.service.healthCheckPath,
    };
    for (const key of STACK_OUTPUT_KEYS) new CfnOutput(this, key, { key, value: values[key] });
  }
}
