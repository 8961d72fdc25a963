import { governanceStackName } from '../governance/governance-stack';
import * as fs from 'fs';
import * as path from 'path';
import { readTemplateResources } from '../cfn-template';
import type { ProfileName } from '../config/types';
import { LAYERS, layerByPluginName, type LayerId, layerOrder } from './layers';
import {
  addDays,
  canonicalJson,
  describeEntry,
  expiringSoon,
  fingerprintOf,
  isoDay,
  listRegister,
  REGISTER_DATA_FILE,
} from './register/engine';
import type { LibraryAcknowledgement, RegisterEntry } from './register/types';

/** The file the gate writes into the cloud assembly after synthesis: what it did, and the day it used. */
export const GATE_RECORD_FILE = 'compliance-gate.json';

interface Construct {
  readonly constructPath?: string;
  readonly cloudFormationResource?: { readonly logicalId?: string };
  readonly stackTraces?: readonly string[];
}
interface Violation {
  readonly ruleName: string;
  readonly description?: string;
  readonly severity?: string;
  readonly violatingConstructs: readonly Construct[];
  readonly acknowledgedId?: string;
  readonly acknowledgedAt?: string;
  readonly reason?: string;
}
interface Report {
  readonly pluginReports: ReadonlyArray<{
    readonly pluginName: string;
    readonly conclusion: string;
    readonly violations?: readonly Violation[];
    readonly suppressedViolations?: readonly Violation[];
  }>;
}

/** One blocking finding, with the register entry that would accept it. */
export interface BlockingFinding {
  readonly layer: string;
  readonly rule: string;
  /** Construct path relative to the stack. */
  readonly path: string;
  readonly description: string;
  /** Where the construct (or, for a security-group rule, the rule) was added, when the stack trace tells. */
  readonly source?: string;
  /** A register entry to paste into lib/compliance/register/entries.ts after review. */
  readonly suggestedEntry: string;
}

/** What the gate did on one synthesis. */
export interface GateRecord {
  readonly profile: ProfileName;
  readonly stackName: string;
  /** The day the register was evaluated on (YYYY-MM-DD): the reports take "today" from here. */
  readonly today: string;
  readonly layers: ReadonlyArray<{
    readonly id: LayerId | 'unknown';
    readonly pluginName: string;
    readonly conclusion: string;
    readonly errors: number;
    readonly acknowledged: number;
  }>;
  readonly exemptionsApplied: readonly string[];
  readonly acknowledgementsApplied: number;
  readonly outsideRegister: readonly string[];
  readonly expiringSoon: ReadonlyArray<{
    readonly entry: string;
    readonly expires: string;
    readonly owner: string;
  }>;
  readonly blocking: readonly BlockingFinding[];
}

/** Options of {@link gateRecord}. */
export interface GateRecordOptions {
  readonly outdir: string;
  readonly profile: ProfileName;
  readonly stackName: string;
  readonly register: readonly RegisterEntry[];
  readonly library: readonly LibraryAcknowledgement[];
  readonly today: Date;
  /** Rules each layer evaluated (by layer ID), when known. */
  readonly rulesByLayer?: Readonly<Partial<Record<LayerId, number>>>;
}

const relative = (stackName: string, constructPath = '') =>
  constructPath.startsWith(`${stackName}/`) ? constructPath.slice(stackName.length + 1) : constructPath;

/** The L2 construct a finding on its default child belongs to (`.../Alb/Resource` -> `.../Alb`). */
function entryPath(p: string): string {
  return p.replace(/\/(Resource|Default)$/, '');
}

/** The first stack frame in the project (not node_modules, not node internals), as `file:line`. */
export function projectFrame(
  stackTraces: readonly string[] | undefined,
  prefer?: RegExp,
): string | undefined {
  const frames = (stackTraces ?? [])
    .map((l) => /\(?((?:\/|[A-Za-z]:)[^():]+):(\d+):\d+\)?\s*$/.exec(l))
    .filter((m): m is RegExpExecArray => !!m && !m[1].includes('node_modules') && !m[1].startsWith('node:'));
  const chosen = (prefer && frames.find((m) => prefer.test(m[1]))) ?? frames[0];
  return chosen
    ? `${path.relative(process.cwd(), chosen[1]).split(path.sep).join('/')}:${chosen[2]}`
    : undefined;
}

