import type { Architecture } from '../../lib/config/types';
import type { CfnTemplate } from '../../lib/cfn-template';
import {
  type FoundResource,
  PlanInputError,
  dereference,
  getPath,
  mentions,
  numberProp,
  referencedLogicalId,
  resourceById,
  resourcesOfType,
} from './cfn';
import type { ScheduledActionLike } from '../schedule/scheduled-actions';

/**
 * Everything the plan reads from a synthesized template, found through relationships:
 * the CodeDeploy deployment group names the ECS service, its target groups, its alarms and its deployment
 * configuration; the scalable target is the one whose ResourceId references that service; the policies are
 * the ones whose ScalingTargetId references that target. No logical ID is spelled out anywhere.
 */

/** Where a figure came from: resource type, logical ID and construct path. */
export interface SourceRef {
  readonly type: string;
  readonly logicalId: string;
  readonly path?: string;
}

/**
 * A scheduled action of the scalable target, as the template declares it: the shared action type of
 * tools/schedule/scheduled-actions.ts, with the zone always filled in and whether the template declared it.
 */
export interface ScheduledActionInput extends ScheduledActionLike {
  /** IANA zone; CloudFormation's default when the property is absent is UTC. */
  readonly timezone: string;
  readonly timezoneDeclared: boolean;
  /** As written in the template (UTC, as CloudFormation documents it). */
  readonly startTime?: string;
  readonly endTime?: string;
}

/** A Fargate task definition of the service's container. */
export interface TaskDefinitionInput {
  readonly source: SourceRef;
  readonly family?: string;
  readonly architecture: Architecture;
  readonly cpuUnits: number;
  readonly memoryMiB: number;
}

/** A target group the deployment group shifts traffic between. */
export interface TargetGroupInput {
  readonly source: SourceRef;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  /** Health-check properties absent from the template, so their Elastic Load Balancing default applies. */
  readonly defaulted: string[];
}

/** A CloudWatch alarm listed in the deployment group's AlarmConfiguration. */
export interface RollbackAlarmInput {
  readonly source: SourceRef;
  readonly metric: string;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /** The target group in the alarm's dimensions, when there is one. */
  readonly targetGroupLogicalId?: string;
}

/** How CodeDeploy moves production traffic. */
export type TrafficRouting =
  | { readonly type: 'AllAtOnce' }
  | { readonly type: 'TimeBasedCanary'; readonly percentage: number; readonly intervalMinutes: number }
  | { readonly type: 'TimeBasedLinear'; readonly percentage: number; readonly intervalMinutes: number };

/** The inputs of the whole plan, read from one template. */
export interface PlanInputs {
  readonly service: {
    readonly source: SourceRef;
    /**
     * The warm floor: the scalable target's MinCapacity, the minimum that really keeps tasks running (the
     * service has no DesiredCount and its strategy no base).
     */
    readonly warmFloor: number;
    /**
     * FARGATE `Base` of the service's capacity-provider strategy; must be 0: a CODE_DEPLOY service changes its
     * strategy only through a CodeDeploy deployment, so a configuration-fed base fails stack updates.
     */
    readonly strategyBase: number;
    readonly capacityProviders: string[];
    /** The architecture of the task definition the service runs. */
    readonly runningArchitecture: Architecture;
  };
  readonly taskDefinitions: TaskDefinitionInput[];
  readonly scalableTarget: {
    readonly source: SourceRef;
    readonly minCapacity: number;
    readonly maxCapacity: number;
    readonly scheduledActions: ScheduledActionInput[];
  };
  /**
   * Target value of the CPU target-tracking policy.
   *
   * @default - no target tracking on CPU
   */
  readonly cpuTargetPercent?: number;
  /**
   * Fastest step-scaling alarm on the target: how soon an unforeseen burst adds tasks.
   *
   * @default - no step scaling
   */
  readonly burstAlarm?: {
    readonly source: SourceRef;
    readonly periodSeconds: number;
    readonly datapoints: number;
  };
  readonly deployment: {
    readonly source: SourceRef;
    readonly routing: TrafficRouting;
    readonly routingSource: string;
    readonly terminationWaitMinutes: number;
    readonly autoRollbackEvents: string[];
    readonly alarmsEnabled: boolean;
    readonly alarms: RollbackAlarmInput[];
    readonly targetGroups: TargetGroupInput[];
  };
  /** The validation hook, when the template exposes it (output `ValidationHookFunctionName`). */
  readonly hook?: {
    readonly source: SourceRef;
    readonly timeoutSeconds: number;
    readonly timeoutDefaulted: boolean;
  };
}

