import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { render, resourceOfType } from '../template';

/** TAP-CAP-4: services are deployed by CodeDeploy blue/green. */
export class CodeDeployControllerRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-CAP-4',
    area: 'CAP',
    title: 'ECS services use the CODE_DEPLOY deployment controller',
    rationale:
      'Deployments during market hours must shift traffic blue/green with test-listener validation and automatic rollback.',
    fix: 'Set deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY } and deploy through the CodeDeploy deployment group.',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const service = resourceOfType(node, 'AWS::ECS::Service');
    if (!service) return;
    const type =
      (render(service).properties.DeploymentController as { Type?: string } | undefined)?.Type ?? 'ECS';
    if (type !== 'CODE_DEPLOY') this.report(node, `uses the ${type} deployment controller`);
  }
}
