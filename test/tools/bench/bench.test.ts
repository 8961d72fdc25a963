import {
  type BenchPair,
  formatPair,
  formatSummary,
  parseSynthRun,
  runBench,
  summarize,
  SynthFailedError,
  synthOnce,
} from '../../../tools/bench/bench';
import type { SynthRun } from '../../../tools/bench/synth-once';

/** A run with these times (construction is a tenth of the total). */
function run(gate: boolean, totalMs: number, phases: Record<string, number> = {}): SynthRun {
  const constructMs = Math.round(totalMs / 10);
  return { gate, profile: 'dev', loadMs: 1000, constructMs, synthMs: totalMs - constructMs, totalMs, phases };
}

describe('parseSynthRun reads the JSON line a synth process prints', () => {
  test('the last stdout line is the run, whatever the synth printed before it', () => {
    const printed = run(true, 5000, { 'plugin AwsSolutions': 600 });
    const parsed = parseSynthRun(true, {
      status: 0,
      stdout: `Bundling asset...\n${JSON.stringify(printed)}\n`,
      stderr: 'warnings',
    });
    expect(parsed).toEqual(printed);
  });

  test('a failed synth names the side, the exit code and its output', () => {
    expect(() => parseSynthRun(false, { status: 1, stdout: '', stderr: 'ConfigError: profile' })).toThrow(
      new SynthFailedError('synth with the gate off failed (exit 1):\nConfigError: profile'),
    );
  });

  test('a synth that exits 0 without printing a run is a failure too', () => {
    expect(() => parseSynthRun(true, { status: 0, stdout: 'no json here', stderr: '' })).toThrow(
      /^synth with the gate on failed \(exit 0\):\nno json here$/,
    );
  });

  test('a real synth process that fails (unknown profile) is reported as SynthFailedError', () => {
    expect(() => synthOnce(false, 'no-such-profile')).toThrow(SynthFailedError);
  }, 120_000);
});

describe('runBench pairs the synths and alternates which side runs first', () => {
  /** Records each call; the gated side takes three times as long, growing with each call. */
  function recordingSynth() {
    const calls: string[] = [];
    const synth = (gate: boolean, profile: string) => {
      calls.push(`${gate ? 'on' : 'off'}:${profile}`);
      return run(gate, (gate ? 3000 : 1000) + calls.length);
    };
    return { calls, synth };
  }

  test('warm-up pair discarded, then off,on / on,off in turn, each pair holding one run of each side', () => {
    const { calls, synth } = recordingSynth();
    const seen: number[] = [];
    const pairs = runBench({
      runs: 3,
      profile: 'prod',
      warmup: true,
      synth,
      onPair: (_p, i) => seen.push(i),
    });
    expect(calls).toEqual([
      'off:prod',
      'on:prod',
      'off:prod',
      'on:prod',
      'on:prod',
      'off:prod',
      'off:prod',
      'on:prod',
    ]);
    expect(pairs.map((p) => p.order)).toEqual(['off,on', 'on,off', 'off,on']);
    expect(pairs.map((p) => [p.off.gate, p.on.gate])).toEqual([
      [false, true],
      [false, true],
      [false, true],
    ]);
    expect(pairs.map((p) => [p.off.totalMs, p.on.totalMs])).toEqual([
      [1003, 3004],
      [1006, 3005],
      [1007, 3008],
    ]);
    expect(seen).toEqual([0, 1, 2]);
  });

  test('without warm-up every synth is measured', () => {
    const { calls, synth } = recordingSynth();
    runBench({ runs: 1, profile: 'dev', warmup: false, synth });
    expect(calls).toEqual(['off:dev', 'on:dev']);
  });
});

describe('summarize and format: medians, the gated/ungated ratio, where the time goes', () => {
  const pairs: BenchPair[] = [
    { order: 'off,on', off: run(false, 1000), on: run(true, 3000, { 'plugin A': 10, 'plugin B': 100 }) },
    { order: 'on,off', off: run(false, 1400), on: run(true, 3500, { 'plugin A': 30, 'plugin B': 300 }) },
    { order: 'off,on', off: run(false, 2000), on: run(true, 4000, { 'plugin A': 20 }) },
  ];

  test('the ratio is median gated over median ungated; each phase is its median (missing counts 0)', () => {
    const s = summarize(pairs);
    expect(s.off).toEqual({ total: 1400, construct: 140, synth: 1260 });
    expect(s.on).toEqual({ total: 3500, construct: 350, synth: 3150 });
    expect(s.ratio).toBe(2.5);
    expect(s.pairRatio).toBe(2.5); // pairs: 3.00, 2.50, 2.00
    expect(s.phases).toEqual([
      ['plugin A', 20],
      ['plugin B', 100],
    ]);
  });

  test('the printed block quotes the ratio and each phase', () => {
    const lines = formatSummary(summarize(pairs));
    expect(lines).toContain('ratio gated / ungated:             2.50 (target: at most 3.5, met)');
    const slow = [{ ...pairs[0], on: run(true, 3600) }];
    expect(formatSummary(summarize(slow))).toContain(
      'ratio gated / ungated:             3.60 (target: at most 3.5, not met)',
    );
    expect(lines.some((l) => /^ {2}plugin B +100$/.test(l))).toBe(true);
    expect(formatPair(pairs[1], 1)).toBe('  2   on,off        1400       3500   2.50   (1000 / 1000)');
  });
});
