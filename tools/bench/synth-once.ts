/**
 * One measured synth: builds the app with or without the compliance gate, synthesizes it into a temporary
 * directory and returns the timings. The benchmark runs it in a fresh process through its CLI,
 * scripts/bench-synth-once.ts (one JSON line on stdout).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import type { IPolicyValidationPlugin } from 'aws-cdk-lib';
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
  /**
   * Where synth() spends its time on the main thread (ms): `aspects+templates` until CDK asks the first
   * validation plugin, then each plugin's `validate()` (for the off-thread layers, the time spent waiting for
   * them), then `report` (CDK writing the validation report).
   */
  readonly phases: Record<string, number>;
}

/** Measures one synth of `profile`, gated or not; `loadMs` is the process's time before the call. */
export function measureSynth(gate: boolean, profile: string, loadMs: number): SynthRun {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'orderbroker-bench-'));
  try {
    const t0 = performance.now();
    const { app } = createApp({
      context: { ...cdkJsonContext(), profile },
      outdir,
      complianceGate: gate,
    });
    const t1 = performance.now();
    const pluginMs: Record<string, number> = {};
    let firstPlugin: number | undefined;
    let lastPlugin: number | undefined;
    // Timing only: each plugin's validate() is measured, its result passed through untouched. The plugins the
    // gate registers, among them the CloudFormation linter bundled with aws-cdk-lib (CDK's shared instance,
    // which CDK would otherwise append itself).
    const plugins = (app as unknown as { _validationPlugins: IPolicyValidationPlugin[] })._validationPlugins;
    for (const plugin of plugins) {
      const validate = plugin.validate.bind(plugin);
      plugin.validate = (context) => {
        const start = performance.now();
        firstPlugin ??= start;
        try {
          return validate(context);
        } finally {
          lastPlugin = performance.now();
          pluginMs[`plugin ${plugin.name}`] = Math.round(lastPlugin - start);
        }
      };
    }
    app.synth();
    const t2 = performance.now();
    const phases: Record<string, number> = {
      'aspects+templates': Math.round((firstPlugin ?? t2) - t1),
      ...pluginMs,
      ...(lastPlugin === undefined ? {} : { report: Math.round(t2 - lastPlugin) }),
    };
    return {
      gate,
      profile,
      loadMs: Math.round(loadMs),
      constructMs: Math.round(t1 - t0),
      synthMs: Math.round(t2 - t1),
      totalMs: Math.round(t2 - t0),
      phases,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
