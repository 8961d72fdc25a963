/**
 * The cfn-lint runner behind `npm run lint:cfn` (CLI: scripts/lint-cfn.ts): runs the Python cfn-lint on every
 * CloudFormation template of the cloud assemblies under cdk.out (cdk.out/ and e.g. cdk.out/prod/), applies the
 * cfn-lint acknowledgements of the compliance register, and writes SARIF 2.1.0 and JUnit reports.
 *
 * Exit codes:
 *   0  no unacknowledged cfn-lint error (warnings are printed and reported, they do not fail)
 *   1  at least one unacknowledged error
 *   2  usage error, or no template under cdk.out (synthesize first)
 *   3  cfn-lint is not installed (the linter did NOT run); --allow-missing turns this into a loud skip (exit 0)
 *   4  cfn-lint failed to run or produced unreadable output
 *
 * Options: --cdk-out <dir> (default cdk.out), --out-dir <dir> (default <cdk-out>/lint), --allow-missing.
 * The cfn-lint executable is `cfn-lint` on PATH, or $CFN_LINT.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type * as sarif from 'sarif';
import { readStackArtifacts, type StackArtifact } from '../reports/assembly';
import { sarifLog } from '../shared/sarif';
import { sha256File } from '../reports/fingerprint';
import { covers } from '../reports/findings';
import { LINT_JUNIT, LINT_SARIF } from '../reports/lint';
import junit from 'junit-report-builder';
import {
  isExpired,
  isoDay,
  REGISTER,
  type RegisterEntry,
  entriesFor,
} from '../../lib/compliance/acknowledgements';
import type { ProfileName } from '../../lib/config/types';
import { compareCodeUnits } from '../../lib/order';

/** cfn-lint version the project is checked with (CI and the development image). */
export const CFN_LINT_VERSION = '1.51.0';

/** What to tell a developer whose machine has no cfn-lint. */
export const INSTALL_HINT = [
  `Install it (Python 3.9+) with one of:`,
  `  pipx install cfn-lint==${CFN_LINT_VERSION}`,
  `  pip install --user cfn-lint==${CFN_LINT_VERSION}`,
  `or point CFN_LINT at an existing executable.`,
].join('\n');

/** Exit codes of the wrapper. */
export const EXIT = { ok: 0, errors: 1, usage: 2, missing: 3, failed: 4 } as const;

/** Options of {@link lintCfn}. */
export interface LintCfnOptions {
  /** Directory holding the cloud assemblies (searched recursively for manifest.json). */
  readonly cdkOut: string;
  /** Where cfn-lint.sarif and cfn-lint.junit.xml are written. */
  readonly outDir: string;
  /** Paths in the reports are relative to this directory. */
  readonly baseDir?: string;
  /** The cfn-lint executable. */
  readonly cfnLint?: string;
  /** The compliance register (its `cfn-lint` entries acknowledge findings). */
  readonly register?: readonly RegisterEntry[];
  readonly today?: Date;
  /** When cfn-lint is missing: skip loudly with exit 0 instead of failing with exit 3. */
  readonly allowMissing?: boolean;
  /** Where messages go. */
  readonly log?: (line: string) => void;
}

/** One cfn-lint finding, located in the app and matched against the register. */
export interface LintFinding {
  readonly ruleId: string;
  readonly level: 'error' | 'warning' | 'note';
  readonly message: string;
  readonly ruleDescription: string;
  readonly helpUri?: string;
  /** Template path relative to baseDir. */
  readonly template: string;
  readonly stackName?: string;
  readonly logicalId?: string;
  readonly constructPath?: string;
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** The register entry that accepts the finding, when one applies. */
  readonly acknowledgement?: RegisterEntry;
  /** An entry that would apply but has expired. */
  readonly expiredAcknowledgement?: RegisterEntry;
}

/** The outcome of a run. */
export interface LintCfnResult {
  readonly exitCode: number;
  readonly findings: readonly LintFinding[];
  readonly templates: readonly string[];
  readonly sarifPath?: string;
  readonly junitPath?: string;
}

