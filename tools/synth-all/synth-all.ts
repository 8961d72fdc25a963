import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CDK_OUT, fingerprintSources, SYNTH_STAMP, synthArgs, type SynthStamp } from '../reports/fingerprint';

/** One profile's synthesis: the CDK CLI's exit code and everything it printed. */
export interface SynthRun {
  readonly profile: string;
  readonly code: number;
  readonly output: string;
  readonly seconds: number;
}

/** Synthesizes one profile in `root` (the CDK CLI by default; tests pass a fake). */
export type SynthesizeProfile = (profile: string, root: string) => Promise<SynthRun>;

/** `cdk synth` of one profile exactly as synthArgs says, output captured (no colors). */
export const cdkSynthesize: SynthesizeProfile = (profile, root) => {
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
};

/** What to synthesize. */
export interface SynthAllOptions {
  /** The checkout: its sources are fingerprinted, its cdk.out replaced. */
  readonly root: string;
  readonly profiles: readonly string[];
  /** One profile after another instead of all at once. */
  readonly serial: boolean;
}

/** The CLI command a profile's assembly was made with, as recorded in its stamp. */
export const synthCommand = (profile: string) => `cdk ${synthArgs(profile).join(' ')}`;

/**
 * Synthesizes every profile with the full gate into `cdk.out/<profile>` and writes, for each that succeeded, the
 * stamp `cdk.out/<profile>/synth-inputs.json` with the fingerprint of the sources. The sources are fingerprinted
 * before anything runs (an edit made meanwhile makes the result stale, not fresh) and cdk.out is emptied first
 * (a later lint reads exactly these assemblies). Returns the runs in profile order.
 */
export async function synthAll(
  options: SynthAllOptions,
  synthesize: SynthesizeProfile = cdkSynthesize,
): Promise<SynthRun[]> {
  const { root, profiles } = options;
  const sources = fingerprintSources(root);
  fs.rmSync(path.join(root, CDK_OUT), { recursive: true, force: true });
  const runs: SynthRun[] = [];
  if (options.serial) {
    for (const profile of profiles) runs.push(await synthesize(profile, root));
  } else {
    runs.push(...(await Promise.all(profiles.map((p) => synthesize(p, root)))));
  }
  for (const run of runs.filter((r) => r.code === 0)) {
    const stamp: SynthStamp = { profile: run.profile, command: synthCommand(run.profile), sources };
    fs.writeFileSync(
      path.join(root, CDK_OUT, run.profile, SYNTH_STAMP),
      JSON.stringify(stamp, undefined, 2) + '\n',
    );
  }
  return runs;
}
