import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { asList, render, resourceOfType } from '../template';

/** Rollback events every deployment group must enable. */
export const REQUIRED_ROLLBACK_EVENTS = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] as const;

/** TAP-ALM-3: every CodeDeploy deployment group watches alarms and rolls back on failure and on alarm. */
export class DeploymentRollbackRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-ALM-3',
    area: 'ALM',
    title: 'Each CodeDeploy deployment group watches alarms and rolls back on failure and on alarm',
    rationale: 'A bad version deployed during market hours must roll back within 5 minutes without a human.',
    fix: 'Give the deployment group its target-group alarms (alarms: [...]) and autoRollback { failedDeployment: true, deploymentInAlarm: true }.',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const group = resourceOfType(node, 'AWS::CodeDeploy::DeploymentGroup');
    if (!group) return;
    const p = render(group).properties;
    const alarms = p.AlarmConfiguration as { Enabled?: boolean; Alarms?: unknown[] } | undefined;
    if (alarms?.Enabled !== true || asList(alarms.Alarms).length === 0) {
      this.report(node, 'watches no alarms (AlarmConfiguration is missing, disabled or empty)');
    }
    const rollback = p.AutoRollbackConfiguration as { Enabled?: boolean; Events?: string[] } | undefined;
    const events = rollback?.Enabled === true ? asList(rollback.Events) : [];
    const missing = REQUIRED_ROLLBACK_EVENTS.filter((e) => !events.includes(e));
    if (missing.length > 0) this.report(node, `does not roll back automatically on ${missing.join(', ')}`);
  }
}