/** A stack template of a cloud assembly. */
/** A stack template to lint, with its logical ID -> construct path map (`OrderBroker-dev/Platform/...`). */
export type StackTemplate = Pick<StackArtifact, 'stackName' | 'templatePath' | 'pathByLogicalId'>;

/** One match in cfn-lint's JSON output. */
export interface CfnLintMatch {
  Filename: string;
  Level: 'Error' | 'Warning' | 'Informational';
  Message: string;
  Location: {
    Start: { LineNumber: number; ColumnNumber: number };
    End: { LineNumber: number; ColumnNumber: number };
    Path?: Array<string | number>;
  };
  Rule: { Id: string; Description: string; ShortDescription?: string; Source?: string };
}

/** Runs cfn-lint over the assemblies under `cdkOut` and writes the reports. */
export function lintCfn(options: LintCfnOptions): LintCfnResult {
  const log = options.log ?? ((line: string) => console.log(line));
  const baseDir = options.baseDir ?? process.cwd();
  const cfnLint = options.cfnLint ?? process.env.CFN_LINT ?? 'cfn-lint';
  const rel = (p: string) => path.relative(baseDir, p).split(path.sep).join('/');

  const stacks = findStackTemplates(options.cdkOut);
  if (stacks.length === 0) {
    log(
      `lint:cfn: no CloudFormation template under ${options.cdkOut}. Synthesize first: ` +
        'npx cdk synth --quiet && npx cdk synth --quiet -c profile=prod -o cdk.out/prod',
    );
    return { exitCode: EXIT.usage, findings: [], templates: [] };
  }

  const version = spawnSync(cfnLint, ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    const why = version.error
      ? (version.error as NodeJS.ErrnoException).code
      : `exit ${String(version.status)}`;
    log(
      `lint:cfn: cfn-lint is not installed or not runnable ("${cfnLint}": ${why}). The Python CloudFormation linter did NOT run.`,
    );
    log(INSTALL_HINT);
    if (options.allowMissing) {
      log('lint:cfn: SKIPPED (--allow-missing). The templates were NOT linted by cfn-lint.');
      return { exitCode: EXIT.ok, findings: [], templates: stacks.map((s) => rel(s.templatePath)) };
    }
    return { exitCode: EXIT.missing, findings: [], templates: stacks.map((s) => rel(s.templatePath)) };
  }
  const toolVersion = /(\d+\.\d+\.\d+)/.exec(version.stdout)?.[1] ?? 'unknown';
  if (toolVersion !== CFN_LINT_VERSION) {
    log(
      `lint:cfn: note: cfn-lint ${toolVersion} is installed; the project is checked with ${CFN_LINT_VERSION}.`,
    );
  }

  const matches = runCfnLint(cfnLint, stacks);
  if (typeof matches === 'string') {
    log(`lint:cfn: cfn-lint failed: ${matches}`);
    return { exitCode: EXIT.failed, findings: [], templates: stacks.map((s) => rel(s.templatePath)) };
  }

  return reportLint({ ...options, baseDir, log }, stacks, matches, toolVersion);
}

/** Raw cfn-lint output (its JSON format): input of {@link reportLint}. */
export type CfnLintMatches = readonly CfnLintMatch[];

