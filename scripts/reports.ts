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
 * Exit codes: 0 written; 1 written, but an error is open or a suppression is outside the register; 2 bad
 * arguments, or cdk.out missing or stale (nothing written).
 */
import * as fs from 'fs';
import * as path from 'path';
import { PROFILES } from '../lib/config/profiles';
import { ReportInputError } from '../tools/reports/assembly';
import { REPO_ROOT } from '../tools/shared/repo';
import { generateReports } from '../tools/reports/generate';

function main(argv: string[]): number {
  const known = Object.keys(PROFILES);
  let out: string | undefined;
  let root = REPO_ROOT;
  let profiles = known;
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--out' && value !== undefined) {
      out = path.resolve(value);
      i++;
    } else if (argv[i] === '--root' && value !== undefined) {
      root = path.resolve(value);
      i++;
    } else if (argv[i] === '--profiles' && value !== undefined) {
      profiles = value.split(',').map((p) => p.trim());
      if (profiles.length === 0 || profiles.some((p) => !known.includes(p))) {
        console.error(
          `reports: --profiles = ${JSON.stringify(value)}: expected a comma-separated subset of ${known.join(', ')}`,
        );
        return 2;
      }
      i++;
    } else {
      console.error(
        `reports: unknown argument ${JSON.stringify(argv[i])}; allowed: --out <dir>, --profiles <${known.join(',')}>, --root <dir>`,
      );
      return 2;
    }
  }

  let generated;
  try {
    generated = generateReports({ root, profiles });
  } catch (err) {
    if (err instanceof ReportInputError) {
      console.error(`reports: ${err.message}`);
      return 2;
    }
    throw err;
  }
  out ??= path.join(root, 'reports');
  fs.mkdirSync(out, { recursive: true });
  for (const [file, contents] of generated.files) fs.writeFileSync(path.join(out, file), contents);
  const where = path.relative(process.cwd(), out) || '.';
  console.log(`reports: wrote ${[...generated.files.keys()].map((f) => path.join(where, f)).join(', ')}`);
  for (const line of generated.summary) console.log(`reports: ${line}`);
  const compliance = JSON.parse(generated.files.get('compliance.json')!) as {
    profiles: Array<{
      profile: string;
      summary: { openFindings: { error: number } };
      unregisteredAcknowledgements: unknown[];
    }>;
  };
  const bad = compliance.profiles.filter(
    (p) => p.summary.openFindings.error > 0 || p.unregisteredAcknowledgements.length > 0,
  );
  for (const p of bad) {
    console.error(
      `reports: ${p.profile} has open errors or acknowledgements outside the register (see ${where}/compliance.md)`,
    );
  }
  return bad.length === 0 ? 0 : 1;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
