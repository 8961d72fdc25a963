import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { render, resourceOfType } from '../template';

/**
 * TAP-DEP-3: blue is kept alive after the full shift at least for the bake window (terminationWaitMinutes of the
 * configuration), so an alarm in that window still has a version to roll back to.
 */
export class TerminationWaitRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-DEP-3',
    area: 'DEP',
    title: 'Blue/green groups keep blue for at least the bake window (terminationWaitMinutes)',
    rationale:
      'At a shorter wait blue is gone while a rollback alarm can still fire: the rollback has nothing to return to.',
    fix: 'Set blueGreenDeploymentConfig.terminationWaitTime to Duration.minutes(terminationWaitMinutes) (lib/constructs/blue-green.ts).',
    level: 'error',
  };

  /** @param bakeMinutes terminationWaitMinutes of the configuration. */
  constructor(private readonly bakeMinutes: number) {
    super();
  }

  public visit(node: IConstruct): void {
    const group = resourceOfType(node, 'AWS::CodeDeploy::DeploymentGroup');
    if (!group) return;
    const p = render(group).properties;
    if (p.ECSServices === undefined) return;
    const terminate = (
      p.BlueGreenDeploymentConfiguration as
        | {
            TerminateBlueInstancesOnDeploymentSuccess?: {
              Action?: string;
              TerminationWaitTimeInMinutes?: unknown;
            };
          }
        | undefined
    )?.TerminateBlueInstancesOnDeploymentSuccess;
    if (terminate?.Action === 'KEEP_ALIVE') return;
    const wait = terminate?.TerminationWaitTimeInMinutes ?? 0;
    if (typeof wait !== 'number' || wait < this.bakeMinutes) {
      this.report(
        node,
        `terminates blue ${JSON.stringify(wait)} min after the shift, shorter than the bake window of ${this.bakeMinutes} min`,
      );
    }
  }
}
