import {
  type App,
  CloudFormationValidatePlugin,
  type IPolicyValidationContext,
  type PolicyValidationPluginReport,
} from 'aws-cdk-lib';
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import { PluginWorker, workerContext } from './plugin-worker';

/**
 * Whether CDK adds its bundled CloudFormation linter to this app's validation: builtin validation on and
 * `CDK_VALIDATION` not `false` (aws-cdk-lib core/lib/private/synthesis-validation.js, defaultValidationEnabled).
 */
export function cdkAddsItsLinter(app: App): boolean {
  return app._builtinCloudFormationValidation && process.env.CDK_VALIDATION !== 'false';
}

let processLinter: PluginWorker | undefined;

/** The template the linter's worker lints once when it starts (result discarded). */
const WARM_UP_TEMPLATE = path.join(__dirname, 'linter-warm-up.template.json');

/**
 * The process's linter worker: `new CloudFormationValidatePlugin()` (default props, as CDK constructs its shared
 * instance) in a worker thread, warmed up as soon as it starts. Its engine takes about 1.7 s to build the first
 * time in a process and 0.15 s after that, so it is built while the main thread constructs the app. One per module
 * instance, like CDK's own shared instance (under Jest: one per test file, stopped after it by test/setup-after-env.ts).
 */
function linterWorker(): PluginWorker {
  if (processLinter) return processLinter;
  // The linter's engine is a 9 MB WebAssembly module. V8 compiles it with its baseline compiler (Liftoff) and then
  // again, in background threads, with its optimizing one: about half of the linter's 6 CPU seconds, on a 2-CPU
  // machine where every layer of the gate competes for CPU. With Liftoff only, the linter takes 3 CPU seconds.
  // WebAssembly's semantics do not depend on the compiler tier: the diagnostics are the same (a test compares
  // fresh processes with and without the flag). V8 reads the flag when it compiles a module, process-wide;
  // nothing else in a synthesis runs WebAssembly. TAP_LINTER_LIFTOFF_ONLY=false keeps V8's defaults.
  const flags = linterV8Flags();
  if (flags.length > 0) v8.setFlagsFromString(flags.join(' '));
  processLinter = new PluginWorker({
    pluginModule: require.resolve('aws-cdk-lib'),
    pluginClass: 'CloudFormationValidatePlugin',
    warmUp: WARM_UP_TEMPLATE,
  });
  return processLinter;
}

/** Stops the linter worker of this module instance, if any (the next lint starts a new one). */
export function stopCloudFormationLinter(): void {
  processLinter?.terminate();
  processLinter = undefined;
}

/** The V8 flags set before the linter's WebAssembly module is compiled (a test checks this Node knows them). */
export const LINTER_V8_FLAGS: readonly string[] = ['--liftoff-only'];

/**
 * The V8 flags the gate sets for the linter: {@link LINTER_V8_FLAGS}, or none when `TAP_LINTER_LIFTOFF_ONLY` is
 * `false` (the way out if a host's V8 aborts with "--liftoff-only: treating bailout as fatal error": Liftoff
 * cannot compile an instruction the host lacks, and the flag forbids the fallback; docs/decisions.md).
 */
export function linterV8Flags(env: NodeJS.ProcessEnv = process.env): readonly string[] {
  return env.TAP_LINTER_LIFTOFF_ONLY === 'false' ? [] : LINTER_V8_FLAGS;
}

/** Directory of the `@aws/cloudformation-validate` package bundled with aws-cdk-lib (the linter's engine). */
export function linterEngineDir(): string {
  const cdkLib = path.dirname(require.resolve('aws-cdk-lib/package.json'));
  return path.dirname(require.resolve('@aws/cloudformation-validate/package.json', { paths: [cdkLib] }));
}

/** Starts the process's linter worker now (see {@link OffThreadCloudFormationValidate}) when CDK would add it. */
export function warmUpCloudFormationLinter(app: App): void {
  if (cdkAddsItsLinter(app)) linterWorker();
}

/**
 * The CloudFormation linter bundled with aws-cdk-lib, run in a worker thread.
 *
 * It is a CloudFormationValidatePlugin, so CDK counts it as the app's registered linter and does not add its own
 * (synthesis-validation.js, hasUserRegisteredCloudFormationValidatePlugin), and its report keeps the plugin name
 * CDK reads to decide whether the linter blocks (`@aws-cdk/core:validateAgainstDefaultRules`). Its report is
 * that of `CloudFormationValidatePlugin.validate()` in the worker, on the same templates, with default props: the
 * verdict is the linter's own. `start(context)` posts the templates to the worker so it lints while the main
 * thread runs the in-process layers; the next `validate()` on the same templates reads that answer.
 */
export class OffThreadCloudFormationValidate extends CloudFormationValidatePlugin {
  /**
   * The engine's version, from its package: the base class asks the engine, which would load (and compile) it on
   * the main thread. A test checks the two agree.
   */
  public override get version(): string {
    const manifest = fs.readFileSync(path.join(linterEngineDir(), 'package.json'), 'utf8');
    return (JSON.parse(manifest) as { version: string }).version;
  }

  public override get ruleIds(): string[] {
    return [this.version];
  }

  private started?: { readonly context: string; readonly answer: () => PolicyValidationPluginReport };

  /** Starts linting the context's templates in the worker; the next `validate()` on them reads its report. */
  public start(context: IPolicyValidationContext): void {
    this.started = {
      context: JSON.stringify(workerContext(context)),
      answer: linterWorker().request(context),
    };
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const started = this.started;
    this.started = undefined;
    if (started?.context === JSON.stringify(workerContext(context))) return started.answer();
    return linterWorker().request(context)();
  }
}
