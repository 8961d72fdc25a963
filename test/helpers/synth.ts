import { Template } from 'aws-cdk-lib/assertions';
import { createApp, type CreateAppOptions, type TapApp } from '../../lib/app';
import { REPO_ROOT } from '../../tools/shared/repo';
import { cdkJsonContext } from '../../tools/plan/synth';

/**
 * The context of cdk.json (feature flags). `new App()` under Jest does not read cdk.json, so every test app
 * loads it explicitly: tests synthesize with exactly the flags `cdk synth` uses. One reader, shared with the
 * tools (tools/plan/synth.ts), re-exported here so tests keep importing it from their helpers.
 */
export { cdkJsonContext, REPO_ROOT };

/**
 * Synthesizing the app takes seconds, more on a loaded machine: every test file that builds it through these
 * helpers (or the gate helpers built on them) allows a minute per test. Files that do not synthesize keep Jest's
 * 5 s default (jest.config.js).
 */
// Fixture apps (test/fixtures/) import these helpers outside Jest, under tsx.
if (typeof jest !== 'undefined') jest.setTimeout(60_000);

/**
 * CDK context that skips asset bundling for every stack (`aws:cdk:bundling-stacks` = `[]`, what the CLI's
 * `--exclusively` sets for the stacks it does not deploy): the Lambda code is staged unbundled, the template is
 * otherwise the same. Tests whose subject is not a bundle use it, so no esbuild run (and none of its output) per
 * synthesis.
 */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] as string[] };

/** CDK context that bundles every stack's assets, as `cdk synth` does: for tests that read a bundle. */
export const BUNDLE_ALL = { 'aws:cdk:bundling-stacks': ['**'] };

/**
 * Builds the app with cdk.json's context plus configuration overrides (`-c key=value` equivalents).
 *
 * Assets are not bundled ({@link SKIP_BUNDLING}) unless the overrides say so ({@link BUNDLE_ALL}): the Lambda
 * bundles have their own tests.
 *
 * The compliance gate is off by default here: it only reads the tree (Aspects) and validates the synthesized
 * templates (plugins), so the template is the same with or without it, and running its plugins costs ~15 s per
 * synthesis. test/compliance/ runs the real app with the full gate for every profile; pass
 * `{ complianceGate: true }` to check something under the gate here.
 */
export function buildApp(
  overrides: Record<string, unknown> = {},
  options: Omit<CreateAppOptions, 'context'> = {},
): TapApp {
  return createApp({
    complianceGate: false,
    ...options,
    context: { ...cdkJsonContext(), ...SKIP_BUNDLING, ...overrides },
  });
}

/** Builds the app and returns the stack's template. */
export function synthTemplate(
  overrides: Record<string, unknown> = {},
  options: Omit<CreateAppOptions, 'context'> = {},
): Template & { tapApp: TapApp } {
  const tapApp = buildApp(overrides, options);
  const template = Template.fromStack(tapApp.stack);
  return Object.assign(template, { tapApp });
}

/**
 * The first resource of `type` (template order) whose logical ID starts with `prefix`: CDK appends a hash to the
 * construct path. Throws naming the type and prefix when there is none.
 */
export function resourceByPrefix(template: Template, type: string, prefix: string): Record<string, any> {
  const found = Object.entries(template.findResources(type)).find(([id]) => id.startsWith(prefix));
  if (!found) throw new Error(`no ${type} with a logical ID starting with ${prefix}`);
  return found[1];
}
