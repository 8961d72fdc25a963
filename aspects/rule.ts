import { Annotations, type IAspect, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { tapAcknowledgementId } from '../lib/compliance/layers';

/** Areas of the project rules: the middle part of `TAP-<AREA>-<n>`. */
export type RuleArea = 'TAG' | 'IAM' | 'ALM' | 'CAP' | 'SCL' | 'DEP' | 'DAT' | 'NET' | 'EXC';

/** What every project rule declares about itself. */
export interface RuleInfo {
  /** Stable ID, `TAP-<AREA>-<n>`. Never renumbered: reports and exemptions refer to it. */
  readonly id: string;
  readonly area: RuleArea;
  /** One line: what the rule requires. */
  readonly title: string;
  /** One line: why (the control or incident it comes from). */
  readonly rationale: string;
  /** How to fix a finding. */
  readonly fix: string;
  /** `error` blocks synthesis; `warning` is reported only. */
  readonly level: 'error' | 'warning';
}

// The namespace lives with the layers, so the register does not import the rules to restate it.
export { ANNOTATION_NAMESPACE, tapAcknowledgementId } from '../lib/compliance/layers';

/**
 * A project rule: a READONLY Aspect that reports each non-compliant construct once, with its rule ID, what is
 * wrong, why it matters and how to fix it.
 */
export abstract class TapRule implements IAspect {
  public abstract readonly info: RuleInfo;

  public abstract visit(node: IConstruct): void;

  /** Reports a finding on `node`. `finding` says what is wrong with this construct, in one sentence. */
  protected report(node: IConstruct, finding: string): void {
    reportFinding(node, this.info, finding);
  }
}

/**
 * Reports a finding of `rule` on `node`.
 *
 * Annotation errors cannot be acknowledged, so an exemption from the register (an acknowledgement of
 * `Annotation::<ruleId>` on the node or an ancestor) turns the finding into a warning written in the same
 * `message (Annotation::<ruleId>)` form `Validations.addError` uses. CDK then matches that warning to the
 * exemption and lists it in `suppressedViolations` with its reason. (A `Validations.addWarning` warning would
 * instead be dropped without a trace when acknowledged.)
 */
export function reportFinding(node: IConstruct, rule: RuleInfo, finding: string): void {
  const message = `${rule.id}: ${finding.replace(/\.$/, '')}. Why: ${rule.rationale} Fix: ${rule.fix}`;
  const ackId = tapAcknowledgementId(rule.id);
  if (isAcknowledged(node, ackId)) {
    Annotations.of(node).addWarning(`${message} (${ackId})`);
  } else if (rule.level === 'error') {
    Validations.of(node).addError(rule.id, message);
  } else {
    Validations.of(node).addWarning(rule.id, message);
  }
}

/** True when `id` is acknowledged on `node` or one of its ancestors (`Validations.of(x).acknowledge`). */
export function isAcknowledged(node: IConstruct, id: string): boolean {
  for (let current: IConstruct | undefined = node; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      if (Object.prototype.hasOwnProperty.call(entry.data ?? {}, id)) return true;
    }
  }
  return false;
}
