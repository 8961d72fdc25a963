import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ecsTargetId, followDeployment, startDeployment } from '../deploy/deploy';
import type { Check } from '../shared/progress';
import { productionUrl } from '../shared/stack-outputs';
import type { Scenario, ScenarioContext } from './common';

/** Options of the bad-version-rollback scenario. */
export interface BadVersionOptions {
  /**
   * Tag or digest of an image whose readiness check fails (returns 503). Build it from the service with
   * readiness forced down; see docs/market-hours-deploy.md.
   *
   * @default 'health-fail'
   */
  readonly badImage?: string;
  /** The rollback must be complete this long after the deployment was created. @default 300000 (5 minutes) */
  readonly rollbackBudgetMs?: number;
  /** Production base URL. @default - from the stack outputs */
  readonly productionUrl?: string;
  /** Poll interval of the deployment (and production probes). @default 10000 */
  readonly pollMs?: number;
}

/** Marks the bad revision so nobody mistakes it for a release. */
export const BAD_VERSION_MARKER = { name: 'ORDERBROKER_SCENARIO', value: 'bad-version-rollback' };

/**
 * Deploys a revision whose health check fails and passes only if CodeDeploy refused it and rolled back on
 * its own within the budget (5 minutes), while production kept serving the previous version: the production
 * listener still forwards to the same target group, the service's primary task set still runs the previous
 * task definition, and every production probe during the run answered 200.
 */
export const badVersionRollback: Scenario<BadVersionOptions> = async (ctx, options) => {
  const { clients, outputs, progress, clock } = ctx;
  const budgetMs = options.rollbackBudgetMs ?? 5 * 60000;
  const healthUrl = `${productionUrl(outputs, options.productionUrl)}${outputs.HealthCheckPath}`;
  const before = await productionForward(ctx);
  progress.step(`production listener forwards to ${describeForward(before)}`);

  const probes: Array<{ status: number | string }> = [];
  const probe = async () => {
    try {
      const res = await ctx.send({ url: healthUrl, method: 'GET', timeoutMs: 3000 });
      probes.push({ status: res.status });
    } catch (err) {
      probes.push({ status: (err as Error).message });
    }
  };

  const createdAt = clock.now();
  const deployment = await startDeployment(
    clients,
    outputs,
    {
      image: options.badImage ?? 'health-fail',
      description: 'scenario bad-version-rollback: this revision must be rolled back',
      mutateRevision: (input) => ({
        ...input,
        containerDefinitions: input.containerDefinitions?.map((c) =>
          c.name === outputs.ContainerName
            ? {
                ...c,
                environment: [
                  ...(c.environment ?? []).filter((e) => e.name !== BAD_VERSION_MARKER.name),
                  BAD_VERSION_MARKER,
                ],
              }
            : c,
        ),
      }),
    },
    progress,
  );
  const follow = (id: string) =>
    followDeployment(clients.codedeploy, id, ecsTargetId(outputs), progress, {
      clock,
      pollMs: options.pollMs ?? 10000,
      // Follow past the budget so a late rollback is reported as late, not as unknown.
      timeoutMs: budgetMs + 5 * 60000 - (clock.now() - createdAt),
      onPoll: probe,
    });
  const outcome = await follow(deployment.deploymentId);
  const rollbackId = outcome.info?.rollbackInfo?.rollbackDeploymentId;
  let rollbackStatus: string | undefined;
  if (rollbackId) {
    progress.step(`following rollback deployment ${rollbackId}`);
    rollbackStatus = (await follow(rollbackId)).status;
  }
  const rolledBackAfterMs = clock.now() - createdAt;
  await probe();
  await reportAlarms(ctx);

  const after = await productionForward(ctx);
  const { services } = await clients.ecs.send(
    new DescribeServicesCommand({ cluster: outputs.ClusterName, services: [outputs.ServiceName] }),
  );
  const service = services?.[0];
  const primary =
    service?.taskSets?.find((s) => s.status === 'PRIMARY')?.taskDefinition ?? service?.taskDefinition;
  const failedProbes = probes.filter((p) => p.status !== 200);
  const rolledBack =
    (outcome.status === 'Failed' || outcome.status === 'Stopped') &&
    outcome.info?.rollbackInfo !== undefined &&
    (rollbackId === undefined || rollbackStatus === 'Succeeded');

  const checks: Check[] = [
    {
      name: 'the bad version was not promoted',
      passed: outcome.status === 'Failed' || outcome.status === 'Stopped',
      detail: `${deployment.deploymentId}: ${outcome.status}${outcome.info?.errorInformation?.message ? ` (${outcome.info.errorInformation.message})` : ''}`,
    },
    {
      name: 'CodeDeploy rolled back automatically',
      passed: rolledBack,
      detail: outcome.info?.rollbackInfo
        ? `${outcome.info.rollbackInfo.rollbackMessage ?? 'rollback'}${rollbackId ? `; rollback ${rollbackId}: ${rollbackStatus}` : ''}`
        : 'no rollback recorded on the deployment',
    },
    {
      name: `rollback complete within ${Math.round(budgetMs / 1000)} s`,
      passed: rolledBack && rolledBackAfterMs <= budgetMs,
      detail: `${Math.round(rolledBackAfterMs / 1000)} s from CreateDeployment`,
    },
    {
      name: 'production listener still forwards to the previous target group',
      passed: sameForward(before, after),
      detail: `before ${describeForward(before)}, after ${describeForward(after)}`,
    },
    {
      name: 'the service still runs the previous version',
      passed: primary === deployment.previousTaskDefinitionArn,
      detail: `primary task set runs ${primary ?? 'nothing'}; before the deployment ${deployment.previousTaskDefinitionArn}`,
    },
    {
      name: 'production served throughout',
      passed: probes.length > 0 && failedProbes.length === 0,
      detail: `${probes.length - failedProbes.length}/${probes.length} probes of ${outputs.HealthCheckPath} answered 200${failedProbes.length > 0 ? `; e.g. ${String(failedProbes[0].status)}` : ''}`,
    },
  ];
  return checks;
};

