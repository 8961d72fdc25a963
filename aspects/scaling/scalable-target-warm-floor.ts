import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { asList, render, resourceOfType } from '../template';

/**
 * TAP-SCL-3: the scalable target's MinCapacity and the minimum of every scheduled action are at least the warm
 * floor (floorTasks + warmTasks). The floor lives on the scalable target (not only on a capacity-provider base):
 * a scheduled action that sets a lower minimum lets target tracking scale in below it.
 */
export class ScalableTargetWarmFloorRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-SCL-3',
    area: 'SCL',
    title: 'Scalable-target and scheduled minimums are at least the warm floor (floorTasks + warmTasks)',
    rationale:
      'Fargate has no warm pool: the spare running tasks of the floor are what serves a burst in under 30 s.',
    fix: 'Set minCapacity (and every scheduled minCapacity) to at least capacity.warmFloor (lib/constructs/scaling.ts).',
    level: 'error',
  };

  /** @param warmFloor floorTasks + warmTasks of the configuration. */
  constructor(private readonly warmFloor: number) {
    super();
  }

  public visit(node: IConstruct): void {
    const target = resourceOfType(node, 'AWS::ApplicationAutoScaling::ScalableTarget');
    if (!target) return;
    const p = render(target).properties;
    if (p.ScalableDimension !== 'ecs:service:DesiredCount') return;
    if (typeof p.MinCapacity !== 'number' || p.MinCapacity < this.warmFloor) {
      this.report(
        node,
        `has MinCapacity ${JSON.stringify(p.MinCapacity)}, below the warm floor of ${this.warmFloor}`,
      );
    }
    for (const action of asList(p.ScheduledActions as Array<Record<string, unknown>> | undefined)) {
      const min = (action.ScalableTargetAction as { MinCapacity?: unknown } | undefined)?.MinCapacity;
      if (min === undefined) continue;
      if (typeof min !== 'number' || min < this.warmFloor) {
        this.report(
          node,
          `scheduled action ${String(action.ScheduledActionName)} sets MinCapacity ${JSON.stringify(min)}, below the warm floor of ${this.warmFloor}`,
        );
      }
    }
  }
}
