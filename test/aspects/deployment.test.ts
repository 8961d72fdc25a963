import type { Stack } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { CanaryDeploymentConfigRule } from '../../aspects/deployment/canary-deployment-config';
import { HealthCheckTimeRule, secondsToHealthy } from '../../aspects/deployment/health-check-time';
import { TerminationWaitRule } from '../../aspects/deployment/termination-wait';
import { findingsOf, ids, ruleTestStack } from '../helpers/rules';

const CANARY = { canaryPercent: 10, canaryMinutes: 5 };

describe('TAP-DEP-1 a new task is healthy within 30 s', () => {
  const targetGroup = (stack: Stack, props: Partial<elbv2.CfnTargetGroupProps>) =>
    new elbv2.CfnTargetGroup(stack, 'Tg', { targetType: 'ip', port: 8080, protocol: 'HTTP', ...props });

  test('passes for 5 s x 2 + 3 s = 13 s and at exactly 30 s', () => {
    const { app, stack } = ruleTestStack();
    targetGroup(stack, {
      healthCheckIntervalSeconds: 5,
      healthyThresholdCount: 2,
      healthCheckTimeoutSeconds: 3,
    });
    new elbv2.CfnTargetGroup(stack, 'Edge', {
      healthCheckIntervalSeconds: 7,
      healthyThresholdCount: 4,
      healthCheckTimeoutSeconds: 2,
    });
    expect(ids(findingsOf(app, new HealthCheckTimeRule()))).toEqual([]);
  });

  test('fails with TAP-DEP-1 for the ELB defaults (155 s) and for 5 s x 2 + 21 s', () => {
    const { app, stack } = ruleTestStack();
    targetGroup(stack, {});
    new elbv2.CfnTargetGroup(stack, 'SlowTimeout', {
      healthCheckIntervalSeconds: 5,
      healthyThresholdCount: 2,
      healthCheckTimeoutSeconds: 21,
    });
    const findings = findingsOf(app, new HealthCheckTimeRule());
    expect(ids(findings)).toEqual(['TAP-DEP-1 @ SlowTimeout', 'TAP-DEP-1 @ Tg']);
    expect(findings.map((f) => f.message.split(' (')[0]).sort()).toEqual([
      'TAP-DEP-1: takes up to 155 s to mark a new task healthy',
      'TAP-DEP-1: takes up to 31 s to mark a new task healthy',
    ]);
  });

  test('defines the time as interval x healthy threshold + timeout', () => {
    expect(
      secondsToHealthy({
        HealthCheckIntervalSeconds: 5,
        HealthyThresholdCount: 2,
        HealthCheckTimeoutSeconds: 3,
      }),
    ).toBe(13);
    expect(secondsToHealthy({})).toBe(155);
  });
});

function ecsGroup(stack: Stack, props: Partial<codedeploy.CfnDeploymentGroupProps>) {
  return new codedeploy.CfnDeploymentGroup(stack, 'Group', {
    applicationName: 'app',
    serviceRoleArn: 'arn:aws:iam::123456789012:role/cd',
    ecsServices: [{ clusterName: 'c', serviceName: 's' }],
    ...props,
  });
}

const canaryConfig = (stack: Stack, percent: number, minutes: number) =>
  new codedeploy.CfnDeploymentConfig(stack, 'Canary', {
    computePlatform: 'ECS',
    deploymentConfigName: 'ob-canary',
    trafficRoutingConfig: {
      type: 'TimeBasedCanary',
      timeBasedCanary: { canaryPercentage: percent, canaryInterval: minutes },
    },
  });

describe('TAP-DEP-2 the configured canary, never all at once', () => {
  test('passes for the configured canary, by Ref and by name', () => {
    const { app, stack } = ruleTestStack();
    const config = canaryConfig(stack, 10, 5);
    ecsGroup(stack, { deploymentConfigName: config.ref });
    expect(ids(findingsOf(app, new CanaryDeploymentConfigRule(CANARY)))).toEqual([]);
  });

  test('fails with TAP-DEP-2 for ECSAllAtOnce, a missing name and another canary', () => {
    const messages: string[] = [];
    for (const props of [
      { deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce' },
      {},
      { deploymentConfigName: 'ob-canary' },
    ]) {
      const { app, stack } = ruleTestStack();
      canaryConfig(stack, 50, 1);
      ecsGroup(stack, props);
      const findings = findingsOf(app, new CanaryDeploymentConfigRule(CANARY));
      expect(ids(findings)).toEqual(['TAP-DEP-2 @ Group']);
      messages.push(findings[0].message.split('. Why')[0]);
    }
    expect(messages).toEqual([
      'TAP-DEP-2: uses deployment configuration CodeDeployDefault.ECSAllAtOnce (all at once), not the configured canary of this template',
      'TAP-DEP-2: has no DeploymentConfigName, so CodeDeploy uses CodeDeployDefault.ECSAllAtOnce',
      'TAP-DEP-2: runs a 50% canary for 1 min, not the configured 10% for 5 min',
    ]);
  });
});

describe('TAP-DEP-3 blue is kept for the bake window', () => {
  const group = (stack: Stack, wait?: number) =>
    ecsGroup(stack, {
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: {
          action: 'TERMINATE',
          terminationWaitTimeInMinutes: wait,
        },
      },
    });

  test('passes when the wait equals the bake window', () => {
    const { app, stack } = ruleTestStack();
    group(stack, 15);
    expect(ids(findingsOf(app, new TerminationWaitRule(15)))).toEqual([]);
  });

  test('fails with TAP-DEP-3 for a wait shorter than the bake window, and for none', () => {
    for (const wait of [5, undefined]) {
      const { app, stack } = ruleTestStack();
      group(stack, wait);
      const findings = findingsOf(app, new TerminationWaitRule(15));
      expect(ids(findings)).toEqual(['TAP-DEP-3 @ Group']);
      expect(findings[0].message).toContain(
        `terminates blue ${wait ?? 0} min after the shift, shorter than the bake window of 15 min`,
      );
    }
  });
});
