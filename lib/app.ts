import { App, AspectPriority, Aspects } from 'aws-cdk-lib';
import { RequiredTagsAspect } from '../aspects/required-tags';
import { resolveConfig } from './config/resolve-config';
import type { TapConfig } from './config/types';
import { TapStack } from './tap-stack';

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  /**
   * Context of the app (feature flags and configuration keys).
   *
   * @default - what the CDK CLI passes (cdk.json, cdk.context.json and -c flags)
   */
  readonly context?: Record<string, unknown>;
  /**
   * Cloud assembly directory.
   *
   * @default - the CLI's, or a temporary directory
   */
  readonly outdir?: string;
  /**
   * Register the compliance gate (validation plugins and READONLY Aspects). Only the benchmark that measures
   * the gate's cost turns it off.
   *
   * @default true
   */
  readonly complianceGate?: boolean;
}

/** The app, its single stack and the configuration it was built from. */
export interface TapApp {
  readonly app: App;
  readonly stack: TapStack;
  readonly config: TapConfig;
}

/**
 * Builds the OrderBroker app: resolves and validates the configuration once, instantiates the stack and
 * applies the Aspects. `bin/tap.ts` and the tests build the app through this one function, so the tests
 * synthesize exactly what `cdk synth` does.
 *
 * @throws ConfigError when a configuration value is invalid
 */
export function createApp(options: CreateAppOptions = {}): TapApp {
  const app = new App({
    context: options.context,
    outdir: options.outdir,
    // The CloudFormation linter bundled in aws-cdk-lib is a validation plugin of the gate too: without the
    // gate nothing validates, so the benchmark's ungated synth measures construction and synthesis alone.
    builtinCloudFormationValidation: options.complianceGate ?? true,
  });
  const config = resolveConfig(app.node.getAllContext() as Record<string, unknown>);
  const stack = new TapStack(app, config.stackName, { config });
  Aspects.of(app).add(new RequiredTagsAspect(config.tags), { priority: AspectPriority.MUTATING });
  return { app, stack, config };
}
