import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { asList, render, resourceOfType } from '../template';

/**
 * TAP-CAP-1: services place tasks through a capacity-provider strategy, never a bare launch type; a CODE_DEPLOY
 * service's strategy sets no base (only a CodeDeploy deployment can change it, so a base fed by configuration
 * fails the next stack update that changes it).
 */
export class CapacityProviderStrategyRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-CAP-1',
    area: 'CAP',
    title: 'ECS services use a capacity-provider strategy, not a launch type',
    rationale:
      'A launch type bypasses the FARGATE-only strategy; under CODE_DEPLOY UpdateService cannot change the strategy, so a configuration-fed base breaks stack updates.',
    fix: 'Set capacityProviderStrategies to the constant FARGATE weight 1 (no base), remove launchType; keep the warm floor in the scalable target minimum.',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const service = resourceOfType(node, 'AWS::ECS::Service');
    if (!service) return;
    const p = render(service).properties;
    if (p.LaunchType !== undefined) this.report(node, `uses LaunchType ${String(p.LaunchType)}`);
    const strategy = asList(p.CapacityProviderStrategy as Array<Record<string, unknown>> | undefined);
    if (strategy.length === 0) this.report(node, 'has no CapacityProviderStrategy');
    const codeDeploy = (p.DeploymentController as { Type?: string } | undefined)?.Type === 'CODE_DEPLOY';
    for (const item of strategy) {
      if (codeDeploy && item.Base !== undefined && item.Base !== 0) {
        this.report(
          node,
          `sets Base ${JSON.stringify(item.Base)} on ${String(item.CapacityProvider)}: a CODE_DEPLOY service changes its strategy only through a CodeDeploy deployment`,
        );
      }
    }
  }
}