/** Runs cfn-lint (JSON output, us-east-2 schemas) over the templates; its matches, or why it failed. */
export function runCfnLint(cfnLint: string, stacks: readonly StackTemplate[]): CfnLintMatches | string {
  const run = spawnSync(
    cfnLint,
    ['--format', 'json', '--regions', 'us-east-2', '--', ...stacks.map((s) => s.templatePath)],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  try {
    return JSON.parse(run.stdout || '[]') as CfnLintMatch[];
  } catch {
    return `exit ${String(run.status)}: ${run.stderr}`;
  }
}

/**
 * Locates cfn-lint's matches in the app, applies the register, writes the SARIF and JUnit reports and prints the
 * summary. Separate from running cfn-lint so one run can be reported against several registers.
 */
export function reportLint(
  options: LintCfnOptions & { readonly baseDir: string; readonly log: (line: string) => void },
  stacks: readonly StackTemplate[],
  matches: CfnLintMatches,
  toolVersion: string,
): LintCfnResult {
  const { log, baseDir } = options;
  const rel = (p: string) => path.relative(baseDir, p).split(path.sep).join('/');
  const today = options.today ?? new Date();
  const register = (options.register ?? REGISTER).filter((e) => e.layer === 'cfn-lint');
  const byTemplate = new Map(stacks.map((s) => [path.resolve(s.templatePath), s]));
  const findings = matches
    .map((m) => locate(m, byTemplate.get(path.resolve(m.Filename)), register, today, rel))
    .sort(
      (a, b) =>
        compareCodeUnits(a.template, b.template) ||
        a.startLine - b.startLine ||
        a.startColumn - b.startColumn ||
        compareCodeUnits(a.ruleId, b.ruleId) ||
        compareCodeUnits(a.message, b.message),
    );

  fs.mkdirSync(options.outDir, { recursive: true });
  const sarifPath = path.join(options.outDir, LINT_SARIF);
  const junitPath = path.join(options.outDir, LINT_JUNIT);
  // The templates' hashes tie the reports to what was linted: `npm run reports` refuses lint output of other templates.
  const artifacts = stacks.map((s) => ({ uri: rel(s.templatePath), sha256: sha256File(s.templatePath) }));
  fs.writeFileSync(sarifPath, JSON.stringify(toSarif(findings, toolVersion, artifacts), undefined, 2) + '\n');
  fs.writeFileSync(
    junitPath,
    toJunit(
      findings,
      stacks.map((s) => rel(s.templatePath)),
    ),
  );

  const open = findings.filter((f) => !f.acknowledgement);
  const errors = open.filter((f) => f.level === 'error');
  for (const f of open) {
    const where = f.constructPath ?? f.logicalId ?? '';
    const expired = f.expiredAcknowledgement
      ? ` (its acknowledgement expired on ${f.expiredAcknowledgement.expires})`
      : '';
    log(
      `${f.level.toUpperCase()} ${f.ruleId} ${f.template}:${f.startLine}:${f.startColumn} ${where}\n  ${f.message}${expired}`,
    );
  }
  log(
    `lint:cfn: cfn-lint ${toolVersion} on ${stacks.length} template(s): ${errors.length} error(s), ` +
      `${open.length - errors.length} warning(s)/note(s), ${findings.length - open.length} acknowledged ` +
      `(register, ${isoDay(today)}). Reports: ${rel(sarifPath)}, ${rel(junitPath)}`,
  );
  return {
    exitCode: errors.length > 0 ? EXIT.errors : EXIT.ok,
    findings,
    templates: stacks.map((s) => rel(s.templatePath)),
    sarifPath,
    junitPath,
  };
}

/** Every stack template of every cloud assembly under `dir`, with its logical-ID-to-construct-path map. */
export function findStackTemplates(dir: string): StackTemplate[] {
  const stacks: StackTemplate[] = [];
  if (!fs.existsSync(dir)) return stacks;
  const walk = (d: string) => {
    const manifest = path.join(d, 'manifest.json');
    if (fs.existsSync(manifest)) stacks.push(...readStackArtifacts(d));
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory() && !entry.name.startsWith('asset.')) walk(path.join(d, entry.name));
    }
  };
  walk(dir);
  return stacks.sort((a, b) => compareCodeUnits(a.templatePath, b.templatePath));
}

function locate(
  m: CfnLintMatch,
  stack: StackTemplate | undefined,
  register: readonly RegisterEntry[],
  today: Date,
  rel: (p: string) => string,
): LintFinding {
  const resourcePath = m.Location.Path ?? [];
  const logicalId = resourcePath[0] === 'Resources' ? String(resourcePath[1]) : undefined;
  const constructPath = logicalId ? stack?.pathByLogicalId.get(logicalId) : undefined;
  const profile = /^OrderBroker-(.+)$/.exec(stack?.stackName ?? '')?.[1] as ProfileName | undefined;
  const candidates =
    constructPath && profile
      ? entriesFor(register, profile).filter(
          (e) =>
            e.rule === m.Rule.Id &&
            (e.message === undefined || e.message === m.Message) &&
            covers(`${stack!.stackName}/${e.path}`, constructPath),
        )
      : [];
  return {
    ruleId: m.Rule.Id,
    level: m.Level === 'Error' ? 'error' : m.Level === 'Warning' ? 'warning' : 'note',
    message: m.Message,
    ruleDescription: m.Rule.ShortDescription ?? m.Rule.Description,
    helpUri: m.Rule.Source,
    template: rel(m.Filename),
    stackName: stack?.stackName,
    logicalId,
    constructPath,
    startLine: m.Location.Start.LineNumber,
    startColumn: m.Location.Start.ColumnNumber,
    endLine: m.Location.End.LineNumber,
    endColumn: m.Location.End.ColumnNumber,
    acknowledgement: candidates.find((e) => !isExpired(e, today)),
    expiredAcknowledgement: candidates.find((e) => isExpired(e, today)),
  };
}

