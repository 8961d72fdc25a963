import { Annotations, App, Aspects, type IPolicyValidationPlugin } from 'aws-cdk-lib';
import { ASPECT_PRIORITIES } from '../aspects';
import { RequiredTagsAspect } from '../aspects/required-tags';
import { LIBRARY_ACKNOWLEDGEMENTS, REGISTER } from './compliance/register/entries';
import type { LibraryAcknowledgement, RegisterEntry } from './compliance/register/types';
import { complianceToday } from './compliance/today';
import { applyComplianceGate, guardParameters } from './compliance/gate';
import { warmUpCloudFormationLinter } from './compliance/linter';
import {
  type GuardParameters,
  guardRuleFiles,
  parameterizedRuleFiles,
  POLICIES_DIR,
} from './compliance/guard';
import { acknowledgedGuardRules, disabledControlTowerRules } from './compliance/register/engine';
import { GovernanceStack, governanceStackName } from './governance/governance-stack';
export { governanceStackName };
import { gateGuardRuleSet, guardHookRuleSets } from './governance/guard-rule-set';
import { GovernanceStackSetStack, governanceStackSetStackName } from './governance/stackset';
import { describePlaceholder, placeholdersIn } from './config/placeholders';
import { resolveConfig } from './config/resolve-config';
import type { TapConfig } from './config/types';
import { TapStack } from './tap-stack';
import {
  CalendarError,
  calendarCoverage,
  loadCalendar,
  type ExchangeCalendar,
} from './schedule/exchange-calendar';

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
   * @default - REGISTER of lib/compliance/register/entries.ts
   */
  readonly register?: readonly RegisterEntry[];
  /**
   * The day the register is evaluated on (expiry). Tests inject it.
   *
   * @default - complianceToday(): TAP_TODAY, or the real date
   */
  readonly today?: Date;
  /**
   * The exchange calendar the scaling schedule follows. Tests pass a calendar whose last day moved.
   *
   * @default - data/nyse-calendar.json
   */
  readonly exchangeCalendar?: ExchangeCalendar;
}

/** The app, its single stack and the configuration it was built from. */
export interface TapApp {
  readonly app: App;
  readonly stack: TapStack;
  /** The account's deploy-time policy: the Guard Hooks that run the gate's Guard rules on the platform stack. */
  readonly governance: GovernanceStack;
  /** The organization's deployment of the same governance stack: a service-managed StackSet (docs/stackset-runbook.md). */
  readonly governanceStackSet: GovernanceStackSetStack;
  readonly config: TapConfig;
  /** The validation plugins of the compliance gate (empty without the gate). */
  readonly gatePlugins: readonly IPolicyValidationPlugin[];
  /** What the compliance gate evaluated with (absent when the gate is off). */
  readonly gate?: {
    readonly register: readonly RegisterEntry[];
    readonly today: Date;
    readonly library: readonly LibraryAcknowledgement[];
  };
}

/**
 * Builds the OrderBroker app: resolves and validates the configuration once, instantiates the stack and
 * applies the Aspects. `bin/tap.ts` and the tests build the app through this one function, so the tests
 * synthesize exactly what `cdk synth` does.
 *
 * @throws ConfigError when a configuration value is invalid; CalendarError when the exchange calendar is
 *   malformed or covers fewer than 90 days ahead
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
  // The calendar expires like a register entry, on the same day the gate evaluates the register.
  const today = options.today ?? complianceToday();
  const exchangeCalendar = options.exchangeCalendar ?? loadCalendar();
  const coverage = calendarCoverage(exchangeCalendar, today);
  if (coverage.status === 'fail') throw new CalendarError(coverage.message);
  // The linter's engine is slow to build the first time in a process: build it off-thread while the app is built.
  if (complianceGate) warmUpCloudFormationLinter(app);
  const stack = new TapStack(app, config.stackName, { config, exchangeCalendar });
  if (coverage.status === 'warn') {
    Annotations.of(stack).addWarningV2('@orderbroker/calendar-expiring', coverage.message);
  }
  // Placeholder values synthesize (so prod is reviewable offline) but must never be deployed.
  for (const p of placeholdersIn(config)) {
    Annotations.of(stack).addWarningV2(
      `@orderbroker/placeholder:${p.key}`,
      `PLACEHOLDER: ${describePlaceholder(p)}. This template cannot be deployed; npm run stack:deploy refuses it.`,
    );
  }
  const register = options.register ?? REGISTER;
  const governance = governanceStack(app, config, register, today, guardParameters(config, stack));
  const governanceStackSet = new GovernanceStackSetStack(app, governanceStackSetStackName(config.profile), {
    // Deployed in the management account or the delegated administrator, in the platform's region.
    env: { region: config.env.region },
    description: `OrderBroker deploy-time policy for the organization (${config.profile}): a service-managed StackSet of ${governance.stackName}`,
    profile: config.profile,
    region: config.env.region,
    memberDescription: governance.templateOptions.description!,
    guardedStackNames: [config.stackName],
    hooks: Object.entries(governance.hooks).map(([id, hook]) => ({
      id,
      alias: hook.alias,
      failureMode: hook.failureMode as 'FAIL' | 'WARN',
      assetHash: governance.ruleAssets[id].assetHash,
    })),
  });
  Aspects.of(app).add(new RequiredTagsAspect(config.tags), { priority: ASPECT_PRIORITIES.tagging });
  if (!complianceGate) return { app, stack, governance, governanceStackSet, config, gatePlugins: [] };
  const gate = { register, today, library: LIBRARY_ACKNOWLEDGEMENTS };
  const gatePlugins = applyComplianceGate(app, { config, stack, register, today });
  return { app, stack, governance, governanceStackSet, config, gate, gatePlugins };
}

/**
 * The governance stack of a profile, deployed before the platform stack (docs/deploy-time-policy.md): its hooks run
 * exactly the Guard rule files the synth gate runs for this profile (the project rules with this profile's
 * parameters, as the gate's Guard plugin runs them).
 */
function governanceStack(
  app: App,
  config: TapConfig,
  register: readonly RegisterEntry[],
  today: Date,
  parameters: GuardParameters,
): GovernanceStack {
  const ruleSets = guardHookRuleSets(
    gateGuardRuleSet(
      disabledControlTowerRules(register, config.profile, today),
      {},
      parameterizedRuleFiles(guardRuleFiles(POLICIES_DIR), parameters),
    ),
    acknowledgedGuardRules(register, config.profile, today),
  );
  const alias = `Private::Guard::OrderBroker${config.profile.charAt(0).toUpperCase()}${config.profile.slice(1)}`;
  return new GovernanceStack(app, governanceStackName(config.profile), {
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
}
