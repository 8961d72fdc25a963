import { Annotations, App, Aspects } from 'aws-cdk-lib';
import { ASPECT_PRIORITIES } from '../aspects';
import { RequiredTagsAspect } from '../aspects/required-tags';
import type { RegisterEntry } from './compliance/acknowledgements';
import { applyComplianceGate } from './compliance/gate';
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
   * @default - REGISTER of lib/compliance/acknowledgements.ts
   */
  readonly register?: readonly RegisterEntry[];
  /**
   * The day the register is evaluated on (expiry). Tests inject it.
   *
   * @default - today
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
  readonly config: TapConfig;
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
  const today = options.today ?? new Date();
  const exchangeCalendar = options.exchangeCalendar ?? loadCalendar();
  const coverage = calendarCoverage(exchangeCalendar, today);
  if (coverage.status === 'fail') throw new CalendarError(coverage.message);
  const stack = new TapStack(app, config.stackName, { config, exchangeCalendar });
  if (coverage.status === 'warn') {
    Annotations.of(stack).addWarningV2('@orderbroker/calendar-expiring', coverage.message);
  }
  Aspects.of(app).add(new RequiredTagsAspect(config.tags), { priority: ASPECT_PRIORITIES.tagging });
  if (complianceGate) {
    applyComplianceGate(app, { config, stack, register: options.register, today });
  }
  return { app, stack, config };
}
