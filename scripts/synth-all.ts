/**
 * `npm run synth:all` (or `npx tsx scripts/synth-all.ts [--profiles dev,prod] [--serial]`): synthesizes every
 * profile with the full compliance gate, each into its own cloud assembly (`cdk.out/dev`, `cdk.out/prod`), exactly
 * as `cdk synth -c profile=<p> -o cdk.out/<p>` does, and records in `cdk.out/<p>/synth-inputs.json` the fingerprint
 * of the sources it was built from. `npm run reports` compares that fingerprint with the tree and refuses a stale
 * or foreign cdk.out.
 *
 * It empties cdk.out first, so `npm run lint:cfn` afterwards lints exactly these assemblies. The profiles run in
 * parallel (one process each; most of a synthesis is single-threaded), `--serial` runs them one after another.
 * The work is in tools/synth-all/synth-all.ts.
 *
 * Exit codes: 0 every profile synthesized; 1 a synthesis failed (its output is printed: the gate's findings);
 * 2 bad arguments.
 */
import { PROFILES } from '../lib/config/profiles';
import { CDK_OUT } from '../tools/reports/fingerprint';
import { optionsOnly, parseArgs, profilesOption } from '../tools/shared/args';
import { runCli } from '../tools/shared/cli';
import { REPO_ROOT } from '../tools/shared/repo';
import { synthAll, synthCommand } from '../tools/synth-all/synth-all';

async function main(argv: string[]): Promise<number> {
  const options = optionsOnly(parseArgs(argv, ['profiles'], ['serial']));
  const runs = await synthAll({
    root: REPO_ROOT,
    profiles: profilesOption(options, Object.keys(PROFILES)),
    serial: options.serial === true,
  });
  for (const run of runs) {
    if (run.code !== 0) {
      process.stderr.write(run.output);
      console.error(`synth:all: ${run.profile} FAILED (exit ${run.code}): ${synthCommand(run.profile)}`);
      continue;
    }
    if (run.output.trim()) process.stdout.write(run.output);
    console.log(
      `synth:all: ${run.profile} synthesized with the full gate into ${CDK_OUT}/${run.profile} (${run.seconds.toFixed(1)} s)`,
    );
  }
  return runs.every((r) => r.code === 0) ? 0 : 1;
}

if (require.main === module) runCli('synth:all', main);
