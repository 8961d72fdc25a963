import { createHash } from 'node:crypto';
import type { StackOutputs } from '../shared/stack-outputs';

/** A capacity-provider strategy item as the stack outputs it (ECS API casing). */
export interface CapacityProviderStrategyItem {
  readonly capacityProvider: string;
  readonly base?: number;
  readonly weight?: number;
}

/** What a CodeDeploy ECS AppSpec is built from. */
export interface AppSpecInput {
  /** The task definition revision green runs. */
  readonly taskDefinitionArn: string;
  readonly containerName: string;
  readonly containerPort: number;
  /** Must be repeated in every AppSpec: without it CodeDeploy creates green with the FARGATE launch type. */
  readonly capacityProviderStrategy: readonly CapacityProviderStrategyItem[];
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
  /** The `AfterAllowTestTraffic` validation hook. */
  readonly afterAllowTestTrafficHookArn: string;
}

/** The ECS AppSpec document CodeDeploy takes (version 0.0). */
export interface EcsAppSpec {
  readonly version: '0.0';
  readonly Resources: ReadonlyArray<{
    readonly TargetService: {
      readonly Type: 'AWS::ECS::Service';
      readonly Properties: {
        readonly TaskDefinition: string;
        readonly LoadBalancerInfo: { readonly ContainerName: string; readonly ContainerPort: number };
        readonly PlatformVersion: 'LATEST';
        readonly NetworkConfiguration: {
          readonly AwsvpcConfiguration: {
            readonly Subnets: readonly string[];
            readonly SecurityGroups: readonly string[];
            readonly AssignPublicIp: 'DISABLED';
          };
        };
        readonly CapacityProviderStrategy: ReadonlyArray<{
          readonly CapacityProvider: string;
          readonly Base: number;
          readonly Weight: number;
        }>;
      };
    };
  }>;
  readonly Hooks: ReadonlyArray<{ readonly AfterAllowTestTraffic: string }>;
}

/** Raised when an AppSpec would be unsafe or invalid; names the field and the fix. */
export class AppSpecError extends Error {
  constructor(message: string) {
    super(`AppSpec: ${message}`);
    this.name = 'AppSpecError';
  }
}

const TASK_DEFINITION_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]+:\d+$/;
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+$/;

/**
 * Builds the AppSpec of one blue/green deployment (pure). It always carries the capacity-provider strategy
 * (CodeDeploy drops it otherwise and green starts on the FARGATE launch type, outside the warm floor's
 * strategy) and the validation hook (without it production traffic moves to an unvalidated green). It
 * refuses FARGATE_SPOT: the order path must not run on capacity that can be reclaimed.
 */
export function buildAppSpec(input: AppSpecInput): EcsAppSpec {
  if (!TASK_DEFINITION_ARN.test(input.taskDefinitionArn)) {
    throw new AppSpecError(
      `taskDefinitionArn = ${JSON.stringify(input.taskDefinitionArn)}: expected a task definition ARN with a revision (…:task-definition/<family>:<revision>)`,
    );
  }
  if (!FUNCTION_ARN.test(input.afterAllowTestTrafficHookArn)) {
    throw new AppSpecError(
      `afterAllowTestTrafficHookArn = ${JSON.stringify(input.afterAllowTestTrafficHookArn)}: expected the unqualified ARN of the validation hook function (output ValidationHookFunctionArn)`,
    );
  }
  if (input.capacityProviderStrategy.length === 0) {
    throw new AppSpecError(
      'capacityProviderStrategy is empty: CodeDeploy would drop the strategy and start green on the FARGATE launch type; pass the stack output CapacityProviderStrategy',
    );
  }
  for (const item of input.capacityProviderStrategy) {
    if (item.capacityProvider !== 'FARGATE') {
      throw new AppSpecError(
        `capacityProviderStrategy has ${JSON.stringify(item.capacityProvider)}: only FARGATE is allowed on the order path`,
      );
    }
  }
  if (!input.containerName)
    throw new AppSpecError('containerName is empty: expected the stack output ContainerName');
  if (!Number.isInteger(input.containerPort) || input.containerPort < 1 || input.containerPort > 65535) {
    throw new AppSpecError(`containerPort = ${input.containerPort}: expected a port from 1 to 65535`);
  }
  if (input.subnets.length === 0 || input.securityGroups.length === 0) {
    throw new AppSpecError(
      'subnets and securityGroups must not be empty: expected the stack outputs TaskSubnetIds and TaskSecurityGroupIds',
    );
  }
  return renderAppSpec(input);
}

/**
 * Renders the AppSpec without checking values, so CDK tokens can stand in for ARNs (the integration tests
 * deploy through it). The types still demand the capacity-provider strategy and the hook. Use
 * {@link buildAppSpec} for real values.
 */
export function renderAppSpec(input: AppSpecInput): EcsAppSpec {
  return {
    version: '0.0',
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: input.taskDefinitionArn,
            LoadBalancerInfo: { ContainerName: input.containerName, ContainerPort: input.containerPort },
            PlatformVersion: 'LATEST',
            NetworkConfiguration: {
              AwsvpcConfiguration: {
                Subnets: [...input.subnets],
                SecurityGroups: [...input.securityGroups],
                AssignPublicIp: 'DISABLED',
              },
            },
            CapacityProviderStrategy: input.capacityProviderStrategy.map((i) => ({
              CapacityProvider: i.capacityProvider,
              Base: i.base ?? 0,
              Weight: i.weight ?? 1,
            })),
          },
        },
      },
    ],
    Hooks: [{ AfterAllowTestTraffic: input.afterAllowTestTrafficHookArn }],
  };
}

/** The AppSpec input for a task definition, from the stack outputs (pure). */
export function appSpecInputFromOutputs(outputs: StackOutputs, taskDefinitionArn: string): AppSpecInput {
  let strategy: unknown;
  try {
    strategy = JSON.parse(outputs.CapacityProviderStrategy);
  } catch {
    strategy = undefined;
  }
  if (!Array.isArray(strategy)) {
    throw new AppSpecError(
      `stack output CapacityProviderStrategy = ${JSON.stringify(outputs.CapacityProviderStrategy)}: expected a JSON array`,
    );
  }
  const list = (v: string) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  return {
    taskDefinitionArn,
    containerName: outputs.ContainerName,
    containerPort: Number(outputs.ContainerPort),
    capacityProviderStrategy: strategy as CapacityProviderStrategyItem[],
    subnets: list(outputs.TaskSubnetIds),
    securityGroups: list(outputs.TaskSecurityGroupIds),
    afterAllowTestTrafficHookArn: outputs.ValidationHookFunctionArn,
  };
}

/** The AppSpec as CodeDeploy's `AppSpecContent` revision: the JSON text and its SHA-256. */
export function appSpecContent(appSpec: EcsAppSpec): { content: string; sha256: string } {
  const content = JSON.stringify(appSpec);
  return { content, sha256: createHash('sha256').update(content).digest('hex') };
}
