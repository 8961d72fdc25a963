/**
 * `npm run lint:cfn` (or `npx tsx scripts/lint-cfn.ts [--cdk-out <dir>] [--out-dir <dir>] [--allow-missing]`): runs
 * the Python cfn-lint on every template under cdk.out, applies the register's cfn-lint acknowledgements and writes
 * SARIF and JUnit reports (default <cdk-out>/lint). Exit codes and behaviour: tools/lint-cfn/lint-cfn.ts.
 */
import * as path from 'path';
import { lintCfn } from '../tools/lint-cfn/lint-cfn';
import { optionsOnly, parseArgs, stringOption } from '../tools/shared/args';
import { runCli } from '../tools/shared/cli';

function main(argv: string[]): number {
  const options = optionsOnly(parseArgs(argv, ['cdk-out', 'out-dir'], ['allow-missing']));
  const cdkOut = stringOption(options, 'cdk-out', 'cdk.out')!;
  const outDir = stringOption(options, 'out-dir', path.join(cdkOut, 'lint'))!;
  return lintCfn({ cdkOut, outDir, allowMissing: options['allow-missing'] === true }).exitCode;
}

if (require.main === module) runCli('lint:cfn', main);
