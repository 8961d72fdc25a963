import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { render } from '../template';

/** TAP-DAT-3: databases and tables cannot be deleted by an API call or a stack operation. */
export class DeletionProtectionRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-DAT-3',
    area: 'DAT',
    title: 'Databases and tables are deletion-protected',
    rationale:
      'The orders database is the system of record; deleting it must take a deliberate, separate change.',
    fix: 'Set deletionProtection: true (DynamoDB: deletionProtection: true).',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const { type, properties: p } = render(node);
    const unprotected =
      (type === 'AWS::RDS::DBCluster' && p.DeletionProtection !== true) ||
      (type === 'AWS::RDS::DBInstance' &&
        p.DBClusterIdentifier === undefined &&
        p.DeletionProtection !== true) ||
      (type === 'AWS::DynamoDB::Table' && p.DeletionProtectionEnabled !== true);
    if (unprotected) this.report(node, 'is not deletion-protected');
  }
}
