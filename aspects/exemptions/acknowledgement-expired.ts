import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import {
  describeEntry,
  entriesFor,
  entriesForStack,
  findConstruct,
  isExpired,
  isoDay,
} from '../../lib/compliance/register/engine';
import type { RegisterEntry } from '../../lib/compliance/register/types';
import type { ProfileName } from '../../lib/config/types';
import { type RuleInfo, TapRule } from '../rule';

/**
 * TAP-EXC-1: an expired acknowledgement or exemption fails synthesis, naming the entry. The expired entry is
 * not applied, so the finding it covered is reported again next to this error.
 */
export class AcknowledgementExpiredRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-EXC-1',
    area: 'EXC',
    title: 'No acknowledgement, exemption or disabled rule in the register is past its expiry date',
    rationale: 'Accepted risks are re-reviewed on a date; an expired one must not keep silencing a finding.',
    fix: 'Fix the finding and delete the entry in lib/compliance/register/entries.ts, or have its owner renew it with a current reason and a new expiry date.',
    level: 'error',
  };

  constructor(
    private readonly entries: readonly RegisterEntry[],
    private readonly profile: ProfileName,
    private readonly today: Date,
  ) {
    super();
  }

  public visit(node: IConstruct): void {
    if (!Stack.isStack(node)) return;
    for (const entry of entriesFor(entriesForStack(this.entries, node), this.profile)) {
      if (!isExpired(entry, this.today)) continue;
      const target = entry.disable ? node : (findConstruct(node, entry.path) ?? node);
      this.report(
        target,
        `the register entry "${describeEntry(entry)}" (owner ${entry.owner}) expired on ${entry.expires} (today is ${isoDay(this.today)}) and no longer applies`,
      );
    }
  }
}
