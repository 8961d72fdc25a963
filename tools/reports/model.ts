import type { RegisterRow } from '../../lib/compliance/acknowledgements';
import type { CatalogRule, LayerCatalog } from '../../lib/compliance/catalog';
import { LAYERS, type LayerId } from '../../lib/compliance/layers';
import { addDays, EXPIRY_WARNING_DAYS } from '../../lib/compliance/register/engine';
import type { ProfileAssembly } from './assembly';
import { cmp, type Finding, type LibraryAcknowledgement } from './findings';
import type { TagCoverage } from './tags';

/** Version of the compliance.json format (reports/compliance.schema.json). */
export const COMPLIANCE_SCHEMA_VERSION = '1.0.0';

/** What the counts mean, written into the reports for their readers. */
export const DEFINITIONS = {
  evaluated:
    'Rules the layer ran on the profile: its catalog (minus rules disabled in the register) plus any rule that reported a finding. cfn-lint runs its full default rule set, which the wrapper does not enumerate.',
  passed: 'Evaluated rules with no finding at all (including rules that found no resource of their kind).',
  failed:
    'Rules with at least one finding that is not acknowledged. An unacknowledged error stops synthesis, so in a committed report these can only be warnings.',
  acknowledged:
    'Rules whose every finding is acknowledged: accepted in the register (lib/compliance/register/entries.ts) with a reason, an owner and an expiry date, or by aws-cdk-lib on its own constructs.',
} as const;

/** One rule that reported something on a profile. */
export interface RuleResult {
  readonly id: string;
  readonly level?: string;
  readonly title?: string;
  readonly control?: string;
  readonly status: 'failed' | 'acknowledged';
  readonly openFindings: number;
  readonly acknowledgedFindings: number;
}

/** One layer's counts on one profile. */
export interface LayerResult {
  readonly id: LayerId;
  readonly title: string;
  readonly pluginName: string;
  /** null for cfn-lint (its rule set is not enumerated). */
  readonly evaluated: number | null;
  readonly passed: number | null;
  readonly failed: number;
  readonly acknowledged: number;
  readonly openFindings: number;
  readonly acknowledgedFindings: number;
  /** The rules that reported something (failed or acknowledged), in rule order. */
  readonly rules: readonly RuleResult[];
}

/** A resource an acknowledgement applies to on a profile. */
export interface AcknowledgedResource {
  readonly constructPath: string;
  readonly logicalId?: string;
  readonly findings: number;
}

/** A register row (acknowledgement, exemption or disabled rule) with what it suppresses on the profile. */
export interface AcknowledgementResult extends Omit<RegisterRow, 'pluginName'> {
  /** Findings it suppresses on this profile (0: the entry applies but nothing needed it on this profile). */
  readonly suppressedFindings: number;
  readonly resources: readonly AcknowledgedResource[];
}

/** An aws-cdk-lib acknowledgement with what it suppresses on the profile. */
export interface LibraryAcknowledgementResult extends LibraryAcknowledgement {
  readonly owner: 'aws-cdk-lib';
  readonly suppressedFindings: number;
  readonly resources: readonly AcknowledgedResource[];
}

/** A finding as compliance.json records it. */
export interface FindingRecord {
  readonly layer: LayerId;
  readonly rule: string;
  readonly ruleId: string;
  readonly level: string;
  readonly message: string;
  readonly constructPath?: string;
  readonly logicalId?: string;
  readonly resourceType?: string;
  readonly source?: { readonly uri: string; readonly line: number; readonly column: number };
  readonly template: { readonly uri: string; readonly line?: number };
  readonly status: 'open' | 'acknowledged';
  readonly acknowledgement?: {
    readonly id: string;
    readonly at: string;
    readonly origin: string;
    readonly reason: string;
    readonly owner?: string;
    readonly expires?: string;
  };
}