/** Key of the stack output that names the deployment-validation hook Lambda. */
export const HOOK_OUTPUT_KEY = 'ValidationHookFunctionName';

/** Elastic Load Balancing defaults for an HTTP target group's health check (target type ip/instance). */
const ELB_HEALTH_DEFAULTS = {
  HealthCheckIntervalSeconds: 30,
  HealthCheckTimeoutSeconds: 5,
  HealthyThresholdCount: 5,
  UnhealthyThresholdCount: 2,
} as const;

/** AWS::Lambda::Function Timeout default (seconds). */
const LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3;

function src(r: FoundResource): SourceRef {
  return { type: r.type, logicalId: r.logicalId, path: r.path };
}

function exactlyOne<T>(items: T[], what: string): T {
  if (items.length !== 1) {
    throw new PlanInputError(`expected exactly one ${what}, found ${items.length}`);
  }
  return items[0];
}

function optionalNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

function findDeployment(template: CfnTemplate): { group: FoundResource; service: FoundResource } {
  const pairs: Array<{ group: FoundResource; service: FoundResource }> = [];
  for (const group of resourcesOfType(template, 'AWS::CodeDeploy::DeploymentGroup')) {
    const services = getPath(group.properties, ['ECSServices']);
    if (!Array.isArray(services)) continue;
    for (const entry of services) {
      const id = referencedLogicalId(getPath(entry, ['ServiceName']));
      const service = id === undefined ? undefined : resourceById(template, id);
      if (service?.type === 'AWS::ECS::Service') pairs.push({ group, service });
    }
  }
  return exactlyOne(
    pairs,
    'AWS::CodeDeploy::DeploymentGroup deploying an AWS::ECS::Service of this template',
  );
}

function readService(service: FoundResource): Omit<
  PlanInputs['service'],
  'runningArchitecture' | 'warmFloor'
> & {
  readonly containerName?: string;
  readonly taskDefinitionRef: unknown;
} {
  const strategy = service.properties.CapacityProviderStrategy;
  if (!Array.isArray(strategy) || strategy.length === 0) {
    throw new PlanInputError(
      `AWS::ECS::Service ${service.logicalId}: no CapacityProviderStrategy; the service must place its tasks on FARGATE through a strategy`,
    );
  }
  const fargate: unknown = (strategy as unknown[]).find(
    (s) => getPath(s, ['CapacityProvider']) === 'FARGATE',
  );
  if (!fargate) {
    throw new PlanInputError(
      `AWS::ECS::Service ${service.logicalId}: CapacityProviderStrategy has no FARGATE entry (found ${JSON.stringify(strategy)})`,
    );
  }
  const base = optionalNumber(getPath(fargate, ['Base'])) ?? 0;
  const loadBalancers = service.properties.LoadBalancers;
  const containerName = Array.isArray(loadBalancers)
    ? getPath(loadBalancers[0], ['ContainerName'])
    : undefined;
  return {
    source: src(service),
    strategyBase: base,
    capacityProviders: strategy.map((s) => String(getPath(s, ['CapacityProvider']))),
    containerName: typeof containerName === 'string' ? containerName : undefined,
    taskDefinitionRef: service.properties.TaskDefinition,
  };
}

function readTaskDefinitions(
  template: CfnTemplate,
  containerName: string | undefined,
  taskDefinitionRef: unknown,
): { all: TaskDefinitionInput[]; running: TaskDefinitionInput } {
  const candidates = resourcesOfType(template, 'AWS::ECS::TaskDefinition').filter((td) => {
    const containers = td.properties.ContainerDefinitions;
    return (
      containerName === undefined ||
      (Array.isArray(containers) && containers.some((c) => getPath(c, ['Name']) === containerName))
    );
  });
  const all = candidates.map((td): TaskDefinitionInput => {
    const arch = getPath(td.properties, ['RuntimePlatform', 'CpuArchitecture']) ?? 'X86_64';
    if (arch !== 'ARM64' && arch !== 'X86_64') {
      throw new PlanInputError(
        `AWS::ECS::TaskDefinition ${td.logicalId}: CpuArchitecture ${JSON.stringify(arch)} unknown`,
      );
    }
    const family = td.properties.Family;
    return {
      source: src(td),
      family: typeof family === 'string' ? family : undefined,
      architecture: arch,
      cpuUnits: numberProp(td, 'Cpu'),
      memoryMiB: numberProp(td, 'Memory'),
    };
  });
  // CODE_DEPLOY services name their task definition by family; others reference it.
  const refId = referencedLogicalId(taskDefinitionRef);
  const running = all.find((td) =>
    refId !== undefined
      ? td.source.logicalId === refId
      : typeof taskDefinitionRef === 'string' && td.family === taskDefinitionRef.split(':')[0],
  );
  if (!running) {
    throw new PlanInputError(
      `the service's TaskDefinition ${JSON.stringify(taskDefinitionRef)} matches no AWS::ECS::TaskDefinition` +
        ` running container ${containerName ?? '(any)'}`,
    );
  }
  return { all, running };
}

