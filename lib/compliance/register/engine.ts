import { createHash } from 'crypto';
import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ProfileName } from '../../config/types';
import { render } from '../../../aspects/template';
import { layer, type LayerId, layerOrder } from '../layers';
import { REGISTER } from './entries';
import type { Binding, RegisterEntry } from './types';

/**
 * The register engine: validates entries, finds what they name, checks what they accept (bindings) and lists
 * them for the reports. The entries themselves are data, in ./entries.ts; nothing here imports the rules.
 */

/** The file a person edits to add, renew or retire an entry (named in messages). */
export const REGISTER_DATA_FILE = 'lib/compliance/register/entries.ts';

/** The longest an entry may run before it must be reviewed again. */
export const MAX_ACKNOWLEDGEMENT_DAYS = 366;

/** Entries expiring within this many days are listed after every synth and in reports/compliance.md. */
export const EXPIRY_WARNING_DAYS = 30;

/**
 * Rules whose acceptance is a value, so an entry for them MUST say which value (`accepts`): an unbound entry for
 * one of them is a register error. `AwsSolutions-ECS2` (which environment variables), log retention (the
 * minimum), backup retention (the minimum), `Resource::*` (which actions), inline policies (which role),
 * managed policies (which policy and trust), WAF (internal scheme), HTTP listeners (protocol and port).
 */
