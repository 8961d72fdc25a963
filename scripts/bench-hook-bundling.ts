/**
 * Benchmark: what bundling the validation hook (NodejsFunction, local esbuild) adds to a synth of the stack.
 * Prints the median of N synths with bundling and with bundling skipped (`aws:cdk:bundling-stacks: []`,
 * the CLI's `--exclusively`/`-e` behaviour). Not a test: numbers vary by machine.
 *
 *   npx tsx scripts/bench-hook-bundling.ts [runs=5]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createApp } from '../lib/app';
import { median } from '../tools/bench/stats';
import { cdkJsonContext } from '../tools/plan/synth';

function synthOnce(skipBundling: boolean): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const started = process.hrtime.bigint();
  const { app } = createApp({
    context: { ...cdkJsonContext(), ...(skipBundling ? { 'aws:cdk:bundling-stacks': [] } : {}) },
    outdir,
  });
  app.synth();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  return ms;
}

const runs = Number(process.argv[2] ?? 5);
synthOnce(false); // warm-up: module loading and JIT are not bundling
const withBundling: number[] = [];
const without: number[] = [];
for (let i = 0; i < runs; i++) {
  // Interleaved so drift in machine load hits both sides alike.
  withBundling.push(synthOnce(false));
  without.push(synthOnce(true));
}
const a = median(withBundling);
const b = median(without);
console.log(
  `stack synth, median of ${runs}: with hook bundling ${a.toFixed(0)} ms, bundling skipped ${b.toFixed(0)} ms`,
);
console.log(`bundling adds ${(a - b).toFixed(0)} ms per synth (${(((a - b) / b) * 100).toFixed(1)}%)`);