function readScalableTarget(template: CfnTemplate, service: FoundResource): PlanInputs['scalableTarget'] {
  const target = exactlyOne(
    resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalableTarget').filter(
      (t) =>
        t.properties.ScalableDimension === 'ecs:service:DesiredCount' &&
        mentions(t.properties.ResourceId, service.logicalId),
    ),
    `AWS::ApplicationAutoScaling::ScalableTarget (ecs:service:DesiredCount) whose ResourceId references ${service.logicalId}`,
  );
  const actions = target.properties.ScheduledActions;
  const scheduledActions = (Array.isArray(actions) ? actions : []).map((a, i): ScheduledActionInput => {
    const schedule = getPath(a, ['Schedule']);
    if (typeof schedule !== 'string') {
      throw new PlanInputError(`${target.logicalId}: ScheduledActions[${i}].Schedule is not a string`);
    }
    const zone = getPath(a, ['Timezone']);
    const name = getPath(a, ['ScheduledActionName']);
    const startTime = getPath(a, ['StartTime']);
    const endTime = getPath(a, ['EndTime']);
    return {
      name: typeof name === 'string' ? name : `#${i}`,
      schedule,
      timezone: typeof zone === 'string' ? zone : 'UTC',
      timezoneDeclared: typeof zone === 'string',
      minCapacity: optionalNumber(getPath(a, ['ScalableTargetAction', 'MinCapacity'])),
      maxCapacity: optionalNumber(getPath(a, ['ScalableTargetAction', 'MaxCapacity'])),
      startTime: typeof startTime === 'string' ? startTime : undefined,
      endTime: typeof endTime === 'string' ? endTime : undefined,
    };
  });
  return {
    source: src(target),
    minCapacity: numberProp(target, 'MinCapacity'),
    maxCapacity: numberProp(target, 'MaxCapacity'),
    scheduledActions,
  };
}

function readPolicies(
  template: CfnTemplate,
  targetId: string,
): { cpuTargetPercent?: number; burstAlarm?: PlanInputs['burstAlarm'] } {
  const policies = resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalingPolicy').filter(
    (p) => referencedLogicalId(p.properties.ScalingTargetId) === targetId,
  );
  const tracking = policies.find(
    (p) =>
      p.properties.PolicyType === 'TargetTrackingScaling' &&
      getPath(p.properties, [
        'TargetTrackingScalingPolicyConfiguration',
        'PredefinedMetricSpecification',
        'PredefinedMetricType',
      ]) === 'ECSServiceAverageCPUUtilization',
  );
  const cpuTargetPercent = optionalNumber(
    getPath(tracking?.properties, ['TargetTrackingScalingPolicyConfiguration', 'TargetValue']),
  );
  const stepPolicyIds = new Set(
    policies.filter((p) => p.properties.PolicyType === 'StepScaling').map((p) => p.logicalId),
  );
  const burstAlarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm')
    .filter((a) => {
      const actions = a.properties.AlarmActions;
      return Array.isArray(actions) && actions.some((x) => stepPolicyIds.has(referencedLogicalId(x) ?? ''));
    })
    .map((a) => {
      const evaluationPeriods = numberProp(a, 'EvaluationPeriods');
      return {
        source: src(a),
        periodSeconds: numberProp(a, 'Period'),
        datapoints: optionalNumber(a.properties.DatapointsToAlarm) ?? evaluationPeriods,
      };
    })
    .sort((x, y) => x.periodSeconds * x.datapoints - y.periodSeconds * y.datapoints);
  return { cpuTargetPercent, burstAlarm: burstAlarms[0] };
}

