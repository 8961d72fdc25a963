/**
 * `npm run reports` (or `npx tsx scripts/reports.ts [--out <dir>] [--profiles dev,prod] [--root <dir>]`): writes the
 * compliance reports into reports/ from the synthesized output of every profile (`--root`: the sources and cdk.out of
 * another checkout, reports into its reports/ unless `--out` says otherwise):
 *
 *   compliance.md / compliance.json (+ compliance.schema.json)   per-layer counts, every acknowledgement,
 *                                                                exemption and disabled rule, for auditors
 *   compliance.sarif                                             every finding, for code scanning
 *   tags.csv / tags.json                                         tag inventory and coverage, for dashboards
 *   guard-tests.xml                                              the Guard rule tests (JUnit)
 *   cfn-lint.sarif / cfn-lint.junit.xml                          the cfn-lint run (npm run lint:cfn)
 *
 * It reads cdk.out and never synthesizes: run `npm run synth:all && npm run lint:cfn` first. It refuses a cdk.out
 * that is missing, not produced by synth:all, or synthesized from other sources than the working tree, and cfn-lint
 * output that is not from these templates. The reports have no timestamps and no absolute paths: two runs on the
 * same tree write identical bytes, and CI fails when the committed reports differ from a fresh run.
 *
 * `--base <git-ref>` also compares with the reports committed at that ref, and writes, outside reports/ (they depend
 * on the base): the SARIF with `baselineState` (`--sarif-out`, default cdk.out/compliance.baseline.sarif) and the
 * compliance diff as Markdown for a PR comment (`--diff-out`, default cdk.out/compliance-diff.md). reports/ is
 * byte-identical with and without --base.
 *
 * Exit codes: 0 written; 1 written, but an error is open or a suppression is outside the register; 2 bad
 * arguments, cdk.out missing or stale, or a base without committed reports (nothing written).
 */
import * as fs from 'fs';
import * as path from 'path';
import { PROFILES } from '../lib/config/profiles';
import { ReportInputError } from '../tools/reports/assembly';
import { BASE_OUTPUTS, BaseReportError, gitReader, readBase, writeComparison } from '../tools/reports/base';
import { generateReports, reportsVerdict } from '../tools/reports/generate';
import { optionsOnly, parseArgs, profilesOption, stringOption, UsageError } from '../tools/shared/args';
import { runCli } from '../tools/shared/cli';
import { REPO_ROOT } from '../tools/shared/repo';

function main(argv: string[]): number {
  const options = optionsOnly(parseArgs(argv, ['out', 'profiles', 'root', 'base', 'diff-out', 'sarif-out']));
  const root = path.resolve(stringOption(options, 'root', REPO_ROOT)!);
  const profiles = profilesOption(options, Object.keys(PROFILES));
  const out = path.resolve(stringOption(options, 'out', path.join(root, 'reports'))!);
  const ref = stringOption(options, 'base');
  for (const key of ['diff-out', 'sarif-out']) {
    if (!ref && options[key] !== undefined)
      throw new UsageError(`--${key} needs --base <git-ref> (what to compare with)`);
  }
  // The base first: a wrong ref fails in a second, not after the reports.
  const base = ref ? readBase(gitReader(root, ref), ref) : undefined;
  const generated = generateReports({ root, profiles });
  fs.mkdirSync(out, { recursive: true });
  for (const [file, contents] of generated.files) fs.writeFileSync(path.join(out, file), contents);
  const where = path.relative(process.cwd(), out) || '.';
  console.log(`reports: wrote ${[...generated.files.keys()].map((f) => path.join(where, f)).join(', ')}`);
  if (base) {
    const outputs = {
      sarif: path.resolve(stringOption(options, 'sarif-out', path.join(root, BASE_OUTPUTS.sarif))!),
      diff: path.resolve(stringOption(options, 'diff-out', path.join(root, BASE_OUTPUTS.diff))!),
    };
    for (const file of writeComparison(root, base, generated.files, outputs)) {
      console.log(`reports: wrote ${path.relative(process.cwd(), file)} (against ${ref})`);
    }
  }
  for (const line of generated.summary) console.log(`reports: ${line}`);
  const bad = reportsVerdict(generated.files.get('compliance.json')!);
  for (const profile of bad) {
    console.error(
      `reports: ${profile} has open errors or acknowledgements outside the register (see ${where}/compliance.md)`,
    );
  }
  return bad.length === 0 ? 0 : 1;
}

if (require.main === module) runCli('reports', main, [ReportInputError, BaseReportError]);
