import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';

/** The only capacity provider on the order path. FARGATE_SPOT can be reclaimed with two minutes' notice. */
export const ORDER_PATH_CAPACITY_PROVIDER = 'FARGATE';

/**
 * The service's capacity-provider strategy: constant, whatever the configuration (no `base`: see
 * {@link OrderBrokerService}).
 */
export const ORDER_PATH_STRATEGY: readonly ecs.CapacityProviderStrategy[] = [
  { capacityProvider: ORDER_PATH_CAPACITY_PROVIDER, weight: 1 },
];

/** Properties of {@link OrderBrokerService}. */
export interface OrderBrokerServiceProps {
  readonly vpc: ec2.IVpc;
  /** Private subnets of the tasks. */
  readonly subnets: ec2.SubnetSelection;
  /** Physical names, e.g. `orderbroker-dev`. */
  readonly clusterName: string;
  readonly serviceName: string;
  /** The task definition the service runs (the configured architecture). */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The target group production traffic starts on. */
  readonly blueTargetGroup: elbv2.IApplicationTargetGroup;
}

/**
 * The ECS cluster (Container Insights on) and the OrderBroker Fargate service under the CODE_DEPLOY
 * deployment controller.
 *
 * The service has no `DesiredCount` in the template on purpose: a stack update at 11:00 must not reset
 * 24 running tasks to the template value. Application Auto Scaling owns the count (its minimum is the
 * warm floor, so a new service is raised to the floor within a minute).
 *
 * The capacity-provider strategy is a constant (FARGATE, weight 1, no `base`): under the CODE_DEPLOY controller
 * `UpdateService` cannot change it (only a CodeDeploy deployment can), so a strategy fed by floorTasks/warmTasks
 * would fail the next stack update that changes either key. With a single provider `base` places nothing
 * anyway; the warm floor lives in the scalable target's minimum and the scheduled minimums (scaling.ts).
 */
export class OrderBrokerService extends Construct {
  public readonly cluster: ecs.Cluster;
  public readonly service: ecs.FargateService;
  public readonly securityGroup: ec2.SecurityGroup;
  /** The capacity-provider strategy; CodeDeploy AppSpecs must repeat it or CodeDeploy drops it. */
  public readonly capacityProviderStrategy: ecs.CapacityProviderStrategy[];

  constructor(scope: Construct, id: string, props: OrderBrokerServiceProps) {
    super(scope, id);

    // Control Tower CT.ECS.PR.2 requires containerInsights "enabled"; "enhanced" fails that control.
    // Enhanced adds per-task/container metrics we get from EMF already (decision: docs/decisions.md).
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      clusterName: props.clusterName,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    this.capacityProviderStrategy = ORDER_PATH_STRATEGY.map((item) => ({ ...item }));
    // Only FARGATE is associated with the cluster: FARGATE_SPOT cannot be selected by accident.
    const association = new ecs.CfnClusterCapacityProviderAssociations(this, 'CapacityProviders', {
      cluster: this.cluster.clusterName,
      capacityProviders: [ORDER_PATH_CAPACITY_PROVIDER],
      defaultCapacityProviderStrategy: this.capacityProviderStrategy,
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'OrderBroker tasks',
      // Egress is allow-listed (database, interface endpoints, S3 prefix list) in EcsTradingInfra: TAP-NET-5.
      allowAllOutbound: false,
    });

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      serviceName: props.serviceName,
      taskDefinition: props.taskDefinition,
      deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY },
      capacityProviderStrategies: this.capacityProviderStrategy,
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      vpcSubnets: props.subnets,
      assignPublicIp: false,
      securityGroups: [this.securityGroup],
      // The JVM is ready in ~20 s; ELB checks are ignored that long so a starting task is not killed.
      healthCheckGracePeriod: Duration.seconds(30),
      // Under CODE_DEPLOY these only bound task replacement on draining; never drop below the desired count.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
    });
    this.service.node.addDependency(association);
    this.service.attachToApplicationTargetGroup(props.blueTargetGroup);
  }
}
