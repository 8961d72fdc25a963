import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import {
  acknowledgeEntry,
  describeEntry,
  entriesFor,
  entriesForStack,
  entryViolations,
  findConstruct,
  isExpired,
  resourceOf,
} from '../../lib/compliance/register/engine';
import type { RegisterEntry } from '../../lib/compliance/register/types';
import type { ProfileName } from '../../lib/config/types';
import { type RuleInfo, TapRule } from '../rule';

/**
 * TAP-EXC-3: applies the register and checks that each entry still names what it accepts.
 *
 * On the stack (visited before any construct below it, so before every other rule reads an exemption), each entry
 * of the profile that is not expired, not a disabled rule and not a cfn-lint entry is checked against the rendered
 * properties of its resource (`accepts`: a value list, a minimum, a fingerprint). A matching entry is recorded on
 * its construct with `Validations.acknowledge`; an entry whose resource changed is NOT applied, so the finding it
 * covered blocks synthesis again, and this rule says which value the entry does not accept.
 */
export class AcknowledgementBindingRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-EXC-3',
    area: 'EXC',
    title: 'Every register entry accepts exactly the values it was approved for',
    rationale:
      'An acknowledgement approves a content (these environment variables, at least 30 days), not a rule ID: a new plaintext variable or a shorter retention must not ride on an old approval.',
    fix: 'Revert the change, or have the security team approve the new value: update accepts (and approvedBy, reference, expires) of the entry in lib/compliance/register/entries.ts.',
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
      if (entry.disable || entry.layer === 'cfn-lint' || isExpired(entry, this.today)) continue;
      const target = findConstruct(node, entry.path);
      const resource = target && resourceOf(target);
      // A missing construct is TAP-EXC-2's; a grouping construct was refused before synthesis.
      if (!target || !resource) continue;
      const violations = entryViolations(entry, resource);
      if (violations.length === 0) {
        acknowledgeEntry(target, entry);
        continue;
      }
      this.report(
        target,
        `the register entry "${describeEntry(entry)}" no longer applies: ${violations.join('; ')}`,
      );
    }
  }
}
