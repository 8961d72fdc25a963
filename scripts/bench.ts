#!/usr/bin/env node
/**
 * `npm run bench`: how much the compliance gate costs a synth, measured on this machine.
 *
 * Each run synthesizes the stack twice, each time in a fresh Node process (so neither side profits from the
 * other's module cache or JIT): once with `createApp({ complianceGate: false })` — no validation plugins,
 * not even the CloudFormation linter bundled in aws-cdk-lib — and once with the full gate (the default).
 * The timed region is `createApp()` + `app.synth()`; process start and module loading are printed apart, and
 * the gated synth's main-thread time is broken down by phase and validation plugin.
 * The order alternates between runs so drift on a shared machine does not favour one side.
 *
 *   npm run bench                               5 runs, profile dev
 *   npm run bench -- --runs 9 --profile prod
 *
 * A benchmark prints; it never fails on a number. It exits non-zero only when a synth fails or the
 * arguments are wrong.
 */
import { spawnSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import type { SynthRun } from '../tools/bench/synth-once';
import { median } from '../tools/bench/stats';

const CHILD = path.join(__dirname, '..', 'tools', 'bench', 'synth-once.ts');
const PROFILES = ['dev', 'prod'];
class UsageError extends Error {}

function parseArgs(argv: string[]): { runs: number; profile: string; warmup: boolean } {
  let runs = 5;
  let profile = 'dev';
  let warmup = true;
  for (let i = 0; i < argv.length; i++) {
    const [arg, value] = [argv[i], argv[i + 1]];
    if (arg === '--runs' && value !== undefined) {
      runs = /^\d+$/.test(value) ? Number(value) : NaN;
      if (!(runs >= 1 && runs <= 50))
        throw new UsageError(`--runs = ${JSON.stringify(value)}: expected an integer from 1 to 50`);
      i++;
    } else if (arg === '--profile' && value !== undefined) {
      if (!PROFILES.includes(value))
        throw new UsageError(`--profile = ${JSON.stringify(value)}: expected one of ${PROFILES.join(', ')}`);
      profile = value;
      i++;
    } else if (arg === '--no-warmup') {
      warmup = false;
    } else {
      throw new UsageError(
        `unknown argument ${JSON.stringify(arg)}; allowed: --runs <1-50>, --profile <${PROFILES.join('|')}>, --no-warmup`,
      );
    }
  }
  return { runs, profile, warmup };
}

function synthOnce(gate: boolean, profile: string): SynthRun {
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', CHILD, '--gate', gate ? 'on' : 'off', '--profile', profile],
    {
      cwd: path.join(__dirname, '..'),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const line = res.stdout.trim().split('\n').pop() ?? '';
  if (res.status !== 0 || !line.startsWith('{')) {
    throw new Error(
      `synth with the gate ${gate ? 'on' : 'off'} failed (exit ${res.status}):\n${res.stderr}${res.stdout}`,
    );
  }
  return JSON.parse(line) as SynthRun;
}

function pad(text: string | number, width: number): string {
  return String(text).padStart(width);
}

function main(): void {
  const { runs, profile, warmup } = parseArgs(process.argv.slice(2));
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(
    `bench: ${runs} run(s) of profile ${profile}, ${os.cpus().length} CPUs, load average ${load}, node ${process.version}`,
  );
  if (warmup) {
    // The first process after a build pays for cold disk caches; it is run and discarded.
    synthOnce(false, profile);
    synthOnce(true, profile);
  }
  const off: SynthRun[] = [];
  const on: SynthRun[] = [];
  console.log(
    `\n${pad('run', 3)} ${pad('order', 8)} ${pad('no gate ms', 11)} ${pad('gated ms', 10)} ${pad('ratio', 6)}   (load ms: off / on)`,
  );
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? [false, true] : [true, false];
    const results = order.map((gate) => synthOnce(gate, profile));
    const a = results.find((r) => !r.gate)!;
    const b = results.find((r) => r.gate)!;
    off.push(a);
    on.push(b);
    console.log(
      `${pad(i + 1, 3)} ${pad(order[0] ? 'on,off' : 'off,on', 8)} ${pad(a.totalMs, 11)} ${pad(b.totalMs, 10)} ${pad((b.totalMs / a.totalMs).toFixed(2), 6)}   (${a.loadMs} / ${b.loadMs})`,
    );
  }
  const mOff = median(off.map((r) => r.totalMs));
  const mOn = median(on.map((r) => r.totalMs));
  console.log(
    `\nmedian without validation plugins: ${mOff} ms (construct ${median(off.map((r) => r.constructMs))}, synth ${median(off.map((r) => r.synthMs))})`,
  );
  console.log(
    `median with the full gate:         ${mOn} ms (construct ${median(on.map((r) => r.constructMs))}, synth ${median(on.map((r) => r.synthMs))})`,
  );
  console.log(`ratio gated / ungated:             ${(mOn / mOff).toFixed(2)}`);
  console.log(
    `ratio of the medians of each pair:  ${median(on.map((r, i) => r.totalMs / off[i].totalMs)).toFixed(2)}`,
  );
  console.log('\nwhere the gated synth spends its time, medians (ms):');
  console.log(`  ${'construction (createApp)'.padEnd(48)} ${pad(median(on.map((r) => r.constructMs)), 7)}`);
  for (const phase of Object.keys(on[0].phases)) {
    console.log(`  ${phase.padEnd(48)} ${pad(median(on.map((r) => r.phases[phase] ?? 0)), 7)}`);
  }
  if (mOn / mOff > 2) {
    console.log(
      '\nThe gate more than doubles synth time: docs/capacity-plan.md says where the time goes and why.',
    );
  }
}

try {
  main();
} catch (err) {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(err instanceof UsageError ? 2 : 1);
}
