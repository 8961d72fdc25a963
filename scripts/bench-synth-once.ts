/**
 * One measured synth in this process, for `npm run bench` (tools/bench/bench.ts starts it once per run so that
 * neither synth inherits the other's warm caches). Prints one JSON line (tools/bench/synth-once.ts, SynthRun).
 *
 *   tsx scripts/bench-synth-once.ts --gate on|off [--profile dev]
 */
import { performance } from 'perf_hooks';
import { measureSynth } from '../tools/bench/synth-once';
import { optionsOnly, parseArgs, stringOption } from '../tools/shared/args';
import { runCli } from '../tools/shared/cli';

const loadMs = performance.now();
runCli('bench-synth-once', (argv) => {
  const parsed = optionsOnly(parseArgs(argv, ['gate', 'profile']));
  const gate = stringOption(parsed, 'gate');
  if (gate !== 'on' && gate !== 'off') {
    console.error(`bench-synth-once: --gate = ${JSON.stringify(gate ?? null)}; expected on or off`);
    return Promise.resolve(2);
  }
  const run = measureSynth(gate === 'on', stringOption(parsed, 'profile', 'dev')!, loadMs);
  process.stdout.write(`${JSON.stringify(run)}\n`);
  return Promise.resolve(0);
});
