import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { actionsOf, identityPermissions } from './policies';

/** TAP-IAM-1: identity policies allow named actions only. */
export class NoWildcardActionsRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-IAM-1',
    area: 'IAM',
    title: 'IAM policies allow no wildcard actions (`*`, `service:*`) and use no NotAction in an Allow',
    rationale:
      'A wildcard action grants every present and future API of a service (least privilege, NIST AC-6).',
    fix: 'List the exact actions the principal calls (for example kinesis:PutRecord, kinesis:PutRecords).',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const permissions = identityPermissions(node);
    if (!permissions) return;
    for (const statement of permissions.statements) {
      if (statement.Effect !== 'Allow') continue;
      if (statement.NotAction !== undefined) {
        this.report(node, 'an Allow statement uses NotAction, which allows every action not listed');
      }
      const wildcards = actionsOf(statement).filter((a) => a === '*' || /^[A-Za-z0-9-]+:\*$/.test(a));
      if (wildcards.length > 0) {
        this.report(node, `allows wildcard action(s) ${wildcards.join(', ')}`);
      }
    }
  }
}
