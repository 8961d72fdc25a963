/**
 * `npm run synth:all` (or `npx tsx scripts/synth-all.ts [--profiles dev,prod] [--serial]`): synthesizes every
 * profile with the full compliance gate, each into its own cloud assembly (`cdk.out/dev`, `cdk.out/prod`), exactly
 * as `cdk synth -c profile=<p> -o cdk.out/<p>` does, and records in `cdk.out/<p>/synth-inputs.json` the fingerprint
 * of the sources it was built from. `npm run reports` compares that fingerprint with the tree and refuses a stale
 * or foreign cdk.out.
 *
 * It empties cdk.out first, so `npm run lint:cfn` afterwards lints exactly these assemblies. The profiles run in
 * parallel (one process each; most of a synthesis is single-threaded), `--serial` runs them one after another.
 *
 * Exit codes: 0 every profile synthesized; 1 a synthesis failed (its output is printed: the gate's findings);
 * 2 bad arguments.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PROFILES } from '../lib/config/profiles';
import {
  CDK_OUT,
  fingerprintSources,
  REPO_ROOT,
  SYNTH_STAMP,
  synthArgs,
  type SynthStamp,
} from '../tools/reports/fingerprint';

interface SynthRun {
  readonly profile: string;
  readonly code: number;
  readonly output: string;
  readonly seconds: number;
}

function synthesize(profile: string, root: string): Promise<SynthRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(path.join(root, 'node_modules', '.bin', 'cdk'), synthArgs(profile), {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) =>
      resolve({ profile, code: 1, output: `${output}${err.message}\n`, seconds: 0 }),
    );
    child.on('close', (code) =>
      resolve({ profile, code: code ?? 1, output, seconds: (Date.now() - started) / 1000 }),
    );
  });
}

async function main(argv: string[]): Promise<number> {
  const known = Object.keys(PROFILES);
  let profiles = known;
  let serial = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--serial') serial = true;
    else if (argv[i] === '--profiles' && argv[i + 1] !== undefined) {
      profiles = argv[++i].split(',').map((p) => p.trim());
      const unknown = profiles.filter((p) => !known.includes(p));
      if (unknown.length > 0 || profiles.length === 0) {
        console.error(
          `synth:all: --profiles = ${JSON.stringify(argv[i])}: expected a subset of ${known.join(', ')}`,
        );
        return 2;
      }
    } else {
      console.error(
        `synth:all: unknown argument ${JSON.stringify(argv[i])}; allowed: --profiles <list>, --serial`,
      );
      return 2;
    }
  }

  const root = REPO_ROOT;
  // Fingerprint first: an edit made while synthesis runs must make the result stale, not fresh.
  const sources = fingerprintSources(root);
  fs.rmSync(path.join(root, CDK_OUT), { recursive: true, force: true });

  const runs: SynthRun[] = [];
  if (serial) {
    for (const profile of profiles) runs.push(await synthesize(profile, root));
  } else {
    runs.push(...(await Promise.all(profiles.map((p) => synthesize(p, root)))));
  }

  let failed = 0;
  for (const run of runs) {
    if (run.code !== 0) {
      failed++;
      process.stderr.write(run.output);
      console.error(
        `synth:all: ${run.profile} FAILED (exit ${run.code}): cdk ${synthArgs(run.profile).join(' ')}`,
      );
      continue;
    }
    if (run.output.trim()) process.stdout.write(run.output);
    const stamp: SynthStamp = {
      profile: run.profile,
      command: `cdk ${synthArgs(run.profile).join(' ')}`,
      sources,
    };
    fs.writeFileSync(
      path.join(root, CDK_OUT, run.profile, SYNTH_STAMP),
      JSON.stringify(stamp, undefined, 2) + '\n',
    );
    console.log(
      `synth:all: ${run.profile} synthesized with the full gate into ${CDK_OUT}/${run.profile} (${run.seconds.toFixed(1)} s)`,
    );
  }
  return failed === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
