import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { referencedLogicalIds, render, resourceOfType, stackResources } from '../template';

/** The canary the configuration asks for. */
export interface CanaryContract {
  readonly canaryPercent: number;
  readonly canaryMinutes: number;
}

/**
 * TAP-DEP-2: every ECS deployment group shifts traffic with the configured canary (a DeploymentConfig of the
 * template, TimeBasedCanary, canaryPercent / canaryMinutes), never all at once. A group without
 * DeploymentConfigName gets CodeDeployDefault.ECSAllAtOnce.
 */
export class CanaryDeploymentConfigRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-DEP-2',
    area: 'DEP',
    title: 'ECS deployment groups use the configured canary, never an all-at-once configuration',
    rationale:
      'All at once moves every order to an unproven version; the canary limits a bad version to canaryPercent of traffic for canaryMinutes.',
    fix: 'Give the deployment group the EcsDeploymentConfig built from canaryPercent/canaryMinutes (lib/constructs/blue-green.ts).',
    level: 'error',
  };

  constructor(private readonly canary: CanaryContract) {
    super();
  }

  public visit(node: IConstruct): void {
    const group = resourceOfType(node, 'AWS::CodeDeploy::DeploymentGroup');
    if (!group) return;
    const p = render(group).properties;
    if (p.ECSServices === undefined) return;
    const name: unknown = p.DeploymentConfigName;
    if (name === undefined) {
      this.report(node, 'has no DeploymentConfigName, so CodeDeploy uses CodeDeployDefault.ECSAllAtOnce');
      return;
    }
    if (typeof name === 'string') {
      const config = stackResources(node, 'AWS::CodeDeploy::DeploymentConfig').find(
        (c) => c.properties.DeploymentConfigName === name,
      );
      if (!config) {
        this.report(
          node,
          `uses deployment configuration ${name}${/AllAtOnce/i.test(name) ? ' (all at once)' : ''}, not the configured canary of this template`,
        );
        return;
      }
      this.checkConfig(node, config.properties);
      return;
    }
    const [logicalId] = referencedLogicalIds(name);
    const config = stackResources(node, 'AWS::CodeDeploy::DeploymentConfig').find(
      (c) => c.logicalId === logicalId,
    );
    if (!config) this.report(node, 'names a deployment configuration that is not in this template');
    else this.checkConfig(node, config.properties);
  }

  private checkConfig(node: IConstruct, config: Record<string, unknown>): void {
    const routing = config.TrafficRoutingConfig as
      | { Type?: string; TimeBasedCanary?: { CanaryPercentage?: unknown; CanaryInterval?: unknown } }
      | undefined;
    const type = routing?.Type ?? 'AllAtOnce';
    if (type !== 'TimeBasedCanary') {
      this.report(
        node,
        `shifts traffic ${type === 'AllAtOnce' ? 'all at once' : `with ${type}`}, not as a canary`,
      );
      return;
    }
    const { CanaryPercentage: percent, CanaryInterval: minutes } = routing?.TimeBasedCanary ?? {};
    if (percent !== this.canary.canaryPercent || minutes !== this.canary.canaryMinutes) {
      this.report(
        node,
        `runs a ${String(percent)}% canary for ${String(minutes)} min, not the configured ${this.canary.canaryPercent}% for ${this.canary.canaryMinutes} min`,
      );
    }
  }
}
