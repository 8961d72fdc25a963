import { Validations } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BothArchitecturesRule } from '../../aspects/capacity/both-architectures';
import { CapacityProviderStrategyRule } from '../../aspects/capacity/capacity-provider-strategy';
import { CodeDeployControllerRule } from '../../aspects/capacity/code-deploy-controller';
import { FargateWarmFloorRule } from '../../aspects/capacity/fargate-warm-floor';
import { NoFargateSpotRule } from '../../aspects/capacity/no-fargate-spot';
import { TaskCpuLimitRule, taskCpuUnits } from '../../aspects/capacity/task-cpu-limit';
import { findingsOf, ids, ruleTestStack } from '../helpers/rules';

const FARGATE_BASE_2 = [{ capacityProvider: 'FARGATE', base: 2, weight: 1 }];
const FARGATE_ONLY = [{ capacityProvider: 'FARGATE', weight: 1 }];

function service(stack: Stack, props: Partial<ecs.CfnServiceProps>) {
  return new ecs.CfnService(stack, 'Service', {
    deploymentController: { type: 'CODE_DEPLOY' },
    capacityProviderStrategy: FARGATE_BASE_2,
    ...props,
  });
}

describe('TAP-CAP-1 capacity-provider strategy', () => {
  test('passes for a constant FARGATE strategy without launch type or base', () => {
    const { app, stack } = ruleTestStack();
    service(stack, { capacityProviderStrategy: FARGATE_ONLY });
    expect(ids(findingsOf(app, new CapacityProviderStrategyRule()))).toEqual([]);
  });

  test('fails with TAP-CAP-1 for a bare FARGATE launch type', () => {
    const { app, stack } = ruleTestStack();
    service(stack, { launchType: 'FARGATE', capacityProviderStrategy: undefined });
    expect(
      findingsOf(app, new CapacityProviderStrategyRule()).map(
        (f) => `${f.ruleId} ${f.message.split('.')[0]}`,
      ),
    ).toEqual([
      'TAP-CAP-1 TAP-CAP-1: uses LaunchType FARGATE',
      'TAP-CAP-1 TAP-CAP-1: has no CapacityProviderStrategy',
    ]);
  });

  test('fails with TAP-CAP-1 when a CODE_DEPLOY service sets a base (UpdateService cannot change it)', () => {
    const { app, stack } = ruleTestStack();
    service(stack, {});
    const findings = findingsOf(app, new CapacityProviderStrategyRule());
    expect(ids(findings)).toEqual(['TAP-CAP-1 @ Service']);
    expect(findings[0].message).toContain(
      'sets Base 2 on FARGATE: a CODE_DEPLOY service changes its strategy only through a CodeDeploy deployment',
    );
  });
});

