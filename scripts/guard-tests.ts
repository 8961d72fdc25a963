/**
 * `npm run test:guard` (or `npx tsx scripts/guard-tests.ts [--junit <file>]`): runs every project Guard rule in
 * policies/ against its tests/<rule>_tests.yaml with the cfn-guard bundled in @cdklabs/cdk-validator-cfnguard.
 * Fails when a rule has no test file (cfn-guard itself passes such a rule) or an expectation does not hold.
 * With --junit, also writes cfn-guard's JUnit report without its timings (deterministic, for reports/).
 *
 * `npm test` runs the same checks (test/compliance/guard-rules.test.ts); this script is for people and CI.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cfnGuardBinary, missingGuardTests, POLICIES_DIR, runGuardTests } from '../lib/compliance/guard';

/** cfn-guard's JUnit report of `dir`, with the run-dependent `time` attributes removed. */
export function guardTestsJunit(dir: string = POLICIES_DIR): string {
  const result = spawnSync(
    cfnGuardBinary(),
    ['test', '--dir', '.', '--alphabetical', '--output-format', 'junit'],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
  return result.stdout.replace(/ time="\d+"/g, '');
}

function main(argv: string[]): number {
  const junitIndex = argv.indexOf('--junit');
  const missing = missingGuardTests();
  if (missing.length > 0) {
    console.error(`Guard rules without policies/tests/<rule>_tests.yaml: ${missing.join(', ')}`);
    return 1;
  }
  let failed = 0;
  for (const run of runGuardTests()) {
    console.log(`${run.exitCode === 0 ? 'PASS' : 'FAIL'} ${run.rule}`);
    if (run.exitCode !== 0) {
      failed++;
      console.log(run.output);
    }
  }
  if (junitIndex >= 0) {
    const file = argv[junitIndex + 1];
    if (!file) {
      console.error('usage: guard-tests.ts [--junit <file>]');
      return 2;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, guardTestsJunit());
  }
  console.log(
    `${failed === 0 ? 'All' : `${failed} of`} Guard rule test files ${failed === 0 ? 'passed' : 'failed'}.`,
  );
  return failed === 0 ? 0 : 1;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
