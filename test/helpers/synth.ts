import { Template } from 'aws-cdk-lib/assertions';
import * as fs from 'fs';
import * as path from 'path';
import { createApp, type TapApp } from '../../lib/app';

/** Root of the repository. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * The context of cdk.json (feature flags). `new App()` under Jest does not read cdk.json, so every test app
 * loads it explicitly: tests synthesize with exactly the flags `cdk synth` uses.
 */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return { ...cdkJson.context };
}

/**
 * Builds the app with cdk.json's context plus configuration overrides (`-c key=value` equivalents).
 *
 * The compliance gate is off by default here: its plugins and READONLY Aspects never change the template, and
 * the gate has its own tests. Pass `complianceGate: true` to synthesize exactly as `cdk synth` does.
 */
export function buildApp(
  overrides: Record<string, unknown> = {},
  options: { complianceGate?: boolean } = {},
): TapApp {
  return createApp({
    context: { ...cdkJsonContext(), ...overrides },
    complianceGate: options.complianceGate ?? false,
  });
}

/** Builds the app (gate off, see {@link buildApp}) and returns the stack's template. */
export function synthTemplate(overrides: Record<string, unknown> = {}): Template & { tapApp: TapApp } {
  const tapApp = buildApp(overrides);
  const template = Template.fromStack(tapApp.stack);
  return Object.assign(template, { tapApp });
}
