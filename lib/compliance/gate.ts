import { type App, Aspects, type IPolicyValidationPlugin, type Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { ASPECT_PRIORITIES, createTapRules } from '../../aspects';
import { TASK_ROLE_ALLOWED_ACTIONS } from '../constructs/task-role';
import { APP_METRICS } from '../constructs/observability';
import type { TapConfig } from '../config/types';
import type { TapStack } from '../tap-stack';
import {
  applyAcknowledgements,
  disabledControlTowerRules,
  REGISTER,
  RegisterError,
  registerStructureProblems,
  type RegisterEntry,
} from './acknowledgements';
import { controlTowerPlugin, tapGuardPlugin } from './guard';

/** Feature flags the gate depends on; synthesis refuses to run the gate without them. */
export const REQUIRED_FEATURE_FLAGS: Readonly<Record<string, string>> = {
  '@aws-cdk/core:validateAgainstDefaultRules':
    'makes the bundled CloudFormation Validate linter block synthesis instead of only warning',
  '@aws-cdk/core:annotationsInValidationReport':
    'puts the project rules (Aspect findings) in cdk.out/validation-report.json with the plugin findings',
  '@aws-cdk/core:aspectPrioritiesMutating': 'runs the tagging Aspect before every READONLY check',
};

/** Options of {@link applyComplianceGate}. */
export interface ComplianceGateOptions {
  readonly config: TapConfig;
  readonly stack: TapStack;
  /**
   * The governance stack (deploy-time Guard Hook): register entries with `stack: 'governance'` apply to it.
   *
   * @default - none
   */
  readonly governance?: Stack;
  /**
   * The register of accepted findings.
   *
   * @default REGISTER
   */
  readonly register?: readonly RegisterEntry[];
  /**
   * The day acknowledgements are evaluated on.
   *
   * @default - today
   */
  readonly today?: Date;
}

/**
 * Registers every layer of the compliance gate on the app:
 *
 * 1. the register's acknowledgements, on their constructs;
 * 2. the project rules as READONLY Aspects (after the MUTATING tagging Aspect), area by area;
 * 3. cdk-nag AwsSolutions, NIST 800-53 rev 5 and PCI DSS 3.2.1;
 * 4. cfn-guard with the Control Tower proactive controls and with `policies/`, every finding an error;
 * 5. the CloudFormation Validate linter bundled with aws-cdk-lib runs by default; the gate checks the
 *    feature flag that makes it blocking.
 *
 * Any unacknowledged error from any layer stops synthesis with a non-zero exit.
 *
 * @returns the validation plugins it registered
 * @throws Error when a required feature flag is off; RegisterError when the register is malformed
 */
export function applyComplianceGate(app: App, options: ComplianceGateOptions): IPolicyValidationPlugin[] {
  const { config, stack } = options;
  const register = options.register ?? REGISTER;
  const today = options.today ?? new Date();

  const flags = Object.entries(REQUIRED_FEATURE_FLAGS).filter(
    ([flag]) => app.node.tryGetContext(flag) !== true,
  );
  if (flags.length > 0) {
    throw new Error(
      'The compliance gate needs these feature flags set to true in cdk.json:\n' +
        flags.map(([flag, why]) => `  - ${flag}: ${why}`).join('\n'),
    );
  }
  const problems = registerStructureProblems(register, today);
  if (problems.length > 0) throw new RegisterError(problems);

  applyAcknowledgements(stack, register, config.profile, today);
  if (options.governance) applyAcknowledgements(options.governance, register, config.profile, today);

  const rules = createTapRules({
    profile: config.profile,
    tags: config.tags,
    warmFloor: config.capacity.warmFloor,
    kpiMetrics: { jvmHeapMetric: APP_METRICS.jvmHeap, dbPoolMetric: APP_METRICS.dbPool },
    taskRoles: [
      {
        role: stack.platform.taskRole.role,
        grants: stack.platform.taskRole.grants,
        allowedActions: TASK_ROLE_ALLOWED_ACTIONS,
      },
    ],
    register,
    today,
  });
  for (const rule of rules) Aspects.of(app).add(rule, { priority: ASPECT_PRIORITIES[rule.info.area] });

  const plugins: IPolicyValidationPlugin[] = [
    new AwsSolutionsChecks(app),
    new NIST80053R5Checks(app),
    new PCIDSS321Checks(app),
    controlTowerPlugin(disabledControlTowerRules(register, config.profile, today)),
    tapGuardPlugin(),
  ];
  Validations.of(app).addPlugins(...plugins);
  return plugins;
}