/** Everything about one profile. */
export interface ProfileResult {
  readonly profile: string;
  readonly stackName: string;
  readonly template: { readonly path: string; readonly sha256: string; readonly resources: number };
  readonly summary: {
    readonly rulesEvaluated: number;
    readonly openFindings: { readonly error: number; readonly warning: number; readonly note: number };
    readonly acknowledgedFindings: number;
    readonly registerEntries: number;
    readonly tagCoverage: TagCoverage;
  };
  readonly layers: readonly LayerResult[];
  readonly acknowledgements: readonly AcknowledgementResult[];
  readonly libraryAcknowledgements: readonly LibraryAcknowledgementResult[];
  /** Suppressions neither in the register nor aws-cdk-lib's own (should be empty: a test forbids them). */
  readonly unregisteredAcknowledgements: ReadonlyArray<{
    readonly acknowledgedId: string;
    readonly at: string;
    readonly reason: string;
  }>;
  readonly disabledRules: readonly AcknowledgementResult[];
  /** Entries expiring within `withinDays` of `asOf`, the day the gate evaluated the register on. */
  readonly expiringSoon: {
    readonly asOf: string | null;
    readonly withinDays: number;
    readonly entries: ReadonlyArray<{
      readonly layer: LayerId;
      readonly rule: string;
      readonly constructPath: string;
      readonly owner: string;
      readonly expires: string;
    }>;
  };
  readonly findings: readonly FindingRecord[];
}

/** A tool of the gate and its version. */
export interface ToolVersion {
  readonly name: string;
  readonly version: string;
  readonly layers: readonly LayerId[];
}

/** reports/compliance.json. */
export interface ComplianceReport {
  readonly $schema: string;
  readonly schemaVersion: string;
  readonly generatedBy: string;
  readonly documentation: Readonly<Record<string, string>>;
  readonly definitions: typeof DEFINITIONS;
  readonly tools: readonly ToolVersion[];
  readonly layers: ReadonlyArray<{
    readonly id: LayerId;
    readonly title: string;
    readonly pluginName: string;
    readonly namespace: string;
    readonly rules: readonly CatalogRule[];
  }>;
  readonly profiles: readonly ProfileResult[];
}

/** Inputs of one profile's result. */
export interface ProfileInputs {
  readonly assembly: ProfileAssembly;
  readonly findings: readonly Finding[];
  /** listRegister() of the profile (already in report order). */
  readonly register: readonly RegisterRow[];
  readonly library: readonly LibraryAcknowledgement[];
  /** The catalog of every layer for this profile (Control Tower without its disabled rules). */
  readonly catalog: readonly LayerCatalog[];
  readonly tagCoverage: TagCoverage;
}


function resourcesOf(findings: readonly Finding[]): AcknowledgedResource[] {
  const byPath = new Map<string, AcknowledgedResource>();
  for (const f of findings) {
    const key = `${f.constructPath ?? ''}|${f.logicalId ?? ''}`;
    const seen = byPath.get(key);
    byPath.set(key, {
      constructPath: f.constructPath ?? '',
      logicalId: f.logicalId,
      findings: (seen?.findings ?? 0) + 1,
    });
  }
  return [...byPath.values()].sort((a, b) => cmp(a.constructPath, b.constructPath) || cmp(a.logicalId, b.logicalId));
}

function layerResult(layerId: LayerId, findings: readonly Finding[], catalog: readonly LayerCatalog[]): LayerResult {
  const layer = LAYERS.find((l) => l.id === layerId)!;
  const own = findings.filter((f) => f.layer === layerId);
  const catalogued = catalog.find((c) => c.layer.id === layerId)?.rules ?? [];
  const byRule = new Map<string, Finding[]>();
  for (const f of own) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  const rules = [...byRule.entries()]
    .map(([id, fs]): RuleResult => {
      const info = catalogued.find((r) => r.id === id);
      const open = fs.filter((f) => !f.acknowledgement).length;
      return {
        id,
        level: info?.level ?? fs[0].level,
        title: info?.title ?? fs[0].message,
        control: info?.control,
        status: open > 0 ? 'failed' : 'acknowledged',
        openFindings: open,
        acknowledgedFindings: fs.length - open,
      };
    })
    .sort((a, b) => cmp(a.id, b.id));
  const enumerated = layerId !== 'cfn-lint';
  const evaluated = enumerated ? new Set([...catalogued.map((r) => r.id), ...byRule.keys()]).size : null;
  const failed = rules.filter((r) => r.status === 'failed').length;
  const acknowledged = rules.length - failed;
  const openFindings = own.filter((f) => !f.acknowledgement).length;
  return {
    id: layerId,
    title: layer.title,
    pluginName: layer.pluginName,
    evaluated,
    passed: evaluated === null ? null : evaluated - failed - acknowledged,
    failed,
    acknowledged,
    openFindings,
    acknowledgedFindings: own.length - openFindings,
    rules,
  };
}