/** Target group -> weight of the production listener's forward action. */
async function productionForward(ctx: ScenarioContext): Promise<Record<string, number>> {
  const { Listeners } = await ctx.clients.elbv2.send(
    new DescribeListenersCommand({ ListenerArns: [ctx.outputs.ProductionListenerArn] }),
  );
  const forward = Listeners?.[0]?.DefaultActions?.find((a) => a.Type === 'forward');
  const groups: Record<string, number> = {};
  if (forward?.ForwardConfig?.TargetGroups) {
    for (const g of forward.ForwardConfig.TargetGroups)
      if (g.TargetGroupArn) groups[g.TargetGroupArn] = g.Weight ?? 1;
  } else if (forward?.TargetGroupArn) {
    groups[forward.TargetGroupArn] = 1;
  }
  // A group at weight 0 takes no traffic: only the serving ones matter.
  return Object.fromEntries(Object.entries(groups).filter(([, w]) => w > 0));
}

function sameForward(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length > 0 && keys.length === Object.keys(b).length && keys.every((k) => b[k] !== undefined);
}

function describeForward(groups: Record<string, number>): string {
  const entries = Object.entries(groups);
  if (entries.length === 0) return 'nothing';
  return entries.map(([arn, w]) => `${arn.split(':').pop()} (weight ${w})`).join(', ');
}

/** Prints the state of the deployment group's rollback alarms (which one caught the bad version). */
async function reportAlarms(ctx: ScenarioContext): Promise<void> {
  const { deploymentGroupInfo } = await ctx.clients.codedeploy.send(
    new GetDeploymentGroupCommand({
      applicationName: ctx.outputs.CodeDeployApplication,
      deploymentGroupName: ctx.outputs.DeploymentGroupName,
    }),
  );
  const names = (deploymentGroupInfo?.alarmConfiguration?.alarms ?? []).map((a) => a.name!).filter(Boolean);
  if (names.length === 0) {
    ctx.progress.step('deployment group has no rollback alarms');
    return;
  }
  const { MetricAlarms } = await ctx.clients.cloudwatch.send(
    new DescribeAlarmsCommand({ AlarmNames: names }),
  );
  for (const alarm of MetricAlarms ?? []) ctx.progress.step(`alarm ${alarm.AlarmName}: ${alarm.StateValue}`);
}
