import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { asList, render, resourceOfType } from '../template';

/** TAP-CAP-1: services place tasks through a capacity-provider strategy, never a bare launch type. */
export class CapacityProviderStrategyRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-CAP-1',
    area: 'CAP',
    title: 'ECS services use a capacity-provider strategy, not a launch type',
    rationale:
      'The warm floor is the FARGATE base of the strategy; a launch type has no base and drops the floor.',
    fix: 'Set capacityProviderStrategies (FARGATE with base = warm floor) and remove launchType.',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const service = resourceOfType(node, 'AWS::ECS::Service');
    if (!service) return;
    const p = render(service).properties;
    if (p.LaunchType !== undefined) this.report(node, `uses LaunchType ${String(p.LaunchType)}`);
    if (asList(p.CapacityProviderStrategy).length === 0) this.report(node, 'has no CapacityProviderStrategy');
  }
}
