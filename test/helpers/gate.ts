import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createApp, type CreateAppOptions, type TapApp } from '../../lib/app';
import { cdkJsonContext, REPO_ROOT, SKIP_BUNDLING } from './synth';

/** A gated synthesis of the whole app runs every layer's plugins: up to a few minutes on a loaded machine. */
// Fixture apps (test/fixtures/) import these helpers outside Jest, under tsx.
if (typeof jest !== 'undefined') jest.setTimeout(240_000);

/** A violation in `cdk.out/validation-report.json`. */
export interface ReportViolation {
  readonly ruleName: string;
  readonly description: string;
  readonly severity: string;
  readonly violatingConstructs: Array<{ constructPath: string }>;
}

/** A suppressed (acknowledged) violation. */
export interface SuppressedViolation extends ReportViolation {
  readonly acknowledgedId: string;
  readonly acknowledgedAt: string;
  readonly reason?: string;
}

/** `cdk.out/validation-report.json`. */
export interface ValidationReport {
  readonly pluginReports: Array<{
    readonly pluginName: string;
    readonly conclusion: 'success' | 'failure';
    readonly violations: ReportViolation[];
    readonly suppressedViolations?: SuppressedViolation[];
  }>;
}

/** One finding: plugin, rule and construct path relative to the stack. */
export interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly path: string;
  readonly severity: string;
}

/**
 * The context `cdk synth` gives the app: cdk.json's feature flags plus the CLI's path metadata (the bundled
 * linter reports differently without it). Assets are not bundled ({@link SKIP_BUNDLING}): the gate validates
 * templates, whose only difference is the staged code's hash, and the bundles have their own tests.
 */
export function cliContext(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...cdkJsonContext(), 'aws:cdk:enable-path-metadata': true, ...SKIP_BUNDLING, ...overrides };
}

/** Builds the real app with the gate and synthesizes it in-process; returns the app, the report and any error. */
export function synthWithGate(
  overrides: Record<string, unknown> = {},
  options: Omit<CreateAppOptions, 'context' | 'outdir'> = {},
  mutate?: (tap: TapApp) => void,
): { tap: TapApp; outdir: string; report: ValidationReport; error?: Error } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-'));
  const tap = createApp({ ...options, context: cliContext(overrides), outdir });
  mutate?.(tap);
  let error: Error | undefined;
  try {
    tap.app.synth();
  } catch (e) {
    error = e as Error;
  }
  return { tap, outdir, report: readReport(outdir), error };
}

/** Reads the validation report of a cloud assembly. */
export function readReport(outdir: string): ValidationReport {
  return JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
}

const relative = (constructPath: string) => constructPath.split('/').slice(1).join('/');

/** Every unsuppressed violation that blocks synthesis (severity error or fatal). */
export function blocking(report: ValidationReport): Finding[] {
  return report.pluginReports.flatMap((p) =>
    p.violations
      .filter((v) => v.severity === 'error' || v.severity === 'fatal')
      .flatMap((v) =>
        v.violatingConstructs.map((c) => ({
          plugin: p.pluginName,
          rule: v.ruleName,
          path: relative(c.constructPath),
          severity: v.severity,
        })),
      ),
  );
}

/** Every suppressed violation, with the plugin that reported it. */
export function suppressed(report: ValidationReport): Array<SuppressedViolation & { plugin: string }> {
  return report.pluginReports.flatMap((p) =>
    (p.suppressedViolations ?? []).map((s) => ({ ...s, plugin: p.pluginName })),
  );
}

/** How a command ended: its exit code (-1 if killed), its streams and both streams together. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout then stderr. */
  readonly output: string;
}

/** Runs a command from the repository root; never throws. */
export function run(
  command: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): RunResult {
  const result = spawnSync(command, args, {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: undefined, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    code: result.status ?? -1,
    stdout: result.stdout,
    stderr: result.stderr,
    output: `${result.stdout}${result.stderr}`,
  };
}

/** Runs a repository script (path relative to the root) the way `npm run` does: tsx, in a fresh process. */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): RunResult {
  return run(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, script), ...args], env);
}
