/**
 * The gate benchmark behind `npm run bench`: how much the compliance gate costs a synth, measured on this machine.
 *
 * Each run synthesizes the stack twice, each time in a fresh Node process (scripts/bench-synth-once.ts, so neither
 * side profits from the other's module cache or JIT): once with `createApp({ complianceGate: false })` (no
 * validation plugins, not even the CloudFormation linter bundled in aws-cdk-lib) and once with the full gate. The
 * order alternates between runs so drift on a shared machine does not favour one side. A benchmark prints; it never
 * fails on a number.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { REPO_ROOT } from '../shared/repo';
import { median } from './stats';
import type { SynthRun } from './synth-once';

/** Profiles the benchmark can synthesize. */
export const BENCH_PROFILES: readonly string[] = ['dev', 'prod'];

/** A measured synth failed (its output is in the message). */
export class SynthFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthFailedError';
  }
}

/** Runs one synth in a fresh process: `gate` on or off. */
export type SynthOnce = (gate: boolean, profile: string) => SynthRun;

/** The result of one child process, as `spawnSync` returns it. */
export interface ChildResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The run a child printed (its last stdout line, JSON).
 *
 * @throws SynthFailedError when the child failed or printed no run
 */
export function parseSynthRun(gate: boolean, res: ChildResult): SynthRun {
  const line = res.stdout.trim().split('\n').pop() ?? '';
  if (res.status !== 0 || !line.startsWith('{')) {
    throw new SynthFailedError(
      `synth with the gate ${gate ? 'on' : 'off'} failed (exit ${res.status}):\n${res.stderr}${res.stdout}`,
    );
  }
  return JSON.parse(line) as SynthRun;
}

/** One synth in a fresh Node process (scripts/bench-synth-once.ts). */
export const synthOnce: SynthOnce = (gate, profile) => {
  const res = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(REPO_ROOT, 'scripts', 'bench-synth-once.ts'),
      '--gate',
      gate ? 'on' : 'off',
      '--profile',
      profile,
    ],
    { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return parseSynthRun(gate, res);
};

/** One measured pair: the ungated and the gated synth, and which ran first. */
export interface BenchPair {
  readonly order: 'off,on' | 'on,off';
  readonly off: SynthRun;
  readonly on: SynthRun;
}

/** Options of {@link runBench}. */
export interface BenchOptions {
  readonly runs: number;
  readonly profile: string;
  /** Run and discard one pair first (the first process after a build pays for cold disk caches). */
  readonly warmup: boolean;
  readonly synth?: SynthOnce;
  /** Called after each measured pair (to print it as it comes). */
  readonly onPair?: (pair: BenchPair, index: number) => void;
}

/** Measures `runs` pairs, alternating which side runs first. */
export function runBench(options: BenchOptions): BenchPair[] {
  const synth = options.synth ?? synthOnce;
  if (options.warmup) {
    synth(false, options.profile);
    synth(true, options.profile);
  }
  const pairs: BenchPair[] = [];
  for (let i = 0; i < options.runs; i++) {
    const gatedFirst = i % 2 === 1;
    const first = synth(gatedFirst, options.profile);
    const second = synth(!gatedFirst, options.profile);
    const pair: BenchPair = gatedFirst
      ? { order: 'on,off', on: first, off: second }
      : { order: 'off,on', off: first, on: second };
    pairs.push(pair);
    options.onPair?.(pair, i);
  }
  return pairs;
}

/** Medians over the pairs. */
export interface BenchSummary {
  readonly off: { readonly total: number; readonly construct: number; readonly synth: number };
  readonly on: { readonly total: number; readonly construct: number; readonly synth: number };
  /** median gated / median ungated: the figure the README quotes. */
  readonly ratio: number;
  /** Median of each pair's gated / ungated. */
  readonly pairRatio: number;
  /** Median of each phase of the gated synth (ms), in the order the first gated run lists them. */
  readonly phases: ReadonlyArray<readonly [string, number]>;
}

/** The medians of `pairs` (at least one). */
export function summarize(pairs: readonly BenchPair[]): BenchSummary {
  const side = (runs: SynthRun[]) => ({
    total: median(runs.map((r) => r.totalMs)),
    construct: median(runs.map((r) => r.constructMs)),
    synth: median(runs.map((r) => r.synthMs)),
  });
  const off = side(pairs.map((p) => p.off));
  const on = side(pairs.map((p) => p.on));
  return {
    off,
    on,
    ratio: on.total / off.total,
    pairRatio: median(pairs.map((p) => p.on.totalMs / p.off.totalMs)),
    phases: Object.keys(pairs[0].on.phases).map(
      (phase) => [phase, median(pairs.map((p) => p.on.phases[phase] ?? 0))] as const,
    ),
  };
}

function pad(text: string | number, width: number): string {
  return String(text).padStart(width);
}

/** The header of the table of pairs. */
export const PAIR_HEADER = `${pad('run', 3)} ${pad('order', 8)} ${pad('no gate ms', 11)} ${pad('gated ms', 10)} ${pad('ratio', 6)}   (load ms: off / on)`;

/** One line of the table of pairs. */
export function formatPair(pair: BenchPair, index: number): string {
  const ratio = (pair.on.totalMs / pair.off.totalMs).toFixed(2);
  return `${pad(index + 1, 3)} ${pad(pair.order, 8)} ${pad(pair.off.totalMs, 11)} ${pad(pair.on.totalMs, 10)} ${pad(ratio, 6)}   (${pair.off.loadMs} / ${pair.on.loadMs})`;
}

/**
 * The gate's speed target (issue 14): a gated synth at most this many times an ungated one on a 2-CPU machine,
 * medians of 5. Printed beside the ratio; a benchmark never fails on a number.
 */
export const GATE_RATIO_TARGET = 3.5;

/** The summary block: medians, the gated/ungated ratio and where the gated synth spends its time. */
export function formatSummary(s: BenchSummary): string[] {
  return [
    `median without validation plugins: ${s.off.total} ms (construct ${s.off.construct}, synth ${s.off.synth})`,
    `median with the full gate:         ${s.on.total} ms (construct ${s.on.construct}, synth ${s.on.synth})`,
    `ratio gated / ungated:             ${s.ratio.toFixed(2)} (target: at most ${GATE_RATIO_TARGET.toFixed(1)}, ${s.ratio <= GATE_RATIO_TARGET ? 'met' : 'not met'})`,
    `ratio of the medians of each pair:  ${s.pairRatio.toFixed(2)}`,
    '',
    'where the gated synth spends its time, medians (ms); the linter and the Guard layers run in worker threads',
    'started when the first plugin is asked, and show the time left waiting for them:',
    `  ${'construction (createApp)'.padEnd(48)} ${pad(s.on.construct, 7)}`,
    ...s.phases.map(([phase, ms]) => `  ${phase.padEnd(48)} ${pad(ms, 7)}`),
  ];
}
