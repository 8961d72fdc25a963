import * as fs from 'fs';
import * as path from 'path';
import type * as sarif from 'sarif';
import type { ProfileAssembly } from './assembly';
import { CDK_OUT } from './fingerprint';

/** Where `npm run lint:cfn` writes its reports, relative to the repository. */
export const LINT_DIR = `${CDK_OUT}/lint`;
export const LINT_SARIF = 'cfn-lint.sarif';
export const LINT_JUNIT = 'cfn-lint.junit.xml';

/** The cfn-lint run the reports use: its SARIF log (parsed), and both files as written. */
export interface LintOutput {
  readonly log: sarif.Log;
  readonly sarifText: string;
  readonly junitText: string;
  readonly toolVersion: string;
}

/**
 * Problems with the cfn-lint output under `cdk.out/lint`: missing, or not a run over exactly the templates of
 * `assemblies` as they are now (its SARIF lists every linted template with its SHA-256).
 */
export function lintProblems(root: string, assemblies: readonly ProfileAssembly[]): string[] {
  const sarifFile = path.join(root, LINT_DIR, LINT_SARIF);
  const junitFile = path.join(root, LINT_DIR, LINT_JUNIT);
  const missing = [sarifFile, junitFile].filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    return [
      `${missing.map((f) => path.relative(root, f).split(path.sep).join('/')).join(' and ')} missing: cfn-lint has not run on these templates (npm run lint:cfn)`,
    ];
  }
  const log = JSON.parse(fs.readFileSync(sarifFile, 'utf8')) as sarif.Log;
  const linted = new Map(
    (log.runs?.[0]?.artifacts ?? []).map((a) => [a.location?.uri ?? '', a.hashes?.['sha-256'] ?? '']),
  );
  const problems: string[] = [];
  for (const a of assemblies) {
    const hash = linted.get(a.templateFile);
    if (hash === undefined) problems.push(`${LINT_DIR}/${LINT_SARIF} does not cover ${a.templateFile}`);
    else if (hash !== a.templateSha256) {
      problems.push(`${LINT_DIR}/${LINT_SARIF} is stale: it linted another version of ${a.templateFile}`);
    }
  }
  // The companion stacks' templates (governance, StackSet) are linted too, as stacks of the same assemblies.
  const expected = new Set(assemblies.flatMap((a) => [a.templateFile, ...a.companions.map((c) => c.templateFile)]));
  const extra = [...linted.keys()].filter((uri) => !expected.has(uri)).sort();
  if (extra.length > 0) {
    problems.push(
      `${LINT_DIR}/${LINT_SARIF} also covers ${extra.join(', ')}, which is not a profile's assembly (npm run synth:all empties ${CDK_OUT} first)`,
    );
  }
  return problems;
}

/** Reads the cfn-lint output (call {@link lintProblems} first). */
export function readLint(root: string): LintOutput {
  const sarifText = fs.readFileSync(path.join(root, LINT_DIR, LINT_SARIF), 'utf8');
  const log = JSON.parse(sarifText) as sarif.Log;
  return {
    log,
    sarifText,
    junitText: fs.readFileSync(path.join(root, LINT_DIR, LINT_JUNIT), 'utf8'),
    toolVersion: log.runs?.[0]?.tool.driver.version ?? 'unknown',
  };
}