describe('TAP-CAP-2 the scalable target keeps the warm floor running', () => {
  function target(
    stack: Stack,
    svc: ecs.CfnService,
    minCapacity: number,
    scheduled: Array<[string, number]> = [],
  ): appscaling.CfnScalableTarget {
    return new appscaling.CfnScalableTarget(stack, 'Target', {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/cluster/${svc.attrName}`,
      minCapacity,
      maxCapacity: 10,
      scheduledActions: scheduled.map(([name, min]) => ({
        scheduledActionName: name,
        schedule: 'cron(0 9 ? * MON-FRI *)',
        scalableTargetAction: { minCapacity: min, maxCapacity: 10 },
      })),
    });
  }

  test('passes when the minimum and every scheduled minimum are at least the warm floor', () => {
    const { app, stack } = ruleTestStack();
    target(stack, service(stack, { capacityProviderStrategy: FARGATE_ONLY }), 2, [
      ['PreOpen', 8],
      ['PostOpen', 2],
    ]);
    expect(ids(findingsOf(app, new FargateWarmFloorRule(2)))).toEqual([]);
  });

  test('fails with TAP-CAP-2 when the scalable target minimum is below the warm floor', () => {
    const { app, stack } = ruleTestStack();
    target(stack, service(stack, { capacityProviderStrategy: FARGATE_ONLY }), 2);
    const findings = findingsOf(app, new FargateWarmFloorRule(8));
    expect(ids(findings)).toEqual(['TAP-CAP-2 @ Service']);
    expect(findings[0].message).toContain('with MinCapacity 2, below the warm floor of 8');
  });

  test('fails with TAP-CAP-2 when a scheduled action lowers the minimum below the warm floor', () => {
    const { app, stack } = ruleTestStack();
    target(stack, service(stack, { capacityProviderStrategy: FARGATE_ONLY }), 4, [['PostClose', 1]]);
    const findings = findingsOf(app, new FargateWarmFloorRule(4));
    expect(ids(findings)).toEqual(['TAP-CAP-2 @ Service']);
    expect(findings[0].message).toContain(
      'has a scheduled action PostClose lowering the minimum to 1, below the warm floor of 4',
    );
  });

  test('fails with TAP-CAP-2 when a FARGATE base is the only floor (no scalable target)', () => {
    const { app, stack } = ruleTestStack();
    service(stack, {});
    const findings = findingsOf(app, new FargateWarmFloorRule(2));
    expect(ids(findings)).toEqual(['TAP-CAP-2 @ Service']);
    expect(findings[0].message).toContain(
      'has no ecs:service:DesiredCount scalable target, so nothing keeps the warm floor of 2 running',
    );
  });
});

describe('TAP-CAP-3 no FARGATE_SPOT', () => {
  test('passes for FARGATE only, in the service and the cluster association', () => {
    const { app, stack } = ruleTestStack();
    service(stack, {});
    new ecs.CfnClusterCapacityProviderAssociations(stack, 'Assoc', {
      cluster: 'c',
      capacityProviders: ['FARGATE'],
      defaultCapacityProviderStrategy: FARGATE_BASE_2,
    });
    expect(ids(findingsOf(app, new NoFargateSpotRule()))).toEqual([]);
  });

  test('fails with TAP-CAP-3 for FARGATE_SPOT in the service strategy and the cluster association', () => {
    const { app, stack } = ruleTestStack();
    service(stack, {
      capacityProviderStrategy: [...FARGATE_BASE_2, { capacityProvider: 'FARGATE_SPOT', weight: 3 }],
    });
    new ecs.CfnClusterCapacityProviderAssociations(stack, 'Assoc', {
      cluster: 'c',
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: FARGATE_BASE_2,
    });
    expect(ids(findingsOf(app, new NoFargateSpotRule()))).toEqual([
      'TAP-CAP-3 @ Assoc',
      'TAP-CAP-3 @ Service',
    ]);
  });
});

describe('TAP-CAP-4 CODE_DEPLOY controller', () => {
  test('passes for CODE_DEPLOY', () => {
    const { app, stack } = ruleTestStack();
    service(stack, {});
    expect(ids(findingsOf(app, new CodeDeployControllerRule()))).toEqual([]);
  });

  test('fails with TAP-CAP-4 for the ECS controller', () => {
    const { app, stack } = ruleTestStack();
    service(stack, { deploymentController: { type: 'ECS' } });
    const findings = findingsOf(app, new CodeDeployControllerRule());
    expect(ids(findings)).toEqual(['TAP-CAP-4 @ Service']);
    expect(findings[0].message).toContain('uses the ECS deployment controller');
  });

  test('fails with TAP-CAP-4 when no controller is set (ECS is the default)', () => {
    const { app, stack } = ruleTestStack();
    service(stack, { deploymentController: undefined });
    expect(findingsOf(app, new CodeDeployControllerRule()).map((f) => f.ruleId)).toEqual(['TAP-CAP-4']);
  });
});

describe('TAP-CAP-5 right-sized task CPU', () => {
  const taskDefinition = (stack: Stack, cpu: string) =>
    new ecs.CfnTaskDefinition(stack, 'TaskDef', {
      cpu,
      memory: String(Number(cpu) * 2),
      requiresCompatibilities: ['FARGATE'],
    });

  test('passes at 2048 CPU units', () => {
    const { app, stack } = ruleTestStack();
    taskDefinition(stack, '2048');
    expect(ids(findingsOf(app, new TaskCpuLimitRule()))).toEqual([]);
  });

  test('fails with TAP-CAP-5 at 4096 CPU units', () => {
    const { app, stack } = ruleTestStack();
    taskDefinition(stack, '4096');
    const findings = findingsOf(app, new TaskCpuLimitRule());
    expect(ids(findings)).toEqual(['TAP-CAP-5 @ TaskDef']);
    expect(findings[0].level).toBe('error');
  });

  test('fails with TAP-CAP-5 for 4 vCPU and 4 vcpu, and for a form that is not CPU', () => {
    const messages: string[] = [];
    for (const cpu of ['4 vCPU', '4 vcpu', 'four']) {
      const { app, stack } = ruleTestStack();
      new ecs.CfnTaskDefinition(stack, 'TaskDef', {
        cpu,
        memory: '8192',
        requiresCompatibilities: ['FARGATE'],
      });
      const findings = findingsOf(app, new TaskCpuLimitRule());
      expect(ids(findings)).toEqual(['TAP-CAP-5 @ TaskDef']);
      messages.push(findings[0].message.split('. Why')[0]);
    }
    expect(messages).toEqual([
      'TAP-CAP-5: reserves 4096 CPU units (Cpu "4 vCPU"), above the right-sized 2048',
      'TAP-CAP-5: reserves 4096 CPU units (Cpu "4 vcpu"), above the right-sized 2048',
      `TAP-CAP-5: has Cpu "four", which is neither CPU units nor 'n vCPU'`,
    ]);
  });

  test('passes for 2 vCPU and 0.5 vcpu (2048 and 512 units)', () => {
    expect([
      taskCpuUnits('2 vCPU'),
      taskCpuUnits('0.5 vcpu'),
      taskCpuUnits('2048'),
      taskCpuUnits(1024),
    ]).toEqual([2048, 512, 2048, 1024]);
    const { app, stack } = ruleTestStack();
    new ecs.CfnTaskDefinition(stack, 'TaskDef', { cpu: '2 vCPU', memory: '4096' });
    expect(ids(findingsOf(app, new TaskCpuLimitRule()))).toEqual([]);
  });

  test('an exemption of Annotation::TAP-CAP-5 turns the finding into an acknowledgeable warning', () => {
    const { app, stack } = ruleTestStack();
    const td = taskDefinition(stack, '4096');
    Validations.of(td).acknowledge({ id: 'Annotation::TAP-CAP-5', reason: 'measured need' });
    const findings = findingsOf(app, new TaskCpuLimitRule());
    expect(findings.map((f) => [f.ruleId, f.level, f.exempted])).toEqual([['TAP-CAP-5', 'warning', true]]);
  });
});

describe('TAP-CAP-6 both architectures', () => {
  const taskDefinition = (stack: Stack, id: string, architecture: string) =>
    new ecs.CfnTaskDefinition(stack, id, {
      containerDefinitions: [{ name: 'orderbroker', image: 'x' }],
      runtimePlatform: { cpuArchitecture: architecture, operatingSystemFamily: 'LINUX' },
    });

  test('passes when the containers the service runs exist for ARM64 and X86_64', () => {
    const { app, stack } = ruleTestStack();
    const arm = taskDefinition(stack, 'Arm64', 'ARM64');
    taskDefinition(stack, 'X8664', 'X86_64');
    service(stack, { taskDefinition: arm.ref });
    expect(ids(findingsOf(app, new BothArchitecturesRule()))).toEqual([]);
  });

  test('fails with TAP-CAP-6 when only ARM64 is defined', () => {
    const { app, stack } = ruleTestStack();
    const arm = taskDefinition(stack, 'Arm64', 'ARM64');
    service(stack, { taskDefinition: arm.ref });
    const findings = findingsOf(app, new BothArchitecturesRule());
    expect(ids(findings)).toEqual(['TAP-CAP-6 @ Service']);
    expect(findings[0].message).toContain('have no task definition for X86_64');
  });
});

describe('TAP-CAP-6 resolves task definitions named by family', () => {
  const taskDefinition = (stack: Stack, id: string, family: string, architecture: string) =>
    new ecs.CfnTaskDefinition(stack, id, {
      family,
      containerDefinitions: [{ name: 'orderbroker', image: 'x' }],
      runtimePlatform: { cpuArchitecture: architecture, operatingSystemFamily: 'LINUX' },
    });

  test('passes for a service naming its task definition by family (as CDK writes it for CODE_DEPLOY)', () => {
    const { app, stack } = ruleTestStack();
    taskDefinition(stack, 'Arm64', 'ob-arm64', 'ARM64');
    taskDefinition(stack, 'X8664', 'ob-x86-64', 'X86_64');
    service(stack, { taskDefinition: 'ob-arm64' });
    expect(ids(findingsOf(app, new BothArchitecturesRule()))).toEqual([]);
  });

  test('fails with TAP-CAP-6 for family:revision of a one-architecture family, and for a foreign family', () => {
    const messages: string[] = [];
    for (const named of ['ob-arm64:7', 'someone-else']) {
      const { app, stack } = ruleTestStack();
      taskDefinition(stack, 'Arm64', 'ob-arm64', 'ARM64');
      service(stack, { taskDefinition: named });
      const findings = findingsOf(app, new BothArchitecturesRule());
      expect(ids(findings)).toEqual(['TAP-CAP-6 @ Service']);
      messages.push(findings[0].message.split('. Why')[0]);
    }
    expect(messages).toEqual([
      'TAP-CAP-6: runs containers [orderbroker] that have no task definition for X86_64',
      'TAP-CAP-6: runs task definition "someone-else", which is not a task definition of this template: its architectures cannot be checked',
    ]);
  });
});
