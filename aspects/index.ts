import { AspectPriority } from 'aws-cdk-lib';
import type { LibraryAcknowledgement, RegisterEntry } from '../lib/compliance/register/types';
import type { ProfileName, RequiredTags } from '../lib/config/types';
import type { NetworkContract } from '../lib/compliance/network-contract';
import { AlarmActionsRule } from './alarms/alarm-actions';
import { AlarmTopicAccessRule } from './alarms/alarm-topic-access';
import { AlarmCanFireRule } from './alarms/alarm-can-fire';
import { DeploymentRollbackRule } from './alarms/deployment-rollback';
import { ServiceKpiAlarmsRule, type ServiceKpiAlarmsProps } from './alarms/service-kpi-alarms';
import { BothArchitecturesRule } from './capacity/both-architectures';
import { CapacityProviderStrategyRule } from './capacity/capacity-provider-strategy';
import { CodeDeployControllerRule } from './capacity/code-deploy-controller';
import { FargateWarmFloorRule } from './capacity/fargate-warm-floor';
import { NoFargateSpotRule } from './capacity/no-fargate-spot';
import { TaskCpuLimitRule } from './capacity/task-cpu-limit';
import { BackupRetentionRule } from './data/backup-retention';
import { DeletionProtectionRule } from './data/deletion-protection';
import { CanaryDeploymentConfigRule, type CanaryContract } from './deployment/canary-deployment-config';
import { HealthCheckTimeRule } from './deployment/health-check-time';
import { TerminationWaitRule } from './deployment/termination-wait';
import { EncryptionAtRestRule } from './data/encryption-at-rest';
import { KeyPolicyAccountsRule } from './data/key-policy-accounts';
import { LogRetentionRule } from './data/log-retention';
import { StatefulRetentionRule } from './data/stateful-retention';
import { AcknowledgementBindingRule } from './exemptions/acknowledgement-binding';
import { TopicSubscribeRule } from './data/topic-subscribe';
import { AcknowledgementExpiredRule } from './exemptions/acknowledgement-expired';
import { AcknowledgementOutsideRegisterRule } from './exemptions/acknowledgement-outside-register';
import { AcknowledgementUnmatchedRule } from './exemptions/acknowledgement-unmatched';
import { ContainerSecretsRule } from './iam/container-secrets';
import { ManagedPolicyAllowListRule } from './iam/managed-policy-allow-list';
import { NoWildcardActionsRule } from './iam/no-wildcard-actions';
import { NoWildcardResourcesRule } from './iam/no-wildcard-resources';
import { ResourcePolicyPrincipalsRule } from './iam/resource-policy-principals';
import { TaskDefinitionTaskRoleRule } from './iam/task-definition-task-role';
import { TaskRoleGrantsRule, type TaskRoleContract } from './iam/task-role-grants';
import { TaskRoleTrustRule } from './iam/task-role-trust';
import { EgressAllowListRule } from './network/egress-allow-list';
import { IngressAllowListRule } from './network/ingress-allow-list';
import { InternalLoadBalancersRule } from './network/internal-load-balancers';
import { NoInternetIngressRule } from './network/no-internet-ingress';
import { NoPublicTaskIpRule } from './network/no-public-task-ip';
import type { RuleArea, RuleInfo, TapRule } from './rule';
import { RequiredTagValuesRule } from './tags/required-tag-values';
import { RequiredTagsPresentRule } from './tags/required-tags-present';
import { PredictiveForecastAndScaleRule } from './scaling/predictive-forecast-and-scale';
import { ScalableTargetWarmFloorRule } from './scaling/scalable-target-warm-floor';
import { ScheduledActionsNewYorkWeekdaysRule } from './scaling/scheduled-actions-new-york-weekdays';

/**
 * Priorities of the Aspect layers, applied in this order on every construct: tagging mutates the tree first
 * (MUTATING), then the READONLY checks read the final tree, area by area.
 */
export const ASPECT_PRIORITIES: Readonly<Record<'tagging' | RuleArea, number>> = {
  tagging: AspectPriority.MUTATING,
  EXC: AspectPriority.READONLY,
  TAG: AspectPriority.READONLY + 10,
  IAM: AspectPriority.READONLY + 20,
  ALM: AspectPriority.READONLY + 30,
  CAP: AspectPriority.READONLY + 40,
  DAT: AspectPriority.READONLY + 50,
  NET: AspectPriority.READONLY + 60,
  SCL: AspectPriority.READONLY + 70,
  DEP: AspectPriority.READONLY + 80,
};

