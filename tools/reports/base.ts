import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type * as sarif from 'sarif';
import { complianceDiff, type ReportSet, withBaseline } from './baseline';

/** The committed reports of the base a comparison reads (repository-relative paths). */
export const BASE_FILES = {
  sarif: 'reports/compliance.sarif',
  compliance: 'reports/compliance.json',
  plan: 'reports/plan.json',
} as const;

/** Default outputs of `npm run reports -- --base <ref>`: outside reports/, since they depend on the base. */
export const BASE_OUTPUTS = {
  diff: 'cdk.out/compliance-diff.md',
  sarif: 'cdk.out/compliance.baseline.sarif',
} as const;

/** Reads a repository-relative file as it is at the base; undefined when the base has no such file. */
export type BaseReader = (file: string) => string | undefined;

/** The base cannot be read: not a commit, or without the committed reports. */
export class BaseReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaseReportError';
  }
}

/** A {@link BaseReader} over `git show <ref>:<file>` in the repository at `root`. */
export function gitReader(root: string, ref: string): BaseReader {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
  const commit = git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
  if (commit.status !== 0) {
    throw new BaseReportError(
      `--base = "${ref}": not a commit of the repository at ${root} (a branch, tag or SHA that git rev-parse knows; ` +
        `in CI fetch the base branch first, e.g. actions/checkout with fetch-depth: 0)`,
    );
  }
  const sha = commit.stdout.trim();
  return (file) => {
    const shown = git('show', `${sha}:${file}`);
    return shown.status === 0 ? shown.stdout : undefined;
  };
}

/** What the comparison needs of the base. */
export interface BaseReports {
  readonly ref: string;
  readonly sarif: sarif.Log;
  readonly reports: ReportSet;
}

function parse<T>(read: BaseReader, ref: string, file: string, required: boolean): T | undefined {
  const text = read(file);
  if (text === undefined) {
    if (!required) return undefined;
    throw new BaseReportError(`--base = "${ref}": ${ref} has no ${file} (the base must commit the reports it is compared with)`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new BaseReportError(`--base = "${ref}": ${ref}:${file} is not JSON (${(e as Error).message})`);
  }
}

/** Reads the base's committed SARIF, compliance.json and (if it has one) plan.json. */
export function readBase(read: BaseReader, ref: string): BaseReports {
  const log = parse<sarif.Log>(read, ref, BASE_FILES.sarif, true)!;
  if (!Array.isArray(log.runs) || log.runs.length !== 1) {
    throw new BaseReportError(`--base = "${ref}": ${ref}:${BASE_FILES.sarif} must hold exactly one run`);
  }
  return {
    ref,
    sarif: log,
    reports: {
      compliance: parse<ReportSet['compliance']>(read, ref, BASE_FILES.compliance, true)!,
      plan: parse<unknown>(read, ref, BASE_FILES.plan, false),
    },
  };
}

/** The head's side: the freshly generated reports (and reports/plan.json when `npm run plan` wrote one). */
export interface HeadReports {
  readonly sarif: string;
  readonly compliance: string;
  readonly plan?: string;
}

/**
 * The head's SARIF with `baselineState` against the base's, and the compliance diff as Markdown. Both are for this
 * pull request only and never go into reports/.
 */
export function compareWithBase(base: BaseReports, head: HeadReports): { sarif: string; diff: string } {
  const marked = withBaseline(JSON.parse(head.sarif) as sarif.Log, base.sarif);
  const headSet: ReportSet = {
    compliance: JSON.parse(head.compliance) as ReportSet['compliance'],
    plan: head.plan === undefined ? undefined : (JSON.parse(head.plan) as unknown),
  };
  return {
    sarif: JSON.stringify(marked, undefined, 2) + '\n',
    diff: complianceDiff(base.reports, headSet, base.ref),
  };
}

/**
 * Compares freshly generated reports (`files`: name in reports/ -> contents) with the base and writes the SARIF with
 * `baselineState` to `outputs.sarif` and the compliance diff to `outputs.diff` (absolute paths). The head's plan
 * figures are `<root>/reports/plan.json` (what `npm run plan` wrote), when there is one. Returns the files written.
 */
export function writeComparison(
  root: string,
  base: BaseReports,
  files: ReadonlyMap<string, string>,
  outputs: { readonly sarif: string; readonly diff: string },
): string[] {
  const planFile = path.join(root, BASE_FILES.plan);
  const compared = compareWithBase(base, {
    sarif: files.get('compliance.sarif')!,
    compliance: files.get('compliance.json')!,
    plan: fs.existsSync(planFile) ? fs.readFileSync(planFile, 'utf8') : undefined,
  });
  for (const [file, contents] of [
    [outputs.sarif, compared.sarif],
    [outputs.diff, compared.diff],
  ]) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, contents);
  }
  return [outputs.sarif, outputs.diff];
}
