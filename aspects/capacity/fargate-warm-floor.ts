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

/** The scalable dimension of an ECS service's task count. */
export const ECS_DESIRED_COUNT = 'ecs:service:DesiredCount';

/**
 * TAP-CAP-2: the scalable target of each ECS service keeps at least the warm floor running, at all times
 * (its MinCapacity and the MinCapacity of every scheduled action).
 *
 * The service template has no DesiredCount and its capacity-provider strategy has no base (under CODE_DEPLOY
 * a stack update cannot change it): the scalable target's minimum is what really keeps tasks running.
 */
export class FargateWarmFloorRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-CAP-2',
    area: 'CAP',
    title:
      "Each ECS service's scalable target keeps at least the warm floor running (minimum and every scheduled minimum)",
    rationale:
      'Fargate has no warm pool: the spare running tasks the scalable target minimum keeps up are what serves a spike in under 30 s.',
    fix: 'Give the service an ecs:service:DesiredCount scalable target with minCapacity = floorTasks + warmTasks and no scheduled action whose minCapacity is below it.',
    level: 'error',
  };

  /** @param warmFloor floorTasks + warmTasks of the configuration. */
  constructor(private readonly warmFloor: number) {
    super();
  }

  public visit(node: IConstruct): void {
    const service = resourceOfType(node, 'AWS::ECS::Service');
    if (!service) return;
    const serviceId = render(service).logicalId;
    const targets = stackResources(node, 'AWS::ApplicationAutoScaling::ScalableTarget').filter(
      (t) =>
        t.properties.ScalableDimension === ECS_DESIRED_COUNT &&
        referencedLogicalIds(t.properties.ResourceId).includes(serviceId),
    );
    if (targets.length === 0) {
      this.report(
        node,
        `has no ${ECS_DESIRED_COUNT} scalable target, so nothing keeps the warm floor of ${this.warmFloor} running`,
      );
      return;
    }
    for (const target of targets) {
      const min = target.properties.MinCapacity as unknown;
      if (typeof min !== 'number' || min < this.warmFloor) {
        this.report(
          node,
          `has a scalable target (${target.logicalId}) with MinCapacity ${String(min)}, below the warm floor of ${this.warmFloor}`,
        );
      }
      for (const action of asList(target.properties.ScheduledActions as CfnProperties[] | undefined)) {
        const scheduledMin = (action.ScalableTargetAction as CfnProperties | undefined)
          ?.MinCapacity as unknown;
        if (typeof scheduledMin === 'number' && scheduledMin < this.warmFloor) {
          this.report(
            node,
            `has a scheduled action ${String(action.ScheduledActionName)} lowering the minimum to ${scheduledMin}, below the warm floor of ${this.warmFloor}`,
          );
        }
      }
    }
  }
}