export const RULES_THAT_MUST_BE_BOUND: readonly RegExp[] = [
  /^AwsSolutions-ECS2$/,
  /^cloudwatch_log_group_retention_period_check$/,
  /-RDSInBackupPlan$/,
  /^AwsSolutions-IAM5\[/,
  /-IAMNoInlinePolicy$/,
  /^AwsSolutions-IAM4\[/,
  /-ALBWAFEnabled$/,
  /-ALBHttpToHttpsRedirection$/,
  /^alb_http_to_https_redirection_check$/,
  /-ELBv2ACMCertificateRequired$/,
  /^AwsSolutions-KDS3$/,
  /^ecs_task_definition_nonroot_user_check$/,
];

const NAG_PACK_PREFIX: Partial<Record<LayerId, string>> = {
  'cdk-nag-aws-solutions': 'AwsSolutions-',
  'cdk-nag-nist-800-53-r5': 'NIST.800.53.R5-',
  'cdk-nag-pci-dss-321': 'PCI.DSS.321-',
};

/** Raised when the register itself is malformed: a programming error, reported before anything is built. */
export class RegisterError extends Error {
  constructor(public readonly problems: string[]) {
    super(
      `Invalid compliance register (${REGISTER_DATA_FILE}):\n` + problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'RegisterError';
  }
}

/** `YYYY-MM-DD` of a date, in UTC. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` `days` after `date` (UTC). */
export function addDays(date: Date, days: number): string {
  return isoDay(new Date(date.getTime() + days * 86_400_000));
}

/** The name of an entry in messages: layer, rule, path (and profiles). */
export function describeEntry(entry: RegisterEntry): string {
  const profiles = entry.profiles ? ` [${entry.profiles.join(', ')}]` : '';
  return `${entry.layer} ${entry.rule} on ${entry.path}${profiles}`;
}

/** True when the entry no longer applies on `today`. */
export function isExpired(entry: RegisterEntry, today: Date): boolean {
  return entry.expires < isoDay(today);
}

/** True when the entry still applies on `today` but expires within `days` days. */
export function isExpiringSoon(entry: RegisterEntry, today: Date, days = EXPIRY_WARNING_DAYS): boolean {
  return !isExpired(entry, today) && entry.expires <= addDays(today, days);
}

/** True when an entry of this rule must carry `accepts` ({@link RULES_THAT_MUST_BE_BOUND}). */
export function mustBeBound(entry: Pick<RegisterEntry, 'rule' | 'disable' | 'layer'>): boolean {
  return (
    !entry.disable && entry.layer !== 'cfn-lint' && RULES_THAT_MUST_BE_BOUND.some((r) => r.test(entry.rule))
  );
}

const PLACEHOLDER = /<[^>]*>/;

/**
 * Problems with the register on `today`: missing or vague reason, missing owner, approver or ticket, malformed,
 * past or too-distant expiry, stack-wide scope, unknown rule namespace, a rule that must be bound without
 * `accepts`, a malformed binding, duplicates. Empty when every entry is valid.
 */
export function validateRegister(entries: readonly RegisterEntry[], today: Date): string[] {
  const problems = [...registerStructureProblems(entries, today)];
  for (const entry of entries) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(entry.expires) && isExpired(entry, today)) {
      problems.push(`${describeEntry(entry)}: expired on ${entry.expires}`);
    }
  }
  return problems;
}

/** Everything {@link validateRegister} checks except expiry in the past (which fails synth as TAP-EXC-1). */
export function registerStructureProblems(entries: readonly RegisterEntry[], today: Date): string[] {
  const problems: string[] = [];
  const maxDay = addDays(today, MAX_ACKNOWLEDGEMENT_DAYS);
  const seen = new Set<string>();
  for (const entry of entries) {
    const name = describeEntry(entry);
    if (!entry.rule?.trim()) problems.push(`${name}: rule is required`);
    const prefix = NAG_PACK_PREFIX[entry.layer];
    if (prefix && !entry.rule.startsWith(prefix)) {
      problems.push(`${name}: a ${entry.layer} rule starts with "${prefix}"`);
    }
    if (entry.layer === 'tap' && !/^TAP-[A-Z]+-\d+$/.test(entry.rule)) {
      problems.push(`${name}: a project rule ID looks like TAP-<AREA>-<n>`);
    }
    if (entry.disable) {
      if (entry.layer !== 'control-tower') problems.push(`${name}: only Control Tower rules can be disabled`);
      if (entry.path !== '*')
        problems.push(`${name}: a disabled rule has path '*' (it applies to the whole app)`);
      if (!/^ct-[a-z0-9]+-pr-\d+$/.test(entry.rule)) {
        problems.push(`${name}: a disabled Control Tower rule is named by its file, e.g. ct-s3-pr-4`);
      }
    } else if (!entry.path?.trim() || entry.path === '*' || entry.path.startsWith('/')) {
      problems.push(
        `${name}: path must name a construct inside the stack (no bare rule ID stack-wide); got "${entry.path}"`,
      );
    }
    if (!entry.reason || entry.reason.trim().length < 40 || PLACEHOLDER.test(entry.reason)) {
      problems.push(
        `${name}: reason is required and must explain the decision (40+ characters, no <placeholder>)`,
      );
    }
    if (!entry.owner || !/^[a-z][a-z0-9-]{2,}$/.test(entry.owner)) {
      problems.push(`${name}: owner is required (a team handle such as platform-team)`);
    }
    if (!entry.approvedBy || !/^[a-z][a-z0-9.-]{2,}$/.test(entry.approvedBy)) {
      problems.push(
        `${name}: approvedBy = "${entry.approvedBy ?? ''}": expected the handle of the security reviewer who approved the entry or its renewal (e.g. j.doe)`,
      );
    }
    if (!entry.reference || !/^[A-Z][A-Z0-9]+-\d+$/.test(entry.reference)) {
      problems.push(
        `${name}: reference = "${entry.reference ?? ''}": expected the ticket of the approval, e.g. SEC-1234`,
      );
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(entry.expires ?? '') || isNaN(Date.parse(`${entry.expires}T00:00:00Z`))) {
      problems.push(`${name}: expires must be a date YYYY-MM-DD; got "${entry.expires}"`);
    } else if (entry.expires > maxDay) {
      problems.push(`${name}: expires ${entry.expires} is more than ${MAX_ACKNOWLEDGEMENT_DAYS} days ahead`);
    }
    if (mustBeBound(entry) && !(entry.accepts && entry.accepts.length > 0)) {
      problems.push(
        `${name}: accepts is required for ${entry.rule} (say which values are accepted: a value list, a minimum or a fingerprint)`,
      );
    }
    if (entry.accepts && (entry.disable || entry.layer === 'cfn-lint')) {
      problems.push(
        `${name}: accepts is checked on acknowledgements and exemptions only, not on ${entry.disable ? 'disabled rules' : 'cfn-lint entries'}`,
      );
    }
    for (const binding of entry.accepts ?? [])
      problems.push(...bindingShapeProblems(binding).map((p) => `${name}: ${p}`));
    for (const profile of entry.profiles ?? ['*']) {
      const key = `${entry.layer}|${entry.rule}|${entry.path}|${profile}`;
      if (seen.has(key)) problems.push(`${name}: duplicate entry`);
      seen.add(key);
    }
  }
  return problems;
}

const PROPERTY_PATH = /^[A-Za-z0-9]+(\[\*\])?(\.[A-Za-z0-9]+(\[\*\])?)*$/;

function bindingShapeProblems(binding: Binding): string[] {
  const paths = binding.kind === 'fingerprint' ? binding.properties : [binding.property];
  const problems = paths
    .filter((p) => !PROPERTY_PATH.test(p))
    .map(
      (p) =>
        `accepts property "${p}": expected Key.Key[*].Key (keys of Properties, [*] for every list element)`,
    );
  if (binding.kind === 'fingerprint' && !/^[0-9a-f]{64}$/.test(binding.sha256)) {
    problems.push(`accepts fingerprint "${binding.sha256}": expected 64 lowercase hex digits (SHA-256)`);
  }
  if (binding.kind === 'minimum' && !Number.isFinite(binding.minimum)) {
    problems.push(`accepts minimum ${String(binding.minimum)}: expected a number`);
  }
  return problems;
}

/** Entries that apply to a profile. */
export function entriesFor(entries: readonly RegisterEntry[], profile: ProfileName): RegisterEntry[] {
  return entries.filter((e) => !e.profiles || e.profiles.includes(profile));
}

/**
 * Which stack of the app a stack is: the governance stack (marked by its constructor) or the platform stack.
 * Register entries apply to the stack their `stack` field names.
 */
export function stackKindOf(stack: Stack): NonNullable<RegisterEntry['stack']> {
  const marks = stack as unknown as Record<symbol, unknown>;
  if (marks[Symbol.for('orderbroker.governance-stackset-stack')] === true) return 'governance-stackset';
  return marks[Symbol.for('orderbroker.governance-stack')] === true ? 'governance' : 'platform';
}

/** The entries that name a construct of `stack` (by its kind, see {@link stackKindOf}). */
export function entriesForStack(entries: readonly RegisterEntry[], stack: Stack): RegisterEntry[] {
  const kind = stackKindOf(stack);
  return entries.filter((e) => (e.stack ?? 'platform') === kind);
}

/**
 * The Guard rule names (Control Tower and project Guard layers) the register acknowledges on some construct of the
 * platform stack for a profile on `today`: at deploy time they cannot block (see lib/governance/guard-rule-set.ts).
 */
export function acknowledgedGuardRules(
  entries: readonly RegisterEntry[],
  profile: ProfileName,
  today: Date,
): Set<string> {
  return new Set(
    entriesFor(entries, profile)
      .filter(
        (e) =>
          (e.layer === 'control-tower' || e.layer === 'tap-guard') &&
          !e.disable &&
          (e.stack ?? 'platform') === 'platform' &&
          !isExpired(e, today),
      )
      .map((e) => e.rule),
  );
}

function stackNameOf(kind: RegisterEntry['stack'], stackName: string, governanceStackName?: string): string {
  if (kind === 'governance') return governanceStackName!;
  if (kind === 'governance-stackset') return `${governanceStackName!}-StackSet`;
  return stackName;
}

/**
 * The acknowledgement ID of an entry as CDK records it in `suppressedViolations` (`<namespace>::<rule>`); for
 * cfn-lint, the ID the lint wrapper reports.
 */
export function acknowledgementId(entry: Pick<RegisterEntry, 'layer' | 'rule'>): string {
  return `${layer(entry.layer).namespace}::${entry.rule}`;
}

/** The construct at `path` (relative to the stack), if it exists. */
export function findConstruct(stack: Stack, path: string): IConstruct | undefined {
  let current: IConstruct | undefined = stack;
  for (const id of path.split('/')) {
    current = current?.node.tryFindChild(id);
    if (!current) return undefined;
  }
  return current;
}

/**
 * The one CloudFormation resource an entry's construct stands for: the construct itself when it is a resource,
 * or the default child of an L2 construct. Undefined for a grouping construct (e.g. `Platform`), which an entry
 * may not name.
 */
export function resourceOf(construct: IConstruct): CfnResource | undefined {
  if (CfnResource.isCfnResource(construct)) return construct;
  const child = construct.node.defaultChild;
  return child && CfnResource.isCfnResource(child) ? child : undefined;
}

/**
 * Entries (of `profile`, not disabled) whose construct exists but is not one resource or one L2 construct.
 * Checked before synthesis: such an entry would acknowledge a rule on everything below it.
 */
export function scopeProblems(
  stack: Stack,
  entries: readonly RegisterEntry[],
  profile: ProfileName,
): string[] {
  const problems: string[] = [];
  for (const entry of entriesFor(entriesForStack(entries, stack), profile)) {
    if (entry.disable) continue;
    const target = findConstruct(stack, entry.path);
    // An imported construct (fromXxx) renders no resource at all: nothing to acknowledge, not a scope problem.
    if (target && !resourceOf(target) && target.node.findAll().some((c) => CfnResource.isCfnResource(c))) {
      const children = target.node.children.length;
      problems.push(
        `${describeEntry(entry)}: path "${entry.path}" names a grouping construct (${children} children), not one resource or one L2 construct; name the resource the finding is on (e.g. ${entry.path}/<Resource>)`,
      );
    }
  }
  return problems;
}

/**
 * The values at a property path (`A.B[*].C`): a list at the end of the path contributes its elements; a missing
 * key contributes nothing.
 */
export function valuesAt(properties: unknown, propertyPath: string): unknown[] {
  let current: unknown[] = [properties];
  for (const segment of propertyPath.split('.')) {
    const each = segment.endsWith('[*]');
    const key = each ? segment.slice(0, -3) : segment;
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
      const child = (value as Record<string, unknown>)[key];
      if (child === undefined) continue;
      if (each) {
        if (Array.isArray(child)) next.push(...(child as unknown[]));
      } else next.push(child);
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]));
}

