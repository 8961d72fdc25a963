import type * as sarif from 'sarif';

/**
 * SARIF `security-severity` of a finding level, as code-scanning tools read it (GitHub: 9.0+ critical, 7.0-8.9
 * high, 4.0-6.9 medium, 0.1-3.9 low). Every layer's severity is first mapped to a SARIF level (`levelOf`: cdk-nag
 * and TAP `error`, every Guard violation, CloudFormation Validate `error`, cfn-lint `E` -> error; their warnings ->
 * warning; informational -> note), then:
 *
 * | SARIF level | security-severity | what it means here |
 * | --- | --- | --- |
 * | error | 8.0 (high) | blocks `cdk synth` unless the register accepts it |
 * | warning | 5.0 (medium) | reported, does not block |
 * | note | 2.0 (low) | informational |
 */
export const SECURITY_SEVERITY: Readonly<Record<'error' | 'warning' | 'note', string>> = {
  error: '8.0',
  warning: '5.0',
  note: '2.0',
};

/** The frameworks a finding maps to, as SARIF rule tags (`NIST-800-53-r5/AC-3`, `control-tower/CT.S3.PR.2`). */
export function frameworkTags(layer: string, message: string, controls: readonly string[] = []): string[] {
  const tags = new Set<string>();
  // cdk-nag packs end their message with "(Control IDs: AC-3, AU-12(3), ...)."; the IDs nest parentheses.
  const at = message.indexOf('(Control IDs: ');
  const ids =
    at < 0
      ? []
      : message
          .slice(at + '(Control IDs: '.length, message.lastIndexOf(')'))
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  if (layer === 'cdk-nag-nist-800-53-r5') {
    tags.add('NIST-800-53-r5');
    for (const id of ids) tags.add(`NIST-800-53-r5/${id}`);
  }
  if (layer === 'cdk-nag-pci-dss-321') {
    tags.add('PCI-DSS-3.2.1');
    for (const id of ids) tags.add(`PCI-DSS-3.2.1/${id}`);
  }
  for (const ct of message.match(/CT\.[A-Z0-9]+\.PR\.\d+/g) ?? []) {
    tags.add('control-tower');
    tags.add(`control-tower/${ct}`);
  }
  for (const c of controls) {
    if (/^CT\./.test(c)) tags.add('control-tower').add(`control-tower/${c}`);
    else if (/^NIST /.test(c)) tags.add('NIST-800-53-r5').add(`NIST-800-53-r5/${c.slice(5)}`);
    else if (/^PCI DSS /.test(c)) tags.add('PCI-DSS-3.2.1').add(`PCI-DSS-3.2.1/${c.slice(8)}`);
  }
  return [...tags].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The key that identifies a result across commits: its stable partial fingerprint. */
export const FINGERPRINT_KEY = 'orderbroker/finding/v1';

function keyOf(r: sarif.Result): string {
  const key = r.partialFingerprints?.[FINGERPRINT_KEY];
  if (!key) throw new Error(`SARIF result for ${r.ruleId} has no ${FINGERPRINT_KEY} fingerprint`);
  return key;
}

/** What a code-scanning reviewer compares: level, message and whether (and why) it is suppressed. */
function signature(r: sarif.Result): string {
  return JSON.stringify([r.level, r.message.text, (r.suppressions ?? []).map((s) => [s.status, s.justification])]);
}

/**
 * Marks each result of `head` against `base` (SARIF `baselineState`): `new` (not in base), `unchanged`, `updated`
 * (same finding, other level, message or suppression); base results no longer found are appended as `absent`.
 * Results are matched by the stable fingerprint (profile, layer, rule, construct path, logical ID: no line
 * numbers, so moving unrelated code changes nothing).
 */
export function withBaseline(head: sarif.Log, base: sarif.Log): sarif.Log {
  const baseRun = base.runs[0];
  const headRun = head.runs[0];
  const before = new Map((baseRun?.results ?? []).map((r) => [keyOf(r), r]));
  const seen = new Set<string>();
  const results: sarif.Result[] = (headRun.results ?? []).map((r) => {
    const key = keyOf(r);
    seen.add(key);
    const old = before.get(key);
    const baselineState: sarif.Result.baselineState = !old
      ? 'new'
      : signature(old) === signature(r)
        ? 'unchanged'
        : 'updated';
    return { ...r, baselineState };
  });
  const rules = [...(headRun.tool.driver.rules ?? [])];
  for (const [key, r] of before) {
    if (seen.has(key)) continue;
    let ruleIndex = rules.findIndex((x) => x.id === r.ruleId);
    if (ruleIndex < 0) {
      const rule = baseRun.tool.driver.rules?.find((x) => x.id === r.ruleId);
      rules.push(rule ?? { id: r.ruleId! });
      ruleIndex = rules.length - 1;
    }
    results.push({ ...r, ruleIndex, baselineState: 'absent' });
  }
  return {
    ...head,
    runs: [{ ...headRun, tool: { ...headRun.tool, driver: { ...headRun.tool.driver, rules } }, results }],
  };
}

/** The parts of the committed reports a compliance diff reads. */
export interface ReportSet {
  readonly compliance: {
    readonly profiles: ReadonlyArray<{
      readonly profile: string;
      readonly summary: { readonly tagCoverage?: { readonly percent?: number; readonly covered?: number; readonly total?: number } };
      readonly acknowledgements: ReadonlyArray<{
        readonly layer: string;
        readonly rule: string;
        readonly constructPath: string;
        readonly reason: string;
        readonly owner: string;
        readonly expires: string;
      }>;
      readonly findings: ReadonlyArray<{
        readonly layer: string;
        readonly rule: string;
        readonly level: string;
        readonly constructPath?: string;
        readonly status: string;
        readonly message: string;
      }>;
    }>;
  };
  /** `reports/plan.json`: its figures are flattened to `path = value` lines and compared. */
  readonly plan?: unknown;
}

type FindingRow = ReportSet['compliance']['profiles'][number]['findings'][number];
type AckRow = ReportSet['compliance']['profiles'][number]['acknowledgements'][number];

const findingKey = (p: string, f: FindingRow) => `${p}|${f.layer}|${f.rule}|${f.constructPath ?? ''}`;
const ackKey = (p: string, a: AckRow) => `${p}|${a.layer}|${a.rule}|${a.constructPath}`;

function flatten(value: unknown, prefix = '', out: Map<string, string> = new Map()): Map<string, string> {
  if (value !== null && typeof value === 'object') {
    if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
    else for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    out.set(prefix, String(value));
  }
  return out;
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * A compliance diff for a pull request: what the change adds, removes or newly acknowledges (findings, register
 * entries, tag coverage, plan figures), as Markdown a PR comment can carry. Deterministic: rows sorted by code unit.
 */
export function complianceDiff(base: ReportSet, head: ReportSet, baseRef: string): string {
  const lines: string[] = [`## Compliance diff against \`${baseRef}\``, ''];
  const profiles = [
    ...new Set([...base.compliance.profiles, ...head.compliance.profiles].map((p) => p.profile)),
  ].sort(byCodeUnit);
  let changes = 0;
  for (const profile of profiles) {
    const b = base.compliance.profiles.find((p) => p.profile === profile);
    const h = head.compliance.profiles.find((p) => p.profile === profile);
    const bf = new Map((b?.findings ?? []).map((f) => [findingKey(profile, f), f]));
    const hf = new Map((h?.findings ?? []).map((f) => [findingKey(profile, f), f]));
    const added = [...hf].filter(([k]) => !bf.has(k)).map(([, f]) => f);
    const removed = [...bf].filter(([k]) => !hf.has(k)).map(([, f]) => f);
    const newlyAcked = [...hf]
      .filter(([k, f]) => f.status === 'acknowledged' && bf.get(k)?.status === 'open')
      .map(([, f]) => f);
    const ba = new Map((b?.acknowledgements ?? []).map((a) => [ackKey(profile, a), a]));
    const ha = new Map((h?.acknowledgements ?? []).map((a) => [ackKey(profile, a), a]));
    const entriesAdded = [...ha].filter(([k]) => !ba.has(k)).map(([, a]) => a);
    const entriesRemoved = [...ba].filter(([k]) => !ha.has(k)).map(([, a]) => a);
    const entriesChanged = [...ha]
      .filter(([k, a]) => ba.has(k) && JSON.stringify(ba.get(k)) !== JSON.stringify(a))
      .map(([, a]) => a);
    const covBefore = b?.summary.tagCoverage?.percent;
    const covAfter = h?.summary.tagCoverage?.percent;

    const section: string[] = [];
    const findingTable = (title: string, rows: readonly FindingRow[]) => {
      if (rows.length === 0) return;
      section.push(`**${title}** (${rows.length})`, '', '| Layer | Rule | Level | Status | Resource |', '| --- | --- | --- | --- | --- |');
      for (const f of [...rows].sort((x, y) => byCodeUnit(findingKey(profile, x), findingKey(profile, y))))
        section.push(`| ${f.layer} | ${cell(f.rule)} | ${f.level} | ${f.status} | ${cell(f.constructPath ?? '')} |`);
      section.push('');
    };
    const entryTable = (title: string, rows: readonly AckRow[]) => {
      if (rows.length === 0) return;
      section.push(`**${title}** (${rows.length})`, '', '| Layer | Rule | Resource | Owner | Expires | Reason |', '| --- | --- | --- | --- | --- | --- |');
      for (const a of [...rows].sort((x, y) => byCodeUnit(ackKey(profile, x), ackKey(profile, y))))
        section.push(`| ${a.layer} | ${cell(a.rule)} | ${cell(a.constructPath)} | ${a.owner} | ${a.expires} | ${cell(a.reason)} |`);
      section.push('');
    };
    findingTable('New findings', added);
    findingTable('Findings no longer reported', removed);
    findingTable('Newly acknowledged', newlyAcked);
    entryTable('Register entries added', entriesAdded);
    entryTable('Register entries changed', entriesChanged);
    entryTable('Register entries removed', entriesRemoved);
    if (covBefore !== covAfter) section.push(`**Tag coverage**: ${covBefore ?? 'n/a'}% -> ${covAfter ?? 'n/a'}%`, '');
    changes += added.length + removed.length + newlyAcked.length + entriesAdded.length + entriesChanged.length + entriesRemoved.length + (covBefore !== covAfter ? 1 : 0);
    if (section.length > 0) lines.push(`### ${profile}`, '', ...section);
  }

  const pb = flatten(base.plan);
  const ph = flatten(head.plan);
  const figures = [...new Set([...pb.keys(), ...ph.keys()])]
    .filter((k) => pb.get(k) !== ph.get(k))
    .sort(byCodeUnit);
  if (figures.length > 0) {
    lines.push(`### Plan figures (${figures.length} changed)`, '', '| Figure | Before | After |', '| --- | --- | --- |');
    for (const k of figures) lines.push(`| \`${k}\` | ${pb.get(k) ?? '—'} | ${ph.get(k) ?? '—'} |`);
    lines.push('');
    changes += figures.length;
  }
  if (changes === 0) lines.push('No change in findings, register entries, tag coverage or plan figures.', '');
  return lines.join('\n');
}
