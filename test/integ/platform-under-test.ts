import { App, AspectPriority, Aspects, CfnResource, type IAspect, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { IApiCall, IntegTest } from '@aws-cdk/integ-tests-alpha';
import type { IConstruct } from 'constructs';
import { RequiredTagsAspect } from '../../aspects/required-tags';
import type { TapConfig } from '../../lib/config/types';
import { resolveConfig } from '../../lib/config/resolve-config';
import { TapStack } from '../../lib/tap-stack';
import { renderAppSpec } from '../../tools/deploy/appspec';
import { cdkJsonContext } from '../helpers/synth';

/** The platform as an integration test deploys it: the real stack (dev profile) under a test stack id. */
export interface PlatformUnderTest {
  readonly app: App;
  readonly stack: TapStack;
  readonly config: TapConfig;
  /** Where the assertions live: same region as the platform, so they can reference its resources. */
  readonly assertionStack: Stack;
  /** Deployment name of the stack under test: in every physical name (`orderbroker-<name>`, ...). */
  readonly environmentName: string;
}

/**
 * The integration-test apps, each with its own deployment name, so none shares a physical name (the `trades`
 * stream, `orders-dev`, `orderbroker-dev`, target groups, the hook function) with `OrderBroker-dev` or with
 * another integration test in the same account (test/integ/physical-names.test.ts).
 */
export const INTEG_STACKS = {
  OrderBrokerIntegBlueGreen: 'integ-bg',
  OrderBrokerIntegBadVersion: 'integ-bad',
  OrderBrokerIntegPreOpen: 'integ-pre',
} as const;

/** The stack id of an integration test. */
export type IntegStackId = keyof typeof INTEG_STACKS;

/**
 * Builds the real OrderBroker stack, with cdk.json's context, under `stackId` (so a test never replaces a
 * real `OrderBroker-dev`), tagged like the app, and made disposable: an integration test must be able to
 * delete what it deployed.
 */
export function platformUnderTest(stackId: IntegStackId, app?: App): PlatformUnderTest {
  const context = cdkJsonContext();
  app ??= new App({ context });
  // Configuration from cdk.json only: integ-runner adds context keys of its own (e.g. `default`) that the
  // configuration resolver would rightly reject as unknown.
  const config = resolveConfig(context);
  const environmentName = INTEG_STACKS[stackId];
  const stack = new TapStack(app, stackId, {
    config,
    environmentName,
    tradesStreamName: `trades-${environmentName}`,
  });
  Aspects.of(app).add(new RequiredTagsAspect(config.tags), { priority: AspectPriority.MUTATING });
  Aspects.of(stack).add(new DisposableForIntegTests(), { priority: AspectPriority.MUTATING });
  const assertionStack = new Stack(app, `${stackId}Assertions`, { env: { region: config.env.region } });
  return { app, stack, config, assertionStack, environmentName };
}

/**
 * Test stacks only: turns off deletion protection of the ALB and the database and lets keys and log groups
 * be deleted with the stack. The access-log bucket stays retained (it holds objects); delete it by hand.
 */
class DisposableForIntegTests implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof elbv2.ApplicationLoadBalancer)
      node.setAttribute('deletion_protection.enabled', 'false');
    if (node instanceof rds.CfnDBCluster) node.deletionProtection = false;
    if (
      CfnResource.isCfnResource(node) &&
      (node.cfnResourceType === 'AWS::KMS::Key' || node.cfnResourceType === 'AWS::Logs::LogGroup')
    ) {
      node.applyRemovalPolicy(RemovalPolicy.DESTROY);
    }
  }
}

/**
 * The AppSpec the deploy CLI would build, as a JSON string with CloudFormation tokens for the ARNs: the same
 * renderer, so the integration test deploys exactly the AppSpec shape SREs deploy.
 */
export function appSpecJson(put: PlatformUnderTest, taskDefinition: ecs.ITaskDefinition): string {
  const platform = put.stack.platform;
  return Stack.of(platform).toJsonString(
    renderAppSpec({
      taskDefinitionArn: taskDefinition.taskDefinitionArn,
      containerName: 'orderbroker',
      containerPort: put.config.service.containerPort,
      capacityProviderStrategy: platform.orderBroker.capacityProviderStrategy,
      subnets: put.stack.network.vpc.selectSubnets(put.stack.network.appSubnets).subnetIds,
      securityGroups: [platform.orderBroker.securityGroup.securityGroupId],
      afterAllowTestTrafficHookArn: platform.validationHook.function.functionArn,
    }),
  );
}

/**
 * Starts a CodeDeploy blue/green deployment of `taskDefinition` with the deploy CLI's AppSpec ({@link appSpecJson}).
 * The call's output holds `deploymentId`.
 */
export function startDeployment(
  integ: IntegTest,
  put: PlatformUnderTest,
  taskDefinition: ecs.ITaskDefinition,
  description: string,
): IApiCall {
  const blueGreen = put.stack.platform.blueGreen;
  const deploy = integ.assertions.awsApiCall(
    'CodeDeploy',
    'createDeployment',
    {
      applicationName: blueGreen.application.applicationName,
      deploymentGroupName: blueGreen.deploymentGroup.deploymentGroupName,
      revision: {
        revisionType: 'AppSpecContent',
        appSpecContent: { content: appSpecJson(put, taskDefinition) },
      },
      description,
    },
    ['deploymentId'],
  );
  // CreateDeployment reads the deployment configuration and registers the revision on the caller's behalf.
  deploy.provider.addToRolePolicy(
    new iam.PolicyStatement({
      actions: [
        'codedeploy:GetDeploymentConfig',
        'codedeploy:RegisterApplicationRevision',
        'codedeploy:GetApplicationRevision',
      ],
      resources: ['*'],
    }).toStatementJson(),
  );
  return deploy;
}

/** ECS DescribeServices of the OrderBroker service, to chain an `expect` on. */
export function describeOrderBroker(integ: IntegTest, put: PlatformUnderTest): IApiCall {
  const orderBroker = put.stack.platform.orderBroker;
  return integ.assertions.awsApiCall('ECS', 'describeServices', {
    cluster: orderBroker.cluster.clusterName,
    services: [orderBroker.service.serviceName],
  });
}