/** JSON with object keys sorted: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The fingerprint of a resource's values at `properties`: SHA-256 of `[[path, values], ...]` as canonical JSON. */
export function fingerprintOf(properties: Record<string, unknown>, paths: readonly string[]): string {
  const text = canonicalJson(paths.map((p) => [p, valuesAt(properties, p)]));
  return createHash('sha256').update(text).digest('hex');
}

/** Why `properties` fall outside what the binding accepts; empty when they match. */
export function bindingViolations(binding: Binding, properties: Record<string, unknown>): string[] {
  switch (binding.kind) {
    case 'values': {
      const allowed = new Set(binding.values.map(canonicalJson));
      return valuesAt(properties, binding.property)
        .filter((v) => !allowed.has(canonicalJson(v)))
        .map(
          (v) =>
            `${binding.property} has ${canonicalJson(v)}, which the entry does not accept (accepted: ${binding.values.map((x) => canonicalJson(x)).join(', ') || 'none'})`,
        );
    }
    case 'minimum': {
      const values = valuesAt(properties, binding.property);
      if (values.length === 0)
        return [`${binding.property} is not set (the entry accepts at least ${binding.minimum})`];
      return values
        .filter((v) => typeof v !== 'number' || v < binding.minimum)
        .map(
          (v) => `${binding.property} is ${canonicalJson(v)}, below the accepted minimum ${binding.minimum}`,
        );
    }
    case 'fingerprint': {
      const actual = fingerprintOf(properties, binding.properties);
      return actual === binding.sha256
        ? []
        : [
            `${binding.properties.join(', ')} changed since the entry was approved (fingerprint ${actual}, approved ${binding.sha256})`,
          ];
    }
  }
}