const PREDEFINED_ROUTING =
  /^CodeDeployDefault\.ECS(?:(AllAtOnce)|(Canary|Linear)(\d+)Percent(?:Every)?(\d+)Minutes?)$/;

function readRouting(
  template: CfnTemplate,
  group: FoundResource,
): { routing: TrafficRouting; source: string } {
  const configName = group.properties.DeploymentConfigName;
  if (configName === undefined)
    return { routing: { type: 'AllAtOnce' }, source: 'CodeDeployDefault.ECSAllAtOnce (default)' };
  if (typeof configName === 'string') {
    const m = PREDEFINED_ROUTING.exec(configName);
    if (!m)
      throw new PlanInputError(
        `DeploymentConfigName ${configName}: not a predefined ECS configuration the plan knows`,
      );
    if (m[1]) return { routing: { type: 'AllAtOnce' }, source: configName };
    const type = m[2] === 'Canary' ? 'TimeBasedCanary' : 'TimeBasedLinear';
    return { routing: { type, percentage: Number(m[3]), intervalMinutes: Number(m[4]) }, source: configName };
  }
  const config = dereference(
    template,
    configName,
    'AWS::CodeDeploy::DeploymentConfig',
    'DeploymentConfigName',
  );
  const routing = getPath(config.properties, ['TrafficRoutingConfig']);
  const type = getPath(routing, ['Type']);
  const label = `${config.type} ${config.logicalId}`;
  if (type === 'TimeBasedCanary' || type === 'TimeBasedLinear') {
    const body = getPath(routing, [type]);
    const percentage = optionalNumber(
      getPath(body, [type === 'TimeBasedCanary' ? 'CanaryPercentage' : 'LinearPercentage']),
    );
    const intervalMinutes = optionalNumber(
      getPath(body, [type === 'TimeBasedCanary' ? 'CanaryInterval' : 'LinearInterval']),
    );
    if (percentage === undefined || intervalMinutes === undefined) {
      throw new PlanInputError(`${label}: ${type} without percentage and interval`);
    }
    return { routing: { type, percentage, intervalMinutes }, source: label };
  }
  if (type === 'AllAtOnce' || type === undefined) return { routing: { type: 'AllAtOnce' }, source: label };
  throw new PlanInputError(`${label}: TrafficRoutingConfig.Type ${JSON.stringify(type)} unknown`);
}

function readTargetGroups(template: CfnTemplate, group: FoundResource): TargetGroupInput[] {
  const pairs = getPath(group.properties, ['LoadBalancerInfo', 'TargetGroupPairInfoList']);
  const refs = Array.isArray(pairs)
    ? pairs.flatMap((p) => (getPath(p, ['TargetGroups']) as unknown[]) ?? [])
    : [];
  if (refs.length === 0) {
    throw new PlanInputError(
      `AWS::CodeDeploy::DeploymentGroup ${group.logicalId}: no TargetGroupPairInfoList target groups`,
    );
  }
  return refs.map((ref, i) => {
    const tg = dereference(
      template,
      getPath(ref, ['Name']),
      'AWS::ElasticLoadBalancingV2::TargetGroup',
      `deployment group target group #${i}`,
    );
    const defaulted = Object.keys(ELB_HEALTH_DEFAULTS).filter((k) => tg.properties[k] === undefined);
    const read = (k: keyof typeof ELB_HEALTH_DEFAULTS) => numberProp(tg, k, ELB_HEALTH_DEFAULTS[k]);
    return {
      source: src(tg),
      intervalSeconds: read('HealthCheckIntervalSeconds'),
      timeoutSeconds: read('HealthCheckTimeoutSeconds'),
      healthyThreshold: read('HealthyThresholdCount'),
      unhealthyThreshold: read('UnhealthyThresholdCount'),
      defaulted,
    };
  });
}

function alarmPeriod(alarm: FoundResource): number {
  if (alarm.properties.Period !== undefined) return numberProp(alarm, 'Period');
  const metrics = alarm.properties.Metrics;
  const periods = Array.isArray(metrics)
    ? metrics.map((m) => optionalNumber(getPath(m, ['MetricStat', 'Period']) ?? getPath(m, ['Period'])))
    : [];
  const known = periods.filter((p): p is number => p !== undefined);
  if (known.length === 0) {
    throw new PlanInputError(
      `AWS::CloudWatch::Alarm ${alarm.logicalId}: no Period (nor Metrics[].MetricStat.Period)`,
    );
  }
  return Math.max(...known);
}

