/**
 * `npm run test:guard` (or `npx tsx scripts/guard-tests.ts [--junit <file>]`): runs every project Guard rule in
 * policies/ against its tests/<rule>_tests.yaml with the cfn-guard bundled in @cdklabs/cdk-validator-cfnguard.
 * Fails when a rule has no test file (cfn-guard itself passes such a rule) or an expectation does not hold.
 * With --junit, also writes cfn-guard's JUnit report without its timings (deterministic, for reports/).
 *
 * `npm test` runs the same checks (test/lib/compliance/guard-rules.test.ts); this script is for people and CI.
 * The library is tools/guard-tests/guard-tests.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { guardTestsJunit, runGuardTestSuite } from '../tools/guard-tests/guard-tests';
import { optionsOnly, parseArgs, stringOption } from '../tools/shared/args';
import { runCli } from '../tools/shared/cli';

function main(argv: string[]): number {
  const junit = stringOption(optionsOnly(parseArgs(argv, ['junit'])), 'junit');
  const result = runGuardTestSuite();
  for (const line of result.lines) console.log(line);
  if (junit !== undefined) {
    fs.mkdirSync(path.dirname(junit), { recursive: true });
    fs.writeFileSync(junit, guardTestsJunit());
  }
  return result.exitCode;
}

if (require.main === module) runCli('guard-tests', main);