/** Why a resource falls outside what an entry accepts; empty when the entry is unbound or everything matches. */
export function entryViolations(entry: RegisterEntry, resource: CfnResource): string[] {
  if (!entry.accepts || entry.accepts.length === 0) return [];
  const properties = render(resource).properties;
  return entry.accepts.flatMap((b) => bindingViolations(b, properties));
}

/**
 * Records an entry on its construct with `Validations.acknowledge` (what CDK and the plugins read). The caller
 * has checked scope, expiry and bindings.
 */
export function acknowledgeEntry(target: IConstruct, entry: RegisterEntry): void {
  Validations.of(target).acknowledge({ id: acknowledgementId(entry), reason: entry.reason });
}

/** The Control Tower rules (file names) disabled for a profile on `today`. */
export function disabledControlTowerRules(
  entries: readonly RegisterEntry[],
  profile: ProfileName,
  today: Date,
): string[] {
  return entriesFor(entries, profile)
    .filter((e) => e.disable && !isExpired(e, today))
    .map((e) => e.rule);
}

/** One row of the register as data, for the reports generator and the lint wrapper. */
export interface RegisterRow {
  readonly kind: 'acknowledgement' | 'exemption' | 'disabled-rule';
  readonly layer: LayerId;
  /** `pluginName` of the layer in the validation report. */
  readonly pluginName: string;
  readonly rule: string;
  /** The ID in `suppressedViolations[].acknowledgedId` (or the lint wrapper's output). */
  readonly acknowledgedId: string;
  /** Full construct path (`OrderBroker-dev/...`), as in `suppressedViolations[].acknowledgedAt`; `*` for a disabled rule. */
  readonly constructPath: string;
  readonly reason: string;
  readonly owner: string;
  readonly approvedBy: string;
  readonly reference: string;
  readonly expires: string;
  readonly controls: readonly string[];
  /** What the entry accepts, for people: one line per binding; empty when unbound. */
  readonly accepts: readonly string[];
}

