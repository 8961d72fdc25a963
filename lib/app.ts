import { App, Aspects, type IPolicyValidationPlugin } from 'aws-cdk-lib';
import { ASPECT_PRIORITIES } from '../aspects';
import { RequiredTagsAspect } from '../aspects/required-tags';
import {
  acknowledgedGuardRules,
  disabledControlTowerRules,
  REGISTER,
  type RegisterEntry,
} from './compliance/acknowledgements';
import { applyComplianceGate } from './compliance/gate';
import { resolveConfig } from './config/resolve-config';
import type { TapConfig } from './config/types';
import { GovernanceStack } from './governance/governance-stack';
import { gateGuardRuleSet, guardHookRuleSets } from './governance/guard-rule-set';
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
  /**
   * The register of accepted findings. Tests pass their own to prove the register's behaviour.
   *
   * @default - REGISTER of lib/compliance/acknowledgements.ts
   */
  readonly register?: readonly RegisterEntry[];
  /**
   * The day the register is evaluated on (expiry). Tests inject it.
   *
   * @default - today
   */
  readonly today?: Date;
}

/** The app, its single stack and the configuration it was built from. */
export interface TapApp {
  readonly app: App;
  readonly stack: TapStack;
  /** The account's deploy-time policy: the Guard Hook that runs the gate's Guard rules on the platform stack. */
  readonly governance: GovernanceStack;
  readonly config: TapConfig;
  /** The validation plugins of the compliance gate (empty without the gate). */
  readonly gatePlugins: readonly IPolicyValidationPlugin[];
}

/**
 * Builds the OrderBroker app: resolves and validates the configuration once, instantiates the stack and
 * applies the Aspects. `bin/tap.ts` and the tests build the app through this one function, so the tests
 * synthesize exactly what `cdk synth` does.
 *
 * @throws ConfigError when a configuration value is invalid
 */
export function createApp(options: CreateAppOptions = {}): TapApp {
  const complianceGate = options.complianceGate ?? true;
  const app = new App({
    context: options.context,
    outdir: options.outdir,
    // The bundled CloudFormation Validate linter is a layer of the gate: off only with the whole gate.
    builtinCloudFormationValidation: complianceGate,
  });
  const config = resolveConfig(app.node.getAllContext() as Record<string, unknown>);
  const stack = new TapStack(app, config.stackName, { config });
  const register = options.register ?? REGISTER;
  const today = options.today ?? new Date();
  // Deployed before the platform stack (docs/deploy-time-policy.md); its hooks run exactly the Guard rule files
  // the synth gate runs for this profile.
  const ruleSets = guardHookRuleSets(
    gateGuardRuleSet(disabledControlTowerRules(register, config.profile, today)),
    acknowledgedGuardRules(register, config.profile, today),
  );
  const alias = `Private::Guard::OrderBroker${config.profile.charAt(0).toUpperCase()}${config.profile.slice(1)}`;
  const governance = new GovernanceStack(app, governanceStackName(config.profile), {
    env: config.env,
    description: `OrderBroker deploy-time policy (${config.profile}): Guard Hooks over the synth gate's Guard rules`,
    guardedStackNames: [config.stackName],
    hooks: [
      { id: 'GuardHook', alias, failureMode: 'FAIL', rules: { kind: 'asset', files: ruleSets.enforced } },
      ...(ruleSets.advisory.length > 0
        ? [
            {
              id: 'AdvisoryGuardHook',
              alias: `${alias}Advisory`,
              failureMode: 'WARN' as const,
              rules: { kind: 'asset' as const, files: ruleSets.advisory },
            },
          ]
        : []),
    ],
  });
  Aspects.of(app).add(new RequiredTagsAspect(config.tags), { priority: ASPECT_PRIORITIES.tagging });
  const gatePlugins = complianceGate
    ? applyComplianceGate(app, { config, stack, governance, register, today })
    : [];
  return { app, stack, governance, config, gatePlugins };
}

/** Name of the governance stack of a profile: `OrderBrokerGovernance-<profile>`. */
export function governanceStackName(profile: string): string {
  return `OrderBrokerGovernance-${profile}`;
}
