#!/usr/bin/env node
/**
 * `npm run bench`: how much the compliance gate costs a synth, measured on this machine (tools/bench/bench.ts):
 * pairs of fresh-process synths without and with the gate, their medians and the gated/ungated ratio, and where
 * the gated synth spends its time.
 *
 *   npm run bench                               5 runs, profile dev
 *   npm run bench -- --runs 9 --profile prod
 *   npm run bench -- --no-warmup                no discarded first pair
 *
 * A benchmark prints; it never fails on a number. Exit codes: 0 measured; 1 a synth failed; 2 bad arguments.
 */
import * as os from 'os';
import {
  BENCH_PROFILES,
  formatPair,
  formatSummary,
  PAIR_HEADER,
  runBench,
  summarize,
  SynthFailedError,
} from '../tools/bench/bench';
import { optionsOnly, parseArgs, stringOption, UsageError } from '../tools/shared/args';
import { runCli } from '../tools/shared/cli';

function main(argv: string[]): number {
  const options = optionsOnly(parseArgs(argv, ['runs', 'profile'], ['no-warmup']));
  const rawRuns = stringOption(options, 'runs', '5')!;
  const runs = /^\d+$/.test(rawRuns) ? Number(rawRuns) : NaN;
  if (!(runs >= 1 && runs <= 50)) {
    throw new UsageError(`--runs = ${JSON.stringify(rawRuns)}: expected an integer from 1 to 50`);
  }
  const profile = stringOption(options, 'profile', 'dev')!;
  if (!BENCH_PROFILES.includes(profile)) {
    throw new UsageError(
      `--profile = ${JSON.stringify(profile)}: expected one of ${BENCH_PROFILES.join(', ')}`,
    );
  }
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(
    `bench: ${runs} run(s) of profile ${profile}, ${os.cpus().length} CPUs, load average ${load}, node ${process.version}`,
  );
  console.log(`\n${PAIR_HEADER}`);
  let pairs;
  try {
    pairs = runBench({
      runs,
      profile,
      warmup: options['no-warmup'] !== true,
      onPair: (pair, i) => console.log(formatPair(pair, i)),
    });
  } catch (err) {
    if (!(err instanceof SynthFailedError)) throw err;
    console.error(`bench: ${err.message}`);
    return 1;
  }
  const summary = summarize(pairs);
  console.log('');
  for (const line of formatSummary(summary)) console.log(line);
  if (summary.ratio > 2) {
    console.log('\nThe gate more than doubles synth time: docs/capacity-plan.md says where the time goes.');
  }
  return 0;
}

runCli('bench', main);
