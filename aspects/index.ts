import { AspectPriority } from 'aws-cdk-lib';
import type { RegisterEntry } from '../lib/compliance/acknowledgements';
import type { ProfileName, RequiredTags } from '../lib/config/types';
import type { NetworkContract } from '../lib/compliance/network-contract';
import { AlarmActionsRule } from './alarms/alarm-actions';
import { AlarmCanFireRule } from './alarms/alarm-can-fire';
import { DeploymentRollbackRule } from './alarms/deployment-rollback';
import { ServiceKpiAlarmsRule, type ServiceKpiAlarmsProps } from './alarms/service-kpi-alarms';
import { BothArchitecturesRule } from './capacity/both-architectures';
import { CapacityProviderStrategyRule } from './capacity/capacity-provider-strategy';
import { CodeDeployControllerRule } from './capacity/code-deploy-controller';
import { FargateWarmFloorRule } from './capacity/fargate-warm-floor';
import { NoFargateSpotRule } from './capacity/no-fargate-spot';
import { TaskCpuLimitRule } from './capacity/task-cpu-limit';
import { DeletionProtectionRule } from './data/deletion-protection';
import { CanaryDeploymentConfigRule, type CanaryContract } from './deployment/canary-deployment-config';
import { HealthCheckTimeRule } from './deployment/health-check-time';
import { TerminationWaitRule } from './deployment/termination-wait';
import { EncryptionAtRestRule } from './data/encryption-at-rest';
import { LogRetentionRule } from './data/log-retention';
import { StatefulRetentionRule } from './data/stateful-retention';
import { AcknowledgementExpiredRule } from './exemptions/acknowledgement-expired';
import { AcknowledgementUnmatchedRule } from './exemptions/acknowledgement-unmatched';
import { ManagedPolicyAllowListRule } from './iam/managed-policy-allow-list';
import { NoWildcardActionsRule } from './iam/no-wildcard-actions';
import { NoWildcardResourcesRule } from './iam/no-wildcard-resources';
import { TaskRoleGrantsRule, type TaskRoleContract } from './iam/task-role-grants';
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
}

/** Every project rule, in report order. {@link TAP_RULE_IDS} lists their IDs. */
export function createTapRules(options: TapRulesOptions): TapRule[] {
  return [
    new AcknowledgementExpiredRule(options.register, options.profile, options.today),
    new AcknowledgementUnmatchedRule(options.register, options.profile, options.today),
    new RequiredTagsPresentRule(),
    new RequiredTagValuesRule(options.tags),
    new NoWildcardActionsRule(),
    new NoWildcardResourcesRule(),
    new ManagedPolicyAllowListRule(),
    new TaskRoleGrantsRule(options.taskRoles),
    new ServiceKpiAlarmsRule(options.kpiMetrics),
    new AlarmActionsRule(),
    new DeploymentRollbackRule(),
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
