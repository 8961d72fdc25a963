import {
  type App,
  Aspects,
  type CfnElement,
  Stack,
  Token,
  Validations,
  type IPolicyValidationContext,
  type IPolicyValidationPlugin,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { ASPECT_PRIORITIES, createTapRules } from '../../aspects';
import { TASK_ROLE_ALLOWED_ACTIONS } from '../constructs/task-role';
import { APP_METRICS } from '../constructs/observability';
import type { TapConfig } from '../config/types';
import type { TapStack } from '../tap-stack';
import {
  disabledControlTowerRules,
  RegisterError,
  registerStructureProblems,
  scopeProblems,
} from './register/engine';
import { LIBRARY_ACKNOWLEDGEMENTS, REGISTER } from './register/entries';
import type { RegisterEntry } from './register/types';
import { complianceToday } from './today';
import { controlTowerPlugin, type GuardParameters, tapGuardPlugin } from './guard';
import { STAND_IN_ACCOUNT } from './intrinsics';
import { CONTAINER_SECRETS_ALLOWED, FOREIGN_PRINCIPALS_ALLOWED } from './access-matrix';
import { IamEvaluationPlugin } from './iam-evaluation';
import { networkContract } from './network-contract';
import { cdkAddsItsLinter, OffThreadCloudFormationValidate } from './linter';

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
   * The register of accepted findings.
   *
   * @default REGISTER
   */
  readonly register?: readonly RegisterEntry[];
  /**
   * The day acknowledgements are evaluated on.
   *
   * @default - complianceToday(): TAP_TODAY, or the real date
   */
  readonly today?: Date;
}

/**
 * Registers every layer of the compliance gate on the app:
 *
 * 1. the register: entries are checked now (shape, scope: one resource or one L2 construct), then applied on their
 *    constructs by TAP-EXC-3 when their resource still matches what they accept;
 * 2. the project rules as READONLY Aspects (after the MUTATING tagging Aspect), area by area;
 * 3. cdk-nag AwsSolutions, NIST 800-53 rev 5 and PCI DSS 3.2.1;
 * 4. cfn-guard with the Control Tower proactive controls and with `policies/`, every finding an error;
 * 5. the IAM evaluation: the task role's access matrix decided by an offline IAM evaluator;
 * 6. the CloudFormation Validate linter bundled with aws-cdk-lib runs by default; the gate checks the
 *    feature flag that makes it blocking.
 *
 * Any unacknowledged error from any layer stops synthesis with a non-zero exit. The plugins are asked in the order
 * cdk-nag, IAM evaluation, linter, then the two Guard layers; the last three run in worker threads meanwhile
 * ({@link startWith}).
 *
 * @throws Error when a required feature flag is off; RegisterError when the register is malformed
 */
export function applyComplianceGate(app: App, options: ComplianceGateOptions): IPolicyValidationPlugin[] {
  const { config, stack } = options;
  const register = options.register ?? REGISTER;
  const today = options.today ?? complianceToday();

  const flags = Object.entries(REQUIRED_FEATURE_FLAGS).filter(
    ([flag]) => app.node.tryGetContext(flag) !== true,
  );
  if (flags.length > 0) {
    throw new Error(
      'The compliance gate needs these feature flags set to true in cdk.json:\n' +
        flags.map(([flag, why]) => `  - ${flag}: ${why}`).join('\n'),
    );
  }
  const problems = [
    ...registerStructureProblems(register, today),
    ...scopeProblems(stack, register, config.profile),
  ];
  if (problems.length > 0) throw new RegisterError(problems);

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
    canary: {
      canaryPercent: config.deployment.canaryPercent,
      canaryMinutes: config.deployment.canaryMinutes,
    },
    bakeMinutes: config.deployment.terminationWaitMinutes,
    network: networkContract(config),
    register,
    today,
    libraryAcknowledgements: LIBRARY_ACKNOWLEDGEMENTS,
    minBackupRetentionDays:
      config.ordersDatabase.mode === 'create' ? config.ordersDatabase.backupRetentionDays : undefined,
    foreignPrincipalsAllowed: Object.keys(FOREIGN_PRINCIPALS_ALLOWED),
    containerSecretsAllowed: Object.keys(CONTAINER_SECRETS_ALLOWED),
  });
  for (const rule of rules) Aspects.of(app).add(rule, { priority: ASPECT_PRIORITIES[rule.info.area] });

  // The bundled CloudFormation linter, registered exactly when CDK would add it, so it runs before the Guard layers
  // (CDK appends it after every registered plugin otherwise).
  const offThread = [
    ...(cdkAddsItsLinter(app) ? [new OffThreadCloudFormationValidate()] : []),
    controlTowerPlugin(disabledControlTowerRules(register, config.profile, today)),
    tapGuardPlugin(undefined, guardParameters(config, stack)),
  ];
  const plugins: IPolicyValidationPlugin[] = [
    new AwsSolutionsChecks(app),
    new NIST80053R5Checks(app),
    new PCIDSS321Checks(app),
    iamEvaluationPlugin(config, stack),
    ...offThread,
  ];
  startWith(plugins[0], offThread);
  Validations.of(app).addPlugins(...plugins);
  return plugins;
}

/**
 * Speed, not verdicts: CDK asks the plugins one after the other, so a layer that works off the main thread overlaps
 * the others only if it starts before them and is read after them. The linter and the two Guard layers start in
 * worker threads when CDK asks `first` for its report (the templates are written by then; see PluginWorker) and
 * report last, after cdk-nag and the IAM evaluation have worked meanwhile.
 */
function startWith(
  first: IPolicyValidationPlugin,
  layers: ReadonlyArray<{ start(context: IPolicyValidationContext): void }>,
): void {
  const validate = first.validate.bind(first);
  first.validate = (context) => {
    for (const layer of layers) {
      try {
        layer.start(context);
      } catch {
        // Not started (no worker thread): its validate() then runs in-process or asks its worker then.
      }
    }
    return validate(context);
  };
}

/** The IAM evaluation layer for this deployment (the contract facts come from the config). */
export function iamEvaluationPlugin(config: TapConfig, stack: TapStack): IamEvaluationPlugin {
  const stream = config.tradesStream;
  const database = config.ordersDatabase;
  return new IamEvaluationPlugin(stack.templateFile, {
    taskRoleLogicalId: Stack.of(stack).getLogicalId(
      stack.platform.taskRole.role.node.defaultChild as CfnElement,
    ),
    streamName: stream.mode === 'import' ? stream.streamName : 'trades',
    streamArn: stream.mode === 'import' ? stream.streamArn : undefined,
    streamKeyArn: stream.mode === 'import' ? stream.keyArn : undefined,
    clusterResourceId: database.mode === 'import' ? database.clusterResourceId : undefined,
    dbUser: config.dbUser,
  });
}

/** The Guard variables set from this deployment's configuration (see policies/*.guard). */
export function guardParameters(config: TapConfig, stack: TapStack): GuardParameters {
  const account = Token.isUnresolved(stack.account) ? STAND_IN_ACCOUNT : stack.account;
  return {
    MIN_BACKUP_RETENTION_DAYS:
      config.ordersDatabase.mode === 'create' ? config.ordersDatabase.backupRetentionDays : 1,
    ALLOWED_FOREIGN_PRINCIPALS: Object.keys(FOREIGN_PRINCIPALS_ALLOWED),
    OWN_ACCOUNT_PRINCIPAL: new RegExp(`^arn:aws[a-z-]*:(iam|sts)::${account}:`),
  };
}