/** What the project rules need to know about the deployment they check. */
export interface TapRulesOptions {
  readonly profile: ProfileName;
  /** The policy tag values of this deployment. */
  readonly tags: RequiredTags;
  /** floorTasks + warmTasks. */
  readonly warmFloor: number;
  /** The service's own KPI metric names. */
  readonly kpiMetrics: ServiceKpiAlarmsProps;
  /** Task roles and their declared grants. */
  readonly taskRoles: readonly TaskRoleContract[];
  /** The canary of the blue/green deployments (canaryPercent, canaryMinutes). */
  readonly canary: CanaryContract;
  /** The bake window: terminationWaitMinutes. */
  readonly bakeMinutes: number;
  /** The network allow-list of this deployment (networkContract(config)). */
  readonly network: NetworkContract;
  /** The compliance register and the day it is evaluated on. */
  readonly register: readonly RegisterEntry[];
  readonly today: Date;
  /**
   * Acknowledgements aws-cdk-lib records on its own constructs (allowed outside the register, TAP-EXC-4).
   *
   * @default - none
   */
  readonly libraryAcknowledgements?: readonly LibraryAcknowledgement[];
  /** The profile's Aurora backup retention (`dbBackupRetentionDays`); undefined when no cluster is created. */
  readonly minBackupRetentionDays?: number;
  /** Principals of other accounts resource and key policies may name (FOREIGN_PRINCIPALS_ALLOWED). */
  readonly foreignPrincipalsAllowed?: readonly string[];
  /** Secrets the execution role may inject into containers (CONTAINER_SECRETS_ALLOWED). */
  readonly containerSecretsAllowed?: readonly string[];
}

/**
 * Every project rule, in report order. {@link TAP_RULE_IDS} lists their IDs. TAP-EXC-3 comes first: it applies the
 * register (on the stack, before any rule reads an exemption on a construct below it).
 */
export function createTapRules(options: TapRulesOptions): TapRule[] {
  return [
    new AcknowledgementBindingRule(options.register, options.profile, options.today),
    new AcknowledgementExpiredRule(options.register, options.profile, options.today),
    new AcknowledgementUnmatchedRule(options.register, options.profile, options.today),
    new AcknowledgementOutsideRegisterRule(
      options.register,
      options.profile,
      options.today,
      options.libraryAcknowledgements ?? [],
    ),
    new RequiredTagsPresentRule(),
    new RequiredTagValuesRule(options.tags),
    new NoWildcardActionsRule(),
    new NoWildcardResourcesRule(),
    new ManagedPolicyAllowListRule(),
    new TaskRoleGrantsRule(options.taskRoles),
    new TaskDefinitionTaskRoleRule(options.taskRoles.map((c) => c.role)),
    new TaskRoleTrustRule(options.taskRoles.map((c) => c.role)),
    new ResourcePolicyPrincipalsRule(
      options.taskRoles.map((c) => c.role),
      [...new Set(options.taskRoles.flatMap((c) => c.allowedActions))],
      options.foreignPrincipalsAllowed ?? [],
    ),
    new ContainerSecretsRule(options.containerSecretsAllowed ?? []),
    new ServiceKpiAlarmsRule(options.kpiMetrics),
    new AlarmActionsRule(),
    new DeploymentRollbackRule(),
    new AlarmTopicAccessRule(),
    new AlarmCanFireRule(),
    new CapacityProviderStrategyRule(),
    new FargateWarmFloorRule(options.warmFloor),
    new NoFargateSpotRule(),
    new CodeDeployControllerRule(),
    new TaskCpuLimitRule(),
    new BothArchitecturesRule(),
    new StatefulRetentionRule(),
    new EncryptionAtRestRule(),
    new DeletionProtectionRule(),
    new LogRetentionRule(),
    new BackupRetentionRule(options.minBackupRetentionDays),
    new KeyPolicyAccountsRule(options.foreignPrincipalsAllowed ?? []),
    new TopicSubscribeRule(),
    new NoInternetIngressRule(),
    new InternalLoadBalancersRule(),
    new NoPublicTaskIpRule(),
    new IngressAllowListRule(options.network),
    new EgressAllowListRule(options.network),
    new ScheduledActionsNewYorkWeekdaysRule(),
    new PredictiveForecastAndScaleRule(),
    new ScalableTargetWarmFloorRule(options.warmFloor),
    new HealthCheckTimeRule(),
    new CanaryDeploymentConfigRule(options.canary),
    new TerminationWaitRule(options.bakeMinutes),
  ];
}

const CATALOG = createTapRules({
  profile: 'dev',
  tags: { costCenter: 'CC-0000', project: 'TradingPlatform', service: 'OrderBroker', environment: 'dev' },
  warmFloor: 0,
  kpiMetrics: { jvmHeapMetric: '', dbPoolMetric: '' },
  taskRoles: [],
  canary: { canaryPercent: 0, canaryMinutes: 0 },
  bakeMinutes: 0,
  network: {
    rolePaths: { alb: [], testClient: [], tasks: [], database: [], databaseBootstrap: [], endpoints: [] },
    roleGroupIds: {},
    ingress: [],
    egress: [],
    egressUncheckedRoles: [],
  },
  register: [],
  today: new Date(0),
});

/** What every project rule declares (ID, title, rationale, fix, level), in report order. */
export const TAP_RULES: readonly RuleInfo[] = CATALOG.map((r) => r.info);

/** IDs of every project rule, in report order (pinned by a test). */
export const TAP_RULE_IDS: readonly string[] = TAP_RULES.map((r) => r.id);