/**
 * SARIF 2.1.0: every finding, acknowledged ones as suppressed results with their justification; `artifacts` lists
 * the linted templates with their SHA-256.
 */
export function toSarif(
  findings: readonly LintFinding[],
  toolVersion: string,
  artifacts: ReadonlyArray<{ readonly uri: string; readonly sha256: string }> = [],
): sarif.Log {
  const rules = new Map<string, sarif.ReportingDescriptor>();
  for (const f of findings) {
    if (!rules.has(f.ruleId)) {
      rules.set(f.ruleId, {
        id: f.ruleId,
        shortDescription: { text: f.ruleDescription },
        helpUri: f.helpUri,
        defaultConfiguration: { level: f.level },
      });
    }
  }
  const ruleIds = [...rules.keys()].sort();
  return sarifLog({
    tool: {
      driver: {
        name: 'cfn-lint',
        version: toolVersion,
        informationUri: 'https://github.com/aws-cloudformation/cfn-lint',
        rules: ruleIds.map((id) => rules.get(id)!),
      },
    },
    artifacts:
      artifacts.length > 0
        ? artifacts.map((a) => ({ location: { uri: a.uri }, hashes: { 'sha-256': a.sha256 } }))
        : undefined,
    results: findings.map((f): sarif.Result => ({
      ruleId: f.ruleId,
      ruleIndex: ruleIds.indexOf(f.ruleId),
      level: f.level,
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: f.template },
            region: {
              startLine: f.startLine,
              startColumn: f.startColumn,
              endLine: f.endLine,
              endColumn: f.endColumn,
            },
          },
          logicalLocations: f.logicalId
            ? [
                {
                  name: f.logicalId,
                  fullyQualifiedName: f.constructPath ?? f.logicalId,
                  kind: 'resource',
                },
              ]
            : undefined,
        },
      ],
      suppressions: f.acknowledgement
        ? [
            {
              kind: 'external',
              status: 'accepted',
              justification: `${f.acknowledgement.reason} (owner ${f.acknowledgement.owner}, expires ${f.acknowledgement.expires})`,
            },
          ]
        : undefined,
    })),
  });
}

/** JUnit: per template, one case per finding (errors fail, acknowledged ones are skipped) plus a summary case. */
export function toJunit(findings: readonly LintFinding[], templates: readonly string[]): string {
  const builder = junit.newBuilder().name('cfn-lint');
  for (const template of templates) {
    const suite = builder.testSuite().name(template);
    const own = findings.filter((f) => f.template === template);
    const errors = own.filter((f) => f.level === 'error' && !f.acknowledgement);
    const summary = suite.testCase().className('cfn-lint').name('no unacknowledged cfn-lint error');
    if (errors.length > 0) summary.failure(`${errors.length} unacknowledged error(s)`);
    for (const f of own) {
      const test = suite
        .testCase()
        .className(f.ruleId)
        .name(`${f.constructPath ?? f.logicalId ?? 'template'}:${f.startLine}: ${f.message}`);
      if (f.acknowledgement) {
        test.skipped().standardOutput(`acknowledged: ${f.acknowledgement.reason}`);
      } else if (f.level === 'error') {
        test.failure(f.message, f.ruleId);
      } else {
        test.standardOutput(`${f.level}: ${f.message}`);
      }
    }
  }
  return builder.build() + '\n';
}
