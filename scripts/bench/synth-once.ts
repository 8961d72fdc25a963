/**
 * One measured synth, run by scripts/bench.ts in a fresh process: builds the app with or without the
 * compliance gate, synthesizes it into a temporary directory and prints one JSON line with the timings.
 *
 *   tsx scripts/bench/synth-once.ts --gate on|off --profile dev
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { createApp } from '../../lib/app';
import { cdkJsonContext } from '../plan/synth';

/** What a run prints (one JSON line on stdout). */
export interface SynthRun {
  readonly gate: boolean;
  readonly profile: string;
  /** Node start, tsx and module loading, before the app is built (not part of the comparison). */
  readonly loadMs: number;
  /** createApp: configuration, constructs, Aspects registered. */
  readonly constructMs: number;
  /** app.synth(): Aspects, synthesis and every validation plugin. */
  readonly synthMs: number;
  /** constructMs + synthMs: the figure the benchmark compares. */
  readonly totalMs: number;
  /** CDK's own performance counters for the run (ms), when the assembly has them. */
  readonly counters: Record<string, number>;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  const loadMs = performance.now();
  const gateArg = arg('--gate');
  if (gateArg !== 'on' && gateArg !== 'off') {
    throw new Error(`--gate = ${JSON.stringify(gateArg ?? null)}: expected on or off`);
  }
  const profile = arg('--profile') ?? 'dev';
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'orderbroker-bench-'));
  const countersFile = path.join(outdir, 'performance-counters.json');
  // aws-cdk-lib writes its per-phase counters (construction, synthesis, each validation plugin) here.
  process.env.CDK_PERF_COUNTERS_FILE = countersFile;
  try {
    const t0 = performance.now();
    const { app } = createApp({
      // A threshold of 0 makes every synth "slow" for aws-cdk-lib, which then always writes its counters.
      context: { ...cdkJsonContext(), profile, '@aws-cdk/core.slowSynthThreshold': 0 },
      outdir,
      complianceGate: gateArg === 'on',
    });
    const t1 = performance.now();
    app.synth();
    const t2 = performance.now();
    const counters: Record<string, number> = {};
    if (fs.existsSync(countersFile)) {
      const raw = JSON.parse(fs.readFileSync(countersFile, 'utf8')) as { counters?: Record<string, number> };
      for (const [k, v] of Object.entries(raw.counters ?? {})) if (!k.endsWith('(cnt)')) counters[k] = v;
    }
    const run: SynthRun = {
      gate: gateArg === 'on',
      profile,
      loadMs: Math.round(loadMs),
      constructMs: Math.round(t1 - t0),
      synthMs: Math.round(t2 - t1),
      totalMs: Math.round(t2 - t0),
      counters,
    };
    process.stdout.write(`${JSON.stringify(run)}\n`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main();
