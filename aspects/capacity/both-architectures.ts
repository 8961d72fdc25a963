import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import {
  type CfnProperties,
  asList,
  referencedLogicalIds,
  render,
  resourceOfType,
  stackResources,
} from '../template';

/** The CPU architectures every service must be able to run on. */
export const REQUIRED_ARCHITECTURES = ['ARM64', 'X86_64'] as const;

/**
 * TAP-CAP-6: for the task definition a service runs, the stack also defines the same containers for the other
 * architecture, so switching architecture is a blue/green deployment, not a code change.
 */
export class BothArchitecturesRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-CAP-6',
    area: 'CAP',
    title: 'Each service has task definitions for both ARM64 and X86_64',
    rationale:
      'The platform must be able to move between Graviton and x86 capacity with a blue/green deployment.',
    fix: 'Build one task definition per architecture from the same container spec (OrderBrokerTaskDefinitions).',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const service = resourceOfType(node, 'AWS::ECS::Service');
    if (!service) return;
    const taskDefinitions = stackResources(node, 'AWS::ECS::TaskDefinition');
    const named: unknown = render(service).properties.TaskDefinition;
    if (named === undefined) return;
    const running = runningTaskDefinition(taskDefinitions, named);
    if (!running) {
      this.report(
        node,
        `runs task definition ${JSON.stringify(named)}, which is not a task definition of this template: its architectures cannot be checked`,
      );
      return;
    }
    const containers = containerNames(running.properties);
    const architectures = taskDefinitions
      .filter((t) => containerNames(t.properties) === containers)
      .map(
        (t) =>
          (t.properties.RuntimePlatform as { CpuArchitecture?: string } | undefined)?.CpuArchitecture ??
          'X86_64',
      );
    const missing = REQUIRED_ARCHITECTURES.filter((a) => !architectures.includes(a));
    if (missing.length > 0) {
      this.report(
        node,
        `runs containers [${containers}] that have no task definition for ${missing.join(', ')}`,
      );
    }
  }
}

/**
 * The task definition of the template a service's `TaskDefinition` names: a `Ref`, or a string (CDK writes the
 * family for the CODE_DEPLOY controller) as `family`, `family:revision` or a task-definition ARN, matched on
 * `Family`.
 */
export function runningTaskDefinition<T extends { logicalId: string; properties: CfnProperties }>(
  taskDefinitions: readonly T[],
  named: unknown,
): T | undefined {
  if (typeof named === 'string') {
    const family = named.replace(/^arn:[^:]*:ecs:[^:]*:[^:]*:task-definition\//, '').replace(/:\d+$/, '');
    return taskDefinitions.find((t) => t.properties.Family === family);
  }
  const ids = referencedLogicalIds(named);
  return taskDefinitions.find((t) => ids.includes(t.logicalId));
}

function containerNames(properties: CfnProperties): string {
  return asList(properties.ContainerDefinitions as Array<{ Name?: string }>)
    .map((c) => c.Name ?? '')
    .sort()
    .join(',');
}
