import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { asList, render, resourceOfType } from '../template';

/** TAP-CAP-2: the FARGATE base of each service's strategy is at least the warm floor. */
export class FargateWarmFloorRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-CAP-2',
    area: 'CAP',
    title: 'The FARGATE base of each service is at least the warm floor',
    rationale:
      'Fargate has no warm pool: the spare running tasks of the base are what serves a spike in under 30 s.',
    fix: 'Set the FARGATE entry of the capacity-provider strategy to base = floorTasks + warmTasks (capacity.warmFloor).',
    level: 'error',
  };

  /** @param warmFloor floorTasks + warmTasks of the configuration. */
  constructor(private readonly warmFloor: number) {
    super();
  }

  public visit(node: IConstruct): void {
    const service = resourceOfType(node, 'AWS::ECS::Service');
    if (!service) return;
    const strategy = asList(
      render(service).properties.CapacityProviderStrategy as Array<Record<string, unknown>>,
    );
    const fargate = strategy.find((s) => s.CapacityProvider === 'FARGATE');
    const base = typeof fargate?.Base === 'number' ? fargate.Base : 0;
    if (base < this.warmFloor) {
      this.report(node, `has a FARGATE base of ${base}, below the warm floor of ${this.warmFloor}`);
    }
  }
}