function templateResources(
  outdir: string,
  stackName: string,
): Record<string, { Properties?: Record<string, unknown> }> {
  const file = path.join(outdir, `${stackName}.template.json`);
  return fs.existsSync(file) ? readTemplateResources(file) : {};
}

/** A ready-to-paste register entry for a blocking finding (placeholders in <> must be replaced: validation refuses them). */
export function suggestEntry(options: {
  readonly layer: LayerId | 'unknown';
  readonly rule: string;
  readonly path: string;
  readonly profile: ProfileName;
  readonly today: Date;
  readonly properties?: Record<string, unknown>;
}): string {
  const keys = Object.keys(options.properties ?? {})
    .filter((k) => k !== 'Tags')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const accepts =
    options.properties && keys.length > 0
      ? `\n  accepts: [{ kind: 'fingerprint', properties: ${canonicalJson(keys).replace(/"/g, "'")}, sha256: '${fingerprintOf(options.properties, keys)}' }], // or a value list / minimum`
      : '';
  return [
    '{',
    `  layer: '${options.layer}',`,
    `  rule: '${options.rule}',`,
    `  path: '${options.path}',`,
    `  profiles: ['${options.profile}'],${accepts}`,
    `  reason: '<why this is acceptable, checkable against the template>',`,
    `  owner: '<team>',`,
    `  approvedBy: '<security reviewer>',`,
    `  reference: '<TICKET-123>',`,
    `  expires: '${addDays(options.today, 90)}',`,
    '},',
  ].join('\n');
}

/** Reads the validation report of `outdir` and says what the gate did. */
export function gateRecord(options: GateRecordOptions): GateRecord {
  const { outdir, stackName, profile, today } = options;
  const reportFile = path.join(outdir, 'validation-report.json');
  const report: Report = fs.existsSync(reportFile)
    ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as Report)
    : { pluginReports: [] };
  const rows = listRegister({
    profile,
    stackName,
    entries: options.register,
    governanceStackName: governanceStackName(profile),
  });
  const resources = templateResources(outdir, stackName);
  const blocking: BlockingFinding[] = [];
  const exemptions = new Set<string>();
  const outside = new Set<string>();
  let acknowledged = 0;
  const layers = report.pluginReports.map((p) => {
    const l = layerByPluginName(p.pluginName);
    const errors = (p.violations ?? []).filter((v) => v.severity === 'error' || v.severity === 'fatal');
    for (const v of errors) {
      for (const c of v.violatingConstructs) {
        const p2 = entryPath(relative(stackName, c.constructPath));
        // TAP findings are reported as `TAP-XXX-n`; cdk-nag prefixes its pack.
        const rule = v.ruleName;
        const properties = c.cloudFormationResource?.logicalId
          ? resources[c.cloudFormationResource.logicalId]?.Properties
          : undefined;
        blocking.push({
          layer: l?.id ?? p.pluginName,
          rule,
          path: p2,
          description: (v.description ?? '').split('\n')[0],
          // A security-group rule added by connections.allowFrom/addIngressRule: prefer the frame that added it.
          source: projectFrame(c.stackTraces, /lib\/constructs\//),
          suggestedEntry: suggestEntry({
            layer: l?.id ?? 'unknown',
            rule,
            path: p2,
            profile,
            today,
            properties,
          }),
        });
      }
    }
    for (const s of p.suppressedViolations ?? []) {
      acknowledged++;
      const fromRegister = rows.some(
        (r) =>
          r.acknowledgedId === s.acknowledgedId &&
          r.constructPath === s.acknowledgedAt &&
          r.reason === s.reason,
      );
      const fromLibrary = options.library.some(
        (x) => x.acknowledgedId === s.acknowledgedId && x.reason === s.reason,
      );
      if (!fromRegister && !fromLibrary) outside.add(`${s.acknowledgedId} @ ${s.acknowledgedAt ?? '?'}`);
      if (l?.id === 'tap') exemptions.add(`${s.ruleName} on ${relative(stackName, s.acknowledgedAt)}`);
    }
    return {
      id: l?.id ?? ('unknown' as const),
      pluginName: p.pluginName,
      conclusion: p.conclusion,
      errors: errors.reduce((n, v) => n + v.violatingConstructs.length, 0),
      acknowledged: (p.suppressedViolations ?? []).length,
    };
  });
  // In the order of LAYERS, not the order CDK asked the plugins in (the gate asks the Guard layers last, for speed).
  const rank = (id: string) => (id === 'unknown' ? LAYERS.length : layerOrder(id as LayerId));
  layers.sort((a, b) => rank(a.id) - rank(b.id));
  return {
    profile,
    stackName,
    today: isoDay(today),
    layers,
    exemptionsApplied: [...exemptions].sort(),
    acknowledgementsApplied: acknowledged,
    outsideRegister: [...outside].sort(),
    expiringSoon: expiringSoon(options.register, profile, today).map((e) => ({
      entry: describeEntry(e),
      expires: e.expires,
      owner: e.owner,
    })),
    blocking,
  };
}

