import { CfnOutput } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import type { Architecture, TapConfig } from './config/types';
import { OrderBrokerBlueGreen } from './constructs/blue-green';
import { OrderBrokerLoadBalancing } from './constructs/load-balancing';
import { APP_METRICS, OrderBrokerObservability } from './constructs/observability';
import { OrderBrokerService } from './constructs/order-broker-service';
import { OrderBrokerScaling } from './constructs/scaling';
import type { ExchangeCalendar } from './schedule/exchange-calendar';
import { CONTAINER_NAME, METRICS_NAMESPACE, OrderBrokerTaskDefinitions } from './constructs/task-definitions';
import { OrderBrokerTaskRole } from './constructs/task-role';
import { TEST_LISTENER_PORT } from './constructs/load-balancing';
import { ValidationHook } from './constructs/validation-hook';

/** Properties of {@link EcsTradingInfra}. */
export interface EcsTradingInfraProps {
  /** Deployment name, e.g. `dev`; prefixes physical names (`orderbroker-dev`). */
  readonly environmentName: string;
  readonly vpc: ec2.IVpc;
  /** Subnets of the tasks and the internal ALB (private with egress). */
  readonly appSubnets: ec2.SubnetSelection;
  /** Who may call the production listener. */
  readonly clientPeer: ec2.IPeer;
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
      warmFloor: props.capacity.warmFloor,
      blueTargetGroup: this.loadBalancing.blueTargetGroup,
    });
    if (props.ordersDatabasePort === undefined) {
      props.ordersDatabase.connections.allowDefaultPortFrom(this.orderBroker.service, 'OrderBroker tasks');
    } else {
      props.ordersDatabase.connections.allowFrom(
        this.orderBroker.service,
        ec2.Port.tcp(props.ordersDatabasePort),
        'OrderBroker tasks',
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
      burstTasks: Math.max(1, props.capacity.warmTasks),
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
      canaryMinutes: props.deployment.canaryMinutes,
      terminationWaitMinutes: props.deployment.terminationWaitMinutes,
      alarmAction: this.observability.alarmAction,
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
      deploymentGroup: this.blueGreen.deploymentGroup,
      deploymentRole: this.blueGreen.deploymentGroup.role,
      healthCheckPath: props.service.healthCheckPath,
      tlsServerName: props.serviceHostname,
      logsKey: props.logsKey,
      logRetention: props.logRetention,
      alarmAction: this.observability.alarmAction,
      namePrefix: name,
    });

    this.outputs(props);
  }

  /** Stack outputs the deploy CLI and the scenario runners read. */
  private outputs(props: EcsTradingInfraProps): void {
    const lb = this.loadBalancing;
    const values: Record<string, string> = {
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
      // What a CodeDeploy AppSpec must repeat, or CodeDeploy drops it (read by scripts/deploy).
      CapacityProviderStrategy: JSON.stringify(this.orderBroker.capacityProviderStrategy),
      TaskSubnetIds: props.vpc.selectSubnets(props.appSubnets).subnetIds.join(','),
      TaskSecurityGroupIds: this.orderBroker.securityGroup.securityGroupId,
      ValidationHookFunctionName: this.validationHook.function.functionName,
      ValidationHookFunctionArn: this.validationHook.function.functionArn,
      PreOpenTasks: String(props.capacity.preOpenTasks),
      HealthCheckPath: props.service.healthCheckPath,
    };
    for (const [key, value] of Object.entries(values)) new CfnOutput(this, key, { key, value });
  }
}
