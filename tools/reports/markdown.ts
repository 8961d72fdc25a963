import { LAYERS } from '../../lib/compliance/layers';
import {
  type AcknowledgementResult,
  type ComplianceReport,
  DEFINITIONS,
  type LayerResult,
  type ProfileResult,
} from './model';
import type { TagInventory } from './tags';

/** Text for a Markdown table cell: one line, Markdown and HTML metacharacters escaped. */
export function cell(text: string | number | undefined | null): string {
  if (text === undefined || text === null) return '';
  return String(text)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/([\\|*_<>[\]])/g, '\\$1');
}

/** A code span usable in a table cell (pipes escaped, fence longer than any backtick run inside). */
export function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** GitHub's anchor for a heading. */
export function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The `##`/`###` headings of docs/decisions.md as links from reports/, with their level. */
export function decisionLinks(decisionsMarkdown: string, href = '../docs/decisions.md'): string[] {
  const lines: string[] = [];
  let fenced = false;
  for (const line of decisionsMarkdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = fenced ? null : /^(#{2,3}) (.+)$/.exec(line);
    if (m) lines.push(`${m[1] === '###' ? '  ' : ''}- [${m[2].trim()}](${href}#${anchor(m[2])})`);
  }
  return lines;
}

function table(header: readonly string[], align: readonly ('l' | 'r')[], rows: readonly string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${align.map((a) => (a === 'r' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

const dash = (n: number | null) => (n === null ? '—' : String(n));

function layerSection(layer: LayerResult, cfnLintVersion: string): string[] {
  const out = [`#### ${layer.title}`, ''];
  out.push(
    ...table(
      ['Rules evaluated', 'Passed', 'Failed', 'Acknowledged', 'Open findings', 'Acknowledged findings'],
      ['r', 'r', 'r', 'r', 'r', 'r'],
      [
        [
          layer.evaluated === null ? `all (cfn-lint ${cfnLintVersion} default rules)` : String(layer.evaluated),
          dash(layer.passed),
          String(layer.failed),
          String(layer.acknowledged),
          String(layer.openFindings),
          String(layer.acknowledgedFindings),
        ],
      ],
    ),
    '',
  );
  if (layer.rules.length === 0) {
    out.push('No rule of this layer reported a finding on this profile.', '');
    return out;
  }
  out.push(
    ...table(
      ['Rule', 'Level', 'What it checks', 'Status', 'Open', 'Acknowledged'],
      ['l', 'l', 'l', 'l', 'r', 'r'],
      layer.rules.map((r) => [
        code(r.id),
        cell(r.level),
        cell(r.control && !(r.title ?? '').includes(r.control) ? `[${r.control}] ${r.title ?? ''}` : (r.title ?? '')),
        r.status,
        String(r.openFindings),
        String(r.acknowledgedFindings),
      ]),
    ),
    '',
  );
  return out;
}

function resourcesCell(entry: AcknowledgementResult): string {
  if (entry.kind === 'disabled-rule') return `${code(entry.constructPath)} (the rule does not run on this profile)`;
  if (entry.resources.length === 0) return `${code(entry.constructPath)} (no finding on this profile)`;
  return entry.resources
    .map((r) => `${code(r.constructPath)}${r.logicalId ? ` → ${code(r.logicalId)}` : ''}`)
    .join('<br>');
}

function registerTable(entries: readonly AcknowledgementResult[]): string[] {
  return table(
    [
      'Kind',
      'Layer',
      'Rule',
      'Resource (construct path → logical ID)',
      'Accepts',
      'Reason',
      'Owner',
      'Approved by (ticket)',
      'Expires',
      'Controls',
    ],
    ['l', 'l', 'l', 'l', 'l', 'l', 'l', 'l', 'l', 'l'],
    entries.map((e) => [
      e.kind,
      cell(LAYERS.find((l) => l.id === e.layer)?.title ?? e.layer),
      code(e.rule),
      resourcesCell(e),
      e.accepts.length === 0 ? '(unbound)' : e.accepts.map((a) => code(a)).join('<br>'),
      cell(e.reason),
      cell(e.owner),
      cell(`${e.approvedBy} (${e.reference})`),
      e.expires,
      cell(e.controls.join(', ')),
    ]),
  );
}

function profileSection(p: ProfileResult, cfnLintVersion: string): string[] {
  const out = [
    `## Profile \`${p.profile}\`: stack ${code(p.stackName)}`,
    '',
    `Template ${code(p.template.path)}: ${p.template.resources} resources, SHA-256 ${code(p.template.sha256)}.`,
    '',
    '### Layers',
    '',
    ...table(
      ['Layer', 'Rules evaluated', 'Passed', 'Failed', 'Acknowledged', 'Open findings', 'Acknowledged findings'],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
      p.layers.map((l) => [
        cell(l.title),
        l.evaluated === null ? 'all' : String(l.evaluated),
        dash(l.passed),
        String(l.failed),
        String(l.acknowledged),
        String(l.openFindings),
        String(l.acknowledgedFindings),
      ]),
    ),
    '',
  ];
  for (const layer of p.layers) out.push(...layerSection(layer, cfnLintVersion));

  const open = p.findings.filter((f) => f.status === 'open');
  out.push('### Open findings', '');
  if (open.length === 0) {
    out.push('None: every finding on this profile is acknowledged.', '');
  } else {
    out.push(
      ...table(
        ['Layer', 'Rule', 'Level', 'Resource', 'Defined at', 'Finding'],
        ['l', 'l', 'l', 'l', 'l', 'l'],
        open.map((f) => [
          cell(f.layer),
          code(f.rule),
          f.level,
          `${code(f.constructPath ?? '')}${f.logicalId ? ` → ${code(f.logicalId)}` : ''}`,
          f.source ? code(`${f.source.uri}:${f.source.line}`) : code(`${f.template.uri}:${f.template.line ?? 1}`),
          cell(f.message),
        ]),
      ),
      '',
    );
  }

  const soon = p.expiringSoon;
  out.push(
    `### Register entries expiring within ${soon.withinDays} days`,
    '',
    soon.asOf === null
      ? 'The cloud assembly does not record the day the gate evaluated the register on (no compliance-gate.json).'
      : `As of ${soon.asOf}, the day the gate evaluated the register on (\`TAP_TODAY\`, docs/register.md). Renewal is a new approval.`,
    '',
    ...(soon.entries.length === 0
      ? ['None.']
      : table(
          ['Expires', 'Layer', 'Rule', 'Construct path', 'Owner'],
          ['l', 'l', 'l', 'l', 'l'],
          soon.entries.map((e) => [e.expires, e.layer, code(e.rule), code(e.constructPath), cell(e.owner)]),
        )),
    '',
  );
  out.push(
    '### Acknowledgements and exemptions',
    '',
    `${p.acknowledgements.length} register entries apply to this profile and suppress ` +
      `${p.acknowledgements.reduce((n, e) => n + e.suppressedFindings, 0)} findings. An *acknowledgement* accepts a ` +
      'finding of a third-party rule (cdk-nag, Control Tower, CloudFormation Validate, cfn-lint); an *exemption* ' +
      'accepts a finding of a project rule (TAP-…). Each is recorded on the narrowest construct, never stack-wide.',
    '',
  );
  out.push(...(p.acknowledgements.length > 0 ? registerTable(p.acknowledgements) : ['None.']), '');

  out.push('### Acknowledgements made by aws-cdk-lib', '');
  out.push(
    'aws-cdk-lib acknowledges some CloudFormation Validate rules on its own constructs; they are not in the register.',
    '',
    ...table(
      ['Acknowledgement', 'Recorded by', 'Reason', 'Findings suppressed on this profile'],
      ['l', 'l', 'l', 'r'],
      p.libraryAcknowledgements.map((l) => [
        code(l.acknowledgedId),
        cell(l.source),
        cell(l.reason),
        String(l.suppressedFindings),
      ]),
    ),
    '',
  );
  if (p.unregisteredAcknowledgements.length > 0) {
    out.push(
      '### Acknowledgements outside the register',
      '',
      '**These suppress findings without a register entry (no owner, no expiry). Move them into the register.**',
      '',
      ...table(
        ['Acknowledgement', 'Recorded on', 'Reason'],
        ['l', 'l', 'l'],
        p.unregisteredAcknowledgements.map((u) => [code(u.acknowledgedId), code(u.at), cell(u.reason)]),
      ),
      '',
    );
  }

  out.push('### Disabled rules', '');
  out.push(
    ...(p.disabledRules.length > 0
      ? registerTable(p.disabledRules)
      : ['None: no rule of any layer is switched off on this profile.']),
    '',
  );
  return out;
}

/** reports/compliance.md: for an auditor who has never seen the code. */
export function renderMarkdown(report: ComplianceReport, tags: TagInventory, decisionsMarkdown: string): string {
  const cfnLint = report.tools.find((t) => t.layers.includes('cfn-lint'))?.version ?? 'unknown';
  const out: string[] = [
    '# OrderBroker compliance report',
    '',
    '<!-- Generated by `npm run reports`. Do not edit: CI regenerates it and fails when this copy is stale. -->',
    '',
    'This report covers the AWS infrastructure of the OrderBroker trading service (ECS Fargate, us-east-2) as its',
    'AWS CDK application synthesizes it, for every deployment profile. It is generated from the synthesized',
    'CloudFormation templates and the compliance gate\'s validation reports (`npm run synth:all`), the cfn-lint run',
    '(`npm run lint:cfn`) and the register of accepted findings (`lib/compliance/register/entries.ts`), and is',
    'regenerated and checked by CI on every change.',
    '',
    '## How to read it',
    '',
    'Every synthesis runs the compliance gate: the layers below check every resource, and any finding that is neither',
    'fixed nor accepted in the register **stops synthesis**. A template in this report therefore exists only because',
    'each finding was either fixed or accepted with a reason a reviewer can check, an owner and an expiry date (at most',
    'one year ahead; an expired entry fails synthesis until it is renewed or the finding fixed).',
    '',
    ...table(
      ['Layer', 'What it is'],
      ['l', 'l'],
      LAYERS.map((l) => [cell(l.title), cell(LAYER_DESCRIPTIONS[l.id])]),
    ),
    '',
    'Counts in the tables are rules, then findings (one finding = one rule on one resource):',
    '',
    `- **Rules evaluated**: ${DEFINITIONS.evaluated}`,
    `- **Passed**: ${DEFINITIONS.passed}`,
    `- **Failed**: ${DEFINITIONS.failed}`,
    `- **Acknowledged**: ${DEFINITIONS.acknowledged}`,
    '',
    'Machine-readable forms of the same content: [compliance.json](compliance.json) (schema',
    '[compliance.schema.json](compliance.schema.json)), [compliance.sarif](compliance.sarif) (SARIF 2.1.0, every',
    'finding with the TypeScript line that defined the resource), the tag inventory [tags.csv](tags.csv) /',
    '[tags.json](tags.json), the Guard rule tests [guard-tests.xml](guard-tests.xml) and the cfn-lint run',
    '[cfn-lint.sarif](cfn-lint.sarif) / [cfn-lint.junit.xml](cfn-lint.junit.xml). How the gate works:',
    '[docs/compliance-gate.md](../docs/compliance-gate.md).',
    '',
    '### Tool versions',
    '',
    ...table(
      ['Tool', 'Version', 'Layers'],
      ['l', 'l', 'l'],
      report.tools.map((t) => [cell(t.name), cell(t.version), cell(t.layers.join(', '))]),
    ),
    '',
    '## Summary',
    '',
    ...table(
      [
        'Profile',
        'Stack',
        'Resources',
        'Rules evaluated',
        'Open findings (error / warning)',
        'Acknowledged findings',
        'Register entries',
        'Tag coverage',
      ],
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
      report.profiles.map((p) => [
        code(p.profile),
        code(p.stackName),
        String(p.template.resources),
        `${p.summary.rulesEvaluated} + cfn-lint`,
        `${p.summary.openFindings.error} / ${p.summary.openFindings.warning}`,
        String(p.summary.acknowledgedFindings),
        String(p.summary.registerEntries),
        `${p.summary.tagCoverage.fullyTagged} / ${p.summary.tagCoverage.taggable} (${p.summary.tagCoverage.percent ?? '—'}%)`,
      ]),
    ),
    '',
    '## Design and compliance decisions',
    '',
    'The decisions that trade one control against another, or that explain a setting an auditor would question,',
    'are recorded in [docs/decisions.md](../docs/decisions.md):',
    '',
    ...decisionLinks(decisionsMarkdown),
    '',
  ];
  for (const p of report.profiles) out.push(...profileSection(p, cfnLint));

  out.push(
    '## Tag coverage',
    '',
    `Required tags: ${tags.requiredTags.map(code).join(', ')} (the inventory also shows ${tags.reportedTags
      .filter((t) => !tags.requiredTags.includes(t))
      .map(code)
      .join(', ')}). A resource is *taggable* when its CloudFormation type accepts tags, read from the`,
    `${tags.taggableSource}. *Fully tagged* = every required tag present with a value. Per resource:`,
    '[tags.csv](tags.csv), [tags.json](tags.json).',
    '',
    ...table(
      ['Stack', 'Resources', 'Taggable', 'Fully tagged', 'Coverage'],
      ['l', 'r', 'r', 'r', 'r'],
      [...tags.coverage, tags.total].map((c) => [
        c.stack === '*' ? 'all' : code(c.stack),
        String(c.resources),
        String(c.taggable),
        String(c.fullyTagged),
        c.percent === null ? '—' : `${c.percent}%`,
      ]),
    ),
    '',
  );
  const untagged = tags.resources.filter((r) => r.fullyTagged === false);
  if (untagged.length > 0) {
    out.push(
      'Taggable resources missing a required tag:',
      '',
      ...table(
        ['Stack', 'Resource', 'Type', 'Missing'],
        ['l', 'l', 'l', 'l'],
        untagged.map((r) => [code(r.stack), code(r.constructPath || r.logicalId), code(r.type), cell(r.missing.join(', '))]),
      ),
      '',
    );
  }
  return out.join('\n');
}

/** One line per layer for the reader who has never seen the gate. */
export const LAYER_DESCRIPTIONS: Readonly<Record<(typeof LAYERS)[number]['id'], string>> = {
  tap: 'The platform\'s own rules (TAP-<AREA>-<n>): required tags, least-privilege IAM, required alarms, capacity-provider rules, data protection, network. Findings of a project rule can only be exempted in the register, never acknowledged elsewhere.',
  'cdk-nag-aws-solutions': 'cdk-nag AWS Solutions pack: AWS security best practices per service.',
  'cdk-nag-nist-800-53-r5': 'cdk-nag NIST 800-53 rev 5 pack: controls mapped to NIST SP 800-53 rev 5.',
  'cdk-nag-pci-dss-321': 'cdk-nag PCI DSS 3.2.1 pack: controls mapped to PCI DSS 3.2.1 requirements.',
  'control-tower':
    'AWS Control Tower proactive controls (CT.<SERVICE>.PR.<n>) as cfn-guard rules, run on each template.',
  'tap-guard':
    'The platform\'s own cfn-guard rules (policies/*.guard), each tested with passing and failing cases (guard-tests.xml).',
  'iam-evaluation':
    'An offline IAM evaluator (@cloud-copilot/iam-simulate) decides every request of the task role access matrix (lib/compliance/access-matrix.ts) over the synthesized template: identity, resource and trust policies, intrinsics resolved. A decision that differs blocks synthesis (TAP-IAM-9).',
  'cfn-validate':
    'The CloudFormation linter bundled with aws-cdk-lib (CloudFormation Validate): property and template errors CloudFormation would reject, and best-practice warnings. Blocking.',
  'cfn-lint':
    'The Python CloudFormation linter cfn-lint, run on every synthesized template after synthesis (npm run lint:cfn). An unacknowledged error fails CI.',
};