/** The summary block printed after every synth (stderr), from a {@link GateRecord}. */
export function formatGateSummary(
  record: GateRecord,
  options: {
    readonly reportPath: string;
    readonly rulesByLayer?: Readonly<Partial<Record<LayerId, number>>>;
  },
): string[] {
  const failed = record.blocking.length > 0 || record.outsideRegister.length > 0;
  const out: string[] = [];
  if (failed) {
    const perLayer = new Map<string, number>();
    for (const b of record.blocking) perLayer.set(b.layer, (perLayer.get(b.layer) ?? 0) + 1);
    out.push(
      `COMPLIANCE GATE FAILED (${record.stackName}): ${record.blocking.length} blocking finding(s)` +
        (perLayer.size ? ` — ${[...perLayer].map(([l, n]) => `${l}: ${n}`).join(', ')}` : ''),
    );
  }
  out.push(`Compliance gate summary (${record.stackName}, register evaluated on ${record.today}):`);
  for (const l of record.layers) {
    const rules = l.id !== 'unknown' ? options.rulesByLayer?.[l.id] : undefined;
    out.push(
      `  ${l.pluginName.padEnd(24)} ${l.conclusion.padEnd(8)} ${rules !== undefined ? `${rules} rules, ` : ''}${l.errors} blocking, ${l.acknowledged} acknowledged`,
    );
  }
  // The report lists only plugins with something to say; every layer but cfn-lint runs at synth.
  const ran = new Set(record.layers.map((l) => l.id));
  for (const l of LAYERS.filter((x) => !ran.has(x.id))) {
    const rules = options.rulesByLayer?.[l.id];
    out.push(
      l.id === 'cfn-lint'
        ? `  ${l.pluginName.padEnd(24)} runs after synth: npm run lint:cfn`
        : `  ${l.pluginName.padEnd(24)} ${'success'.padEnd(8)} ${rules !== undefined ? `${rules} rules, ` : ''}no finding`,
    );
  }
  out.push(
    `  acknowledgements applied: ${record.acknowledgementsApplied} (register ${REGISTER_DATA_FILE})`,
    `  exemptions in use: ${record.exemptionsApplied.length === 0 ? 'none' : record.exemptionsApplied.join('; ')}`,
  );
  if (record.expiringSoon.length === 0) out.push('  entries expiring within 30 days: none');
  else {
    out.push(`  entries expiring within 30 days: ${record.expiringSoon.length}`);
    for (const e of record.expiringSoon) out.push(`    - ${e.expires} ${e.entry} (owner ${e.owner})`);
  }
  for (const o of record.outsideRegister) out.push(`  ERROR acknowledgement outside the register: ${o}`);
  out.push(`  validation report: ${options.reportPath}`);
  for (const b of record.blocking) {
    out.push(
      '',
      `[${b.layer}] ${b.rule} on ${b.path}${b.source ? ` (added at ${b.source})` : ''}: ${b.description}`,
      `  To accept it instead of fixing it, add after security review to ${REGISTER_DATA_FILE}:`,
      ...b.suggestedEntry.split('\n').map((l) => `    ${l}`),
    );
  }
  return out;
}
