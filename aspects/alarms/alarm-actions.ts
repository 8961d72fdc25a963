import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { asList, render, resourceOfType } from '../template';

/** TAP-ALM-2: every alarm notifies someone (or does something) when it fires. */
export class AlarmActionsRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-ALM-2',
    area: 'ALM',
    title: 'Every alarm has an alarm action and its actions are enabled',
    rationale: 'An alarm without an action fires silently: nobody is paged and nothing scales or rolls back.',
    fix: 'Add the SRE topic (observability.alarmAction) or the scaling/rollback action to the alarm; never set actionsEnabled: false.',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const alarm = resourceOfType(node, 'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm');
    if (!alarm) return;
    const p = render(alarm).properties;
    if (asList(p.AlarmActions).length === 0) this.report(node, 'has no AlarmActions');
    if (p.ActionsEnabled === false) this.report(node, 'has ActionsEnabled: false');
  }
}
