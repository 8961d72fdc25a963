import type { ProfileName } from '../../config/types';
import type { LayerId } from '../layers';

/**
 * What an entry accepts, checked at every synth against the rendered CloudFormation properties of the resource the
 * entry names (its own resource, or the L2 construct's default child). When the resource no longer matches, the
 * entry is NOT applied: the finding it covered blocks synthesis again, next to a TAP-EXC-3 error naming the value
 * that changed.
 *
 * `property` is a path into `Properties`: keys separated by `.`, `[*]` for every element of a list, e.g.
 * `ContainerDefinitions[*].Environment[*].Name`.
 */
export type Binding =
  /** Every value found at `property` is one of `values` (a new value blocks; removing one does not). */
  | {
      readonly kind: 'values';
      readonly property: string;
      readonly values: readonly (string | number | boolean)[];
    }
  /** At least one value at `property`, and every one a number of at least `minimum`. */
  | { readonly kind: 'minimum'; readonly property: string; readonly minimum: number }
  /**
   * The SHA-256 of the values at `properties` (canonical JSON, {@link fingerprintOf}) is `sha256`: any change to
   * them blocks. The gate prints the current fingerprint of a changed resource, ready to paste after review.
   */
  | { readonly kind: 'fingerprint'; readonly properties: readonly string[]; readonly sha256: string };

/**
 * One accepted finding of THE register (lib/compliance/register/entries.ts).
 *
 * Rules for an entry (checked by `validateRegister`, at synth and in tests):
 * - the path names ONE resource or ONE L2 construct (its default child is a CloudFormation resource), relative to
 *   the stack; never a grouping construct (`Platform`), the stack or the app, except `'*'` for a disabled Control
 *   Tower rule;
 * - a reason a security reviewer can check against the template, an owner, who approved it and the ticket of that
 *   approval, and an expiry date no more than `MAX_ACKNOWLEDGEMENT_DAYS` ahead. After it expires the entry stops
 *   applying and synth fails (TAP-EXC-1) until the finding is fixed or the entry renewed (a renewal is a new
 *   approval: new `approvedBy`, `reference` and `expires`).
 * - `accepts`: what exactly is accepted (see {@link Binding}); required for the rules listed in
 *   `RULES_THAT_MUST_BE_BOUND`, and wherever the accepted decision is a value.
 */
export interface RegisterEntry {
  /** Layer whose finding is accepted. */
  readonly layer: LayerId;
  /**
   * The rule exactly as the layer reports it: `TAP-CAP-5`, `AwsSolutions-IAM4[Policy::...]`,
   * `NIST.800.53.R5-IAMNoInlinePolicy`, a Guard rule name (`alb_http_to_https_redirection_check`), a cfn-lint
   * rule (`E3002`); for a disabled Control Tower rule, its file name (`ct-s3-pr-4`).
   */
  readonly rule: string;
  /** Construct path relative to the stack, e.g. `Platform/LoadBalancing/Alb/ProductionListener`. */
  readonly path: string;
  /**
   * The stack the path is in: the platform stack, the governance stack (`OrderBrokerGovernance-<profile>`) or the
   * organization's StackSet stack (`OrderBrokerGovernance-<profile>-StackSet`).
   *
   * @default 'platform'
   */
  readonly stack?: 'platform' | 'governance' | 'governance-stackset';
  /** Why the finding is accepted, checkable against the template by a reviewer. */
  readonly reason: string;
  /** Team that owns the decision and renews or removes it. */
  readonly owner: string;
  /** Who approved the entry (or its last renewal): a person's handle in the security team, e.g. `j.doe`. */
  readonly approvedBy: string;
  /** The ticket of that approval, e.g. `SEC-1234`. */
  readonly reference: string;
  /** Last day the entry applies (YYYY-MM-DD, UTC). */
  readonly expires: string;
  /** What the entry accepts, checked at synth. */
  readonly accepts?: readonly Binding[];
  /**
   * Profiles it applies to.
   *
   * @default - every profile
   */
  readonly profiles?: readonly ProfileName[];
  /**
   * cfn-lint entries only: the exact message the entry accepts, so one acknowledged message of a rule does not
   * hide any other finding of the same rule on the same construct.
   *
   * @default - every message of the rule on the path
   */
  readonly message?: string;
  /** Control IDs the finding maps to (for auditors), e.g. `CT.ELB.PR.1`, `NIST SC-8`. */
  readonly controls?: readonly string[];
  /**
   * A Control Tower rule switched off for the whole app (path `'*'`).
   *
   * @default false
   */
  readonly disable?: boolean;
}

/** An acknowledgement aws-cdk-lib records by itself on its own constructs, outside the register. */
export interface LibraryAcknowledgement {
  readonly acknowledgedId: string;
  /** The construct type that records it. */
  readonly source: string;
  readonly reason: string;
}