function readAlarms(
  template: CfnTemplate,
  group: FoundResource,
): { enabled: boolean; alarms: RollbackAlarmInput[] } {
  const config = getPath(group.properties, ['AlarmConfiguration']);
  const list = getPath(config, ['Alarms']);
  const enabled = getPath(config, ['Enabled']) === true || getPath(config, ['Enabled']) === 'true';
  const alarms = (Array.isArray(list) ? list : []).map((entry, i): RollbackAlarmInput => {
    const name = getPath(entry, ['Name']);
    if (referencedLogicalId(name) === undefined) {
      throw new PlanInputError(
        `AlarmConfiguration.Alarms[${i}].Name = ${JSON.stringify(name)}: not an alarm of this template, so the plan cannot bound its detection time`,
      );
    }
    const alarm = dereference(template, name, 'AWS::CloudWatch::Alarm', `AlarmConfiguration.Alarms[${i}]`);
    const evaluationPeriods = numberProp(alarm, 'EvaluationPeriods');
    const dimensions = alarm.properties.Dimensions;
    const tgDimension: unknown = Array.isArray(dimensions)
      ? (dimensions as unknown[]).find((d) => getPath(d, ['Name']) === 'TargetGroup')
      : undefined;
    const { Namespace: namespace, MetricName: metricName } = alarm.properties;
    return {
      source: src(alarm),
      metric: `${typeof namespace === 'string' ? namespace : 'metric math'}/${typeof metricName === 'string' ? metricName : 'expression'}`,
      periodSeconds: alarmPeriod(alarm),
      evaluationPeriods,
      datapointsToAlarm: optionalNumber(alarm.properties.DatapointsToAlarm) ?? evaluationPeriods,
      targetGroupLogicalId: referencedLogicalId(getPath(tgDimension, ['Value'])),
    };
  });
  return { enabled, alarms };
}

function readHook(template: CfnTemplate): PlanInputs['hook'] {
  const output = template.Outputs?.[HOOK_OUTPUT_KEY];
  if (output === undefined) return undefined;
  const fn = dereference(template, output.Value, 'AWS::Lambda::Function', `output ${HOOK_OUTPUT_KEY}`);
  return {
    source: src(fn),
    timeoutSeconds: numberProp(fn, 'Timeout', LAMBDA_DEFAULT_TIMEOUT_SECONDS),
    timeoutDefaulted: fn.properties.Timeout === undefined,
  };
}

/**
 * Reads the plan's inputs from a synthesized template.
 *
 * @throws PlanInputError naming the resource and property that is missing or not evaluable
 */
export function readPlanInputs(template: CfnTemplate): PlanInputs {
  const { group, service: serviceResource } = findDeployment(template);
  const { containerName, taskDefinitionRef, ...service } = readService(serviceResource);
  const taskDefinitions = readTaskDefinitions(template, containerName, taskDefinitionRef);
  const scalableTarget = readScalableTarget(template, serviceResource);
  const { routing, source: routingSource } = readRouting(template, group);
  const { enabled, alarms } = readAlarms(template, group);
  const events = getPath(group.properties, ['AutoRollbackConfiguration', 'Events']);
  const rollbackEnabled = getPath(group.properties, ['AutoRollbackConfiguration', 'Enabled']) === true;
  return {
    service: {
      ...service,
      warmFloor: scalableTarget.minCapacity,
      runningArchitecture: taskDefinitions.running.architecture,
    },
    taskDefinitions: taskDefinitions.all,
    scalableTarget,
    ...readPolicies(template, scalableTarget.source.logicalId),
    deployment: {
      source: src(group),
      routing,
      routingSource,
      terminationWaitMinutes:
        optionalNumber(
          getPath(group.properties, [
            'BlueGreenDeploymentConfiguration',
            'TerminateBlueInstancesOnDeploymentSuccess',
            'TerminationWaitTimeInMinutes',
          ]),
        ) ?? 0,
      autoRollbackEvents: rollbackEnabled && Array.isArray(events) ? events.map(String).sort() : [],
      alarmsEnabled: enabled,
      alarms,
      targetGroups: readTargetGroups(template, group),
    },
    hook: readHook(template),
  };
}
