import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import {
  describeEntry,
  entriesFor,
  entriesForStack,
  findConstruct,
  isExpired,
} from '../../lib/compliance/register/engine';
import type { RegisterEntry } from '../../lib/compliance/register/types';
import type { ProfileName } from '../../lib/config/types';
import { type RuleInfo, TapRule } from '../rule';

/**
 * TAP-EXC-2 (warning): a register entry names a construct that does not exist in this deployment. Expected
 * when configuration removes the construct (an imported VPC has no public subnets); otherwise the entry is
 * stale or its path is wrong and should be fixed.
 */
export class AcknowledgementUnmatchedRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-EXC-2',
    area: 'EXC',
    title: 'Every register entry names a construct that exists',
    rationale:
      'A stale entry hides nothing today but would silently cover a new construct created at that path later.',
    fix: 'Correct the path in lib/compliance/register/entries.ts, restrict the entry with profiles, or delete it.',
    level: 'warning',
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
      if (entry.disable || isExpired(entry, this.today) || findConstruct(node, entry.path)) continue;
      this.report(
        node,
        `the register entry "${describeEntry(entry)}" matches no construct in ${node.stackName}`,
      );
    }
  }
}
