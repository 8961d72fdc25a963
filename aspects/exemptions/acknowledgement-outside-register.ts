import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { acknowledgementId, entriesFor, isExpired } from '../../lib/compliance/register/engine';
import type { LibraryAcknowledgement, RegisterEntry } from '../../lib/compliance/register/types';
import type { ProfileName } from '../../lib/config/types';
import { type RuleInfo, TapRule } from '../rule';

/** Acknowledgements recorded on a construct: ID -> reason (`Validations.of(x).acknowledge`). */
export function acknowledgementsOn(node: IConstruct): Array<[string, string]> {
  return node.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries((m.data ?? {}) as Record<string, string>));
}

/**
 * TAP-EXC-4: every acknowledgement in the app comes from the register (or is one aws-cdk-lib records on its own
 * constructs, listed in LIBRARY_ACKNOWLEDGEMENTS). A `Validations.of(x).acknowledge()` written in a construct is an
 * error: it would silence a finding without an owner, an approval or an expiry date.
 */
export class AcknowledgementOutsideRegisterRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-EXC-4',
    area: 'EXC',
    title: 'No acknowledgement is recorded outside the register',
    rationale:
      'Accepted findings are reviewed in one place with an owner, an approval and an expiry; one acknowledged in code escapes all three.',
    fix: 'Delete the Validations.of(...).acknowledge() call and add an entry to lib/compliance/register/entries.ts (docs/register.md).',
    level: 'error',
  };

  private readonly allowed = new Set<string>();

  constructor(
    entries: readonly RegisterEntry[],
    profile: ProfileName,
    today: Date,
    private readonly library: readonly LibraryAcknowledgement[],
  ) {
    super();
    for (const e of entriesFor(entries, profile)) {
      if (e.disable || e.layer === 'cfn-lint' || isExpired(e, today)) continue;
      this.allowed.add(`${e.path}|${acknowledgementId(e)}|${e.reason}`);
    }
  }

  public visit(node: IConstruct): void {
    const stack = node.node.scopes.find((s): s is Stack => Stack.isStack(s));
    const relative = !stack || node === stack ? '' : node.node.path.slice(stack.node.path.length + 1);
    for (const [id, reason] of acknowledgementsOn(node)) {
      if (this.allowed.has(`${relative}|${id}|${reason}`)) continue;
      if (this.library.some((l) => l.acknowledgedId === id && l.reason === reason)) continue;
      this.report(
        node,
        `"${id}" is acknowledged on ${node.node.path} outside the register (reason "${reason}")`,
      );
    }
  }
}
