/**
 * `npm run test:integ` (`-- --update` rewrites the snapshots): synthesizes every `test/integ/integ.*.ts` app and
 * compares its templates with the committed `<file>.snapshot/`, offline (tools/integ/snapshots.ts says how and
 * why not integ-runner).
 *
 * Exit codes: 0 every snapshot matches (or was rewritten); 1 a snapshot differs, an app failed to synthesize,
 * or there is no app; 2 bad arguments.
 */
import * as path from 'node:path';
import { checkSnapshots, integApps } from '../tools/integ/snapshots';
import { optionsOnly, parseArgs } from '../tools/shared/args';
import { runCli } from '../tools/shared/cli';
import { REPO_ROOT } from '../tools/shared/repo';

async function main(argv: string[]): Promise<number> {
  const update = optionsOnly(parseArgs(argv, [], ['update'])).update === true;
  const apps = integApps(path.join(REPO_ROOT, 'test', 'integ'));
  const results = await checkSnapshots(apps, { root: REPO_ROOT, update }, (r) => {
    const name = path.basename(r.app);
    if (r.problems.length === 0) {
      console.log(`  ${update ? 'UPDATED' : 'OK'}  ${name} (${r.seconds.toFixed(1)} s)`);
      return;
    }
    console.log(`  CHANGED  ${name} (${r.seconds.toFixed(1)} s)`);
    for (const p of r.problems) console.log(`      ${p}`);
  });
  const failed = results.filter((r) => r.problems.length > 0).length;
  if (failed > 0 && !update)
    console.log('Review the change; if intended: npm run test:integ -- --update, and commit the snapshot.');
  console.log(`integ: ${apps.length - failed} passed, ${failed} failed`);
  return failed === 0 && apps.length > 0 ? 0 : 1;
}

if (require.main === module) runCli('test:integ', main);
