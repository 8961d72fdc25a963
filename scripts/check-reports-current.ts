/**
 * `npx tsx scripts/check-reports-current.ts` (CI, after `npm run reports` and `npm run plan`): fails when reports/
 * differs from what is committed, printing what changed. Exit 0: current; 1: stale; 2: not a git checkout.
 * The check is tools/reports/check-current.ts.
 */
import { optionsOnly, parseArgs } from '../tools/shared/args';
import { runCli } from '../tools/shared/cli';
import { checkReportsCurrent } from '../tools/reports/check-current';

function main(argv: string[]): number {
  optionsOnly(parseArgs(argv, []));
  const result = checkReportsCurrent(process.cwd());
  (result.code === 0 ? process.stdout : process.stderr).write(result.output);
  return result.code;
}

if (require.main === module) runCli('check-reports-current', main);