function findingRecord(f: Finding): FindingRecord {
  const ack = f.acknowledgement;
  return {
    layer: f.layer,
    rule: f.rule,
    ruleId: f.ruleId,
    level: f.level,
    message: f.message,
    constructPath: f.constructPath,
    logicalId: f.logicalId,
    resourceType: f.resourceType,
    source: f.source
      ? { uri: f.source.location.uri, line: f.source.location.line, column: f.source.location.column }
      : undefined,
    template: f.template,
    status: ack ? 'acknowledged' : 'open',
    acknowledgement: ack
      ? {
          id: ack.id,
          at: ack.at,
          origin: ack.origin,
          reason: ack.reason,
          owner: ack.row?.owner ?? (ack.origin === 'aws-cdk-lib' ? 'aws-cdk-lib' : undefined),
          expires: ack.row?.expires,
        }
      : undefined,
  };
}

/** The rows expiring within EXPIRY_WARNING_DAYS of the gate's day (none when the assembly did not record it). */
function expiringSoonOf(register: readonly RegisterRow[], asOf: string | null): ProfileResult['expiringSoon'] {
  const until = asOf ? addDays(new Date(`${asOf}T00:00:00Z`), EXPIRY_WARNING_DAYS) : undefined;
  const entries = until
    ? register
        .filter((r) => r.expires >= asOf! && r.expires <= until)
        .map((r) => ({
          layer: r.layer,
          rule: r.rule,
          constructPath: r.constructPath,
          owner: r.owner,
          expires: r.expires,
        }))
        .sort((a, b) => cmp(a.expires, b.expires) || cmp(a.constructPath, b.constructPath) || cmp(a.rule, b.rule))
    : [];
  return { asOf, withinDays: EXPIRY_WARNING_DAYS, entries };
}

/** The result of one profile: per-layer counts, the register with what each entry suppresses, every finding. */
export function profileResult(inputs: ProfileInputs): ProfileResult {
  const { assembly, findings } = inputs;
  const register = inputs.register;
  const layers = LAYERS.map((l) => layerResult(l.id, findings, inputs.catalog));
  const open = findings.filter((f) => !f.acknowledgement);
  const suppressedBy = (row: RegisterRow) => findings.filter((f) => f.acknowledgement?.row === row);
  const asResult = (row: RegisterRow): AcknowledgementResult => {
    const matched = suppressedBy(row);
    return {
      kind: row.kind,
      layer: row.layer,
      rule: row.rule,
      acknowledgedId: row.acknowledgedId,
      constructPath: row.constructPath,
      reason: row.reason,
      owner: row.owner,
      approvedBy: row.approvedBy,
      reference: row.reference,
      expires: row.expires,
      controls: row.controls,
      accepts: row.accepts,
      suppressedFindings: matched.length,
      resources: resourcesOf(matched),
    };
  };
  const unregistered = new Map<string, { acknowledgedId: string; at: string; reason: string }>();
  for (const f of findings) {
    if (f.acknowledgement?.origin !== 'unregistered') continue;
    const { id, at, reason } = f.acknowledgement;
    unregistered.set(`${id}|${at}`, { acknowledgedId: id, at, reason });
  }
  return {
    profile: assembly.profile,
    stackName: assembly.stackName,
    template: {
      path: assembly.templateFile,
      sha256: assembly.templateSha256,
      resources: Object.keys(assembly.resources).length,
    },
    summary: {
      rulesEvaluated: layers.reduce((n, l) => n + (l.evaluated ?? 0), 0),
      openFindings: {
        error: open.filter((f) => f.level === 'error').length,
        warning: open.filter((f) => f.level === 'warning').length,
        note: open.filter((f) => f.level === 'note').length,
      },
      acknowledgedFindings: findings.length - open.length,
      registerEntries: register.length,
      tagCoverage: inputs.tagCoverage,
    },
    layers,
    acknowledgements: register.filter((r) => r.kind !== 'disabled-rule').map(asResult),
    libraryAcknowledgements: inputs.library.map((l) => {
      const matched = findings.filter(
        (f) => f.acknowledgement?.origin === 'aws-cdk-lib' && f.acknowledgement.id === l.acknowledgedId,
      );
      return {
        ...l,
        owner: 'aws-cdk-lib' as const,
        suppressedFindings: matched.length,
        resources: resourcesOf(matched),
      };
    }),
    unregisteredAcknowledgements: [...unregistered.values()].sort(
      (a, b) => cmp(a.acknowledgedId, b.acknowledgedId) || cmp(a.at, b.at),
    ),
    disabledRules: register.filter((r) => r.kind === 'disabled-rule').map(asResult),
    expiringSoon: expiringSoonOf(register, assembly.gateToday),
    findings: findings.map(findingRecord),
  };
}
