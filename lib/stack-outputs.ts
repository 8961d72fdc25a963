/**
 * The outputs of the OrderBroker platform stack, in template order: the one list of their keys. The stack
 * (lib/ecs_trading_infra.ts) writes exactly these, typed by {@link StackOutputKey} so a key cannot be added,
 * dropped or misspelt on one side only; the deploy CLI and the scenario runners (tools/shared/stack-outputs.ts)
 * read a subset of them, typed the same way.
 */
export const STACK_OUTPUT_KEYS = [
  'LoadBalancerDns',
  'ProductionUrl',
  'ProductionListenerArn',
  'ProductionPort',
  'TestListenerArn',
  'BlueTargetGroupArn',
  'GreenTargetGroupArn',
  'ClusterName',
  'ServiceName',
  'Architecture',
  'Arm64TaskDefinitionArn',
  'X8664TaskDefinitionArn',
  'CodeDeployApplication',
  'DeploymentGroupName',
  'ScalableTargetId',
  'SreTopicArn',
  'TradesStreamName',
  'ContainerName',
  'ContainerPort',
  'CapacityProviderStrategy',
  'TaskSubnetIds',
  'TaskSecurityGroupIds',
  'ValidationHookFunctionName',
  'ValidationHookFunctionArn',
  'PreOpenTasks',
  'HealthCheckPath',
] as const;

/** A key of {@link STACK_OUTPUT_KEYS}. */
export type StackOutputKey = (typeof STACK_OUTPUT_KEYS)[number];