/** A binding in one line, for reports and messages. */
export function describeBinding(binding: Binding): string {
  switch (binding.kind) {
    case 'values':
      return `${binding.property} only ${binding.values.map((v) => canonicalJson(v)).join(', ') || '(nothing)'}`;
    case 'minimum':
      return `${binding.property} >= ${binding.minimum}`;
    case 'fingerprint':
      return `${binding.properties.join(', ')} unchanged (sha256 ${binding.sha256.slice(0, 12)}…)`;
  }
}

const byCodeUnit = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/**
 * The register for one deployment as plain data, sorted (layer, rule, path): what the reports show as
 * acknowledgements, exemptions and disabled rules. Join with the validation report on
 * (`acknowledgedId`, `constructPath`) = (`acknowledgedId`, `acknowledgedAt`).
 */
export function listRegister(options: {
  readonly profile: ProfileName;
  readonly stackName: string;
  readonly entries?: readonly RegisterEntry[];
  /**
   * The governance stack's name: its entries, and those of its StackSet stack (`<name>-StackSet`), are listed only
   * when given (the reports cover the platform stack).
   *
   * @default - governance entries left out
   */
  readonly governanceStackName?: string;
}): RegisterRow[] {
  const entries = entriesFor(options.entries ?? REGISTER, options.profile).filter(
    (e) => (e.stack ?? 'platform') === 'platform' || options.governanceStackName !== undefined,
  );
  const rows = entries.map((e): RegisterRow => ({
    kind: e.disable ? 'disabled-rule' : e.layer === 'tap' ? 'exemption' : 'acknowledgement',
    layer: e.layer,
    pluginName: layer(e.layer).pluginName,
    rule: e.rule,
    acknowledgedId: acknowledgementId(e),
    constructPath: e.disable
      ? '*'
      : `${stackNameOf(e.stack, options.stackName, options.governanceStackName)}/${e.path}`,
    reason: e.reason,
    owner: e.owner,
    approvedBy: e.approvedBy,
    reference: e.reference,
    expires: e.expires,
    controls: [...(e.controls ?? [])],
    accepts: (e.accepts ?? []).map(describeBinding),
  }));
  // Report order, by code unit (independent of the machine's locale).
  return rows.sort(
    (a, b) =>
      layerOrder(a.layer) - layerOrder(b.layer) ||
      byCodeUnit(a.rule, b.rule) ||
      byCodeUnit(a.constructPath, b.constructPath),
  );
}

/** Entries of a profile that expire within {@link EXPIRY_WARNING_DAYS} days of `today`, soonest first. */
export function expiringSoon(
  entries: readonly RegisterEntry[],
  profile: ProfileName,
  today: Date,
  days = EXPIRY_WARNING_DAYS,
): RegisterEntry[] {
  return entriesFor(entries, profile)
    .filter((e) => isExpiringSoon(e, today, days))
    .sort((a, b) => byCodeUnit(a.expires, b.expires) || byCodeUnit(describeEntry(a), describeEntry(b)));
}
