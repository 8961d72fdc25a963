import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { render, resourceOfType } from '../template';

/** TAP-DAT-4: every log group has an explicit retention. */
export class LogRetentionRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-DAT-4',
    area: 'DAT',
    title: 'Every log group sets its retention',
    rationale:
      'Logs kept forever are a cost and a data-retention liability; logs kept too briefly defeat audits.',
    fix: 'Set retention from the configuration (logRetentionDays: 30 in dev, 400 in prod).',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const logGroup = resourceOfType(node, 'AWS::Logs::LogGroup');
    if (!logGroup) return;
    if (render(logGroup).properties.RetentionInDays === undefined)
      this.report(node, 'never expires its logs');
  }
}
