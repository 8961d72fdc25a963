/**
 * The check behind `npx tsx scripts/check-reports-current.ts` (CI, after `npm run reports` and `npm run plan`): fails when reports/
 * differs from what is committed, printing what changed, so a change to the stack, the register or the rules cannot
 * land without its reports. Exit 0: reports/ is current; 1: stale (the diff is printed); 2: not a git checkout.
 */
import { spawnSync } from 'child_process';

/** Where the reports live, relative to the repository root. */
export const REPORTS_DIR = 'reports';

/** Most diff lines printed; the rest is summarized (`git diff -- reports/` shows all). */
export const MAX_DIFF_LINES = 400;

/** The outcome of {@link checkReportsCurrent}. */
export interface ReportsCheck {
  readonly code: 0 | 1 | 2;
  readonly output: string;
}

function git(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('git', ['-c', 'core.quotepath=off', ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? r.error.message : '') };
}

/**
 * Compares reports/ in the checkout at `cwd` with HEAD: modified, deleted and new (untracked) files all count. The
 * human-readable reports' diff comes first (compliance.md, tags.csv, plan.md), then the rest, at most
 * {@link MAX_DIFF_LINES} lines.
 */
export function checkReportsCurrent(cwd: string): ReportsCheck {
  const status = git(cwd, ['status', '--porcelain', '--untracked-files=all', '--', `${REPORTS_DIR}/`]);
  if (status.status !== 0) {
    return { code: 2, output: `reports check: not a git checkout (${status.stderr.trim()})\n` };
  }
  if (status.stdout.trim() === '') return { code: 0, output: `reports check: ${REPORTS_DIR}/ is current.\n` };

  const readable = ['compliance.md', 'tags.csv', 'plan.md'].map((f) => `${REPORTS_DIR}/${f}`);
  const first = git(cwd, ['--no-pager', 'diff', '--no-color', '--', ...readable]).stdout;
  const rest = git(cwd, [
    '--no-pager',
    'diff',
    '--no-color',
    '--',
    `${REPORTS_DIR}/`,
    ...readable.map((f) => `:(exclude)${f}`),
  ]).stdout;
  const lines = `${first}${rest}`.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
  const shown = lines.slice(0, MAX_DIFF_LINES);
  const untracked = status.stdout
    .split('\n')
    .filter((l) => l.startsWith('??'))
    .map((l) => `  new file: ${l.slice(3)}`);
  return {
    code: 1,
    output: [
      `reports check: FAILED: ${REPORTS_DIR}/ is not what the committed sources generate.`,
      'Changed files (git status --porcelain):',
      ...status.stdout
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
      ...(untracked.length > 0 ? ['Files the generator writes that are not committed:', ...untracked] : []),
      '',
      ...shown,
      ...(lines.length > shown.length
        ? [`... ${lines.length - shown.length} more diff lines (git diff -- ${REPORTS_DIR}/ shows them all)`]
        : []),
      '',
      'Regenerate and commit: npm run synth:all && npm run lint:cfn && npm run reports && npm run plan',
      `then git add ${REPORTS_DIR}/ and commit it with the change that caused it.`,
      '',
    ].join('\n'),
  };
}
