import type { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { AlarmActionsRule } from '../../aspects/alarms/alarm-actions';
import { AlarmCanFireRule } from '../../aspects/alarms/alarm-can-fire';
import { DeploymentRollbackRule } from '../../aspects/alarms/deployment-rollback';
import { ServiceKpiAlarmsRule } from '../../aspects/alarms/service-kpi-alarms';
import { findingsOf, ids, ruleTestStack } from '../helpers/rules';

const KPI = { jvmHeapMetric: 'JvmHeapUtilization', dbPoolMetric: 'DbConnectionPoolUtilization' };
const TOPIC = 'arn:aws:sns:us-east-2:111111111111:sre';

/** An ECS service on a target group behind a listener, and alarms on the named metrics. */
function serviceWithAlarms(
  stack: Stack,
  metrics: Array<'jvm' | 'db' | '5xx-tg' | '5xx-lb' | 'unhealthy' | 'unhealthy-other'>,
) {
  const lb = new elbv2.CfnLoadBalancer(stack, 'Lb', { scheme: 'internal' });
  const tg = new elbv2.CfnTargetGroup(stack, 'Tg', {});
  const other = new elbv2.CfnTargetGroup(stack, 'OtherTg', {});
  new elbv2.CfnListener(stack, 'Listener', {
    loadBalancerArn: lb.ref,
    defaultActions: [{ type: 'forward', targetGroupArn: tg.ref }],
  });
  new ecs.CfnService(stack, 'Service', {
    loadBalancers: [{ containerName: 'app', containerPort: 8080, targetGroupArn: tg.ref }],
  });
  const alarm = (id: string, metricName: string, dimensions: cloudwatch.CfnAlarm.DimensionProperty[] = []) =>
    new cloudwatch.CfnAlarm(stack, id, {
      metricName,
      namespace: 'X',
      dimensions,
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
      threshold: 1,
      alarmActions: [TOPIC],
    });
  for (const m of metrics) {
    if (m === 'jvm') alarm('Jvm', KPI.jvmHeapMetric, [{ name: 'Environment', value: 'dev' }]);
    if (m === 'db') alarm('Db', KPI.dbPoolMetric);
    if (m === '5xx-tg')
      alarm('Tg5xx', 'HTTPCode_Target_5XX_Count', [
        { name: 'TargetGroup', value: tg.attrTargetGroupFullName },
      ]);
    if (m === '5xx-lb')
      alarm('Lb5xx', 'HTTPCode_Target_5XX_Count', [
        { name: 'LoadBalancer', value: lb.attrLoadBalancerFullName },
      ]);
    if (m === 'unhealthy')
      alarm('Unhealthy', 'UnHealthyHostCount', [{ name: 'TargetGroup', value: tg.attrTargetGroupFullName }]);
    if (m === 'unhealthy-other')
      alarm('UnhealthyOther', 'UnHealthyHostCount', [
        { name: 'TargetGroup', value: other.attrTargetGroupFullName },
      ]);
  }
}

describe('TAP-ALM-1 service KPI alarms', () => {
  test('passes with JVM heap, DB pool, 5xx (on the load balancer) and unhealthy-host alarms', () => {
    const { app, stack } = ruleTestStack();
    serviceWithAlarms(stack, ['jvm', 'db', '5xx-lb', 'unhealthy']);
    expect(ids(findingsOf(app, new ServiceKpiAlarmsRule(KPI)))).toEqual([]);
  });

  test('fails with TAP-ALM-1 when the JVM heap and DB pool alarms are missing', () => {
    const { app, stack } = ruleTestStack();
    serviceWithAlarms(stack, ['5xx-tg', 'unhealthy']);
    const findings = findingsOf(app, new ServiceKpiAlarmsRule(KPI));
    expect(ids(findings)).toEqual(['TAP-ALM-1 @ Service']);
    expect(findings[0].message).toContain(
      'has no alarm on JVM heap (JvmHeapUtilization), DB pool (DbConnectionPoolUtilization)',
    );
  });

  test("fails with TAP-ALM-1 when the unhealthy-host alarm watches another service's target group", () => {
    const { app, stack } = ruleTestStack();
    serviceWithAlarms(stack, ['jvm', 'db', '5xx-tg', 'unhealthy-other']);
    expect(findingsOf(app, new ServiceKpiAlarmsRule(KPI)).map((f) => f.message)).toEqual([
      expect.stringContaining('has no alarm on unhealthy targets'),
    ]);
  });
});

describe('TAP-ALM-2 alarm actions', () => {
  const metric = new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' });

  test('passes for an alarm that notifies a topic', () => {
    const { app, stack } = ruleTestStack();
    new cloudwatch.CfnAlarm(stack, 'Alarm', {
      metricName: 'Y',
      namespace: 'X',
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
      threshold: 1,
      alarmActions: [TOPIC],
    });
    expect(ids(findingsOf(app, new AlarmActionsRule()))).toEqual([]);
  });

  test('fails with TAP-ALM-2 for an alarm without action', () => {
    const { app, stack } = ruleTestStack();
    new cloudwatch.Alarm(stack, 'Silent', { metric, threshold: 1, evaluationPeriods: 1 });
    expect(ids(findingsOf(app, new AlarmActionsRule()))).toEqual(['TAP-ALM-2 @ Silent/Resource']);
  });

  test('fails with TAP-ALM-2 for an alarm whose actions are disabled', () => {
    const { app, stack } = ruleTestStack();
    new cloudwatch.CfnAlarm(stack, 'Disabled', {
      metricName: 'Y',
      namespace: 'X',
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
      threshold: 1,
      alarmActions: [TOPIC],
      actionsEnabled: false,
    });
    expect(findingsOf(app, new AlarmActionsRule()).map((f) => f.message)).toEqual([
      expect.stringContaining('has ActionsEnabled: false'),
    ]);
  });
});

describe('TAP-ALM-3 deployment rollback', () => {
  const group = (stack: Stack, props: Partial<codedeploy.CfnDeploymentGroupProps>) =>
    new codedeploy.CfnDeploymentGroup(stack, 'Group', {
      applicationName: 'app',
      serviceRoleArn: 'role',
      ...props,
    });
  const watching = { alarmConfiguration: { enabled: true, alarms: [{ name: 'tg-5xx' }] } };

  test('passes when the group watches alarms and rolls back on failure and alarm', () => {
    const { app, stack } = ruleTestStack();
    group(stack, {
      ...watching,
      autoRollbackConfiguration: {
        enabled: true,
        events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
      },
    });
    expect(ids(findingsOf(app, new DeploymentRollbackRule()))).toEqual([]);
  });

  test('fails with TAP-ALM-3 when automatic rollback is disabled', () => {
    const { app, stack } = ruleTestStack();
    group(stack, { ...watching, autoRollbackConfiguration: { enabled: false } });
    const findings = findingsOf(app, new DeploymentRollbackRule());
    expect(ids(findings)).toEqual(['TAP-ALM-3 @ Group']);
    expect(findings[0].message).toContain(
      'does not roll back automatically on DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM',
    );
  });

  test('fails with TAP-ALM-3 when the group watches no alarms', () => {
    const { app, stack } = ruleTestStack();
    group(stack, {
      autoRollbackConfiguration: {
        enabled: true,
        events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
      },
    });
    expect(findingsOf(app, new DeploymentRollbackRule()).map((f) => f.message)).toEqual([
      expect.stringContaining('watches no alarms'),
    ]);
  });
});

describe('TAP-ALM-3 rollback alarms on both target groups', () => {
  function blueGreen(stack: Stack, watchGreen: boolean) {
    const blue = new elbv2.CfnTargetGroup(stack, 'Blue', {});
    const green = new elbv2.CfnTargetGroup(stack, 'Green', {});
    const alarm = (id: string, metricName: string, tg: elbv2.CfnTargetGroup) =>
      new cloudwatch.CfnAlarm(stack, id, {
        metricName,
        namespace: 'AWS/ApplicationELB',
        dimensions: [{ name: 'TargetGroup', value: tg.attrTargetGroupFullName }],
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        evaluationPeriods: 2,
        threshold: 1,
      });
    const alarms = [
      alarm('Blue5xx', 'HTTPCode_Target_5XX_Count', blue),
      alarm('BlueHosts', 'UnHealthyHostCount', blue),
    ];
    if (watchGreen)
      alarms.push(
        alarm('Green5xx', 'HTTPCode_Target_5XX_Count', green),
        alarm('GreenHosts', 'UnHealthyHostCount', green),
      );
    new codedeploy.CfnDeploymentGroup(stack, 'Group', {
      applicationName: 'app',
      serviceRoleArn: 'role',
      alarmConfiguration: { enabled: true, alarms: alarms.map((a) => ({ name: a.ref })) },
      autoRollbackConfiguration: {
        enabled: true,
        events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
      },
      blueGreenDeploymentConfiguration: {},
      loadBalancerInfo: {
        targetGroupPairInfoList: [
          { targetGroups: [{ name: blue.attrTargetGroupName }, { name: green.attrTargetGroupName }] },
        ],
      },
    });
  }

  test('passes when both target groups have a 5xx and an unhealthy-host alarm', () => {
    const { app, stack } = ruleTestStack();
    blueGreen(stack, true);
    expect(ids(findingsOf(app, new DeploymentRollbackRule()))).toEqual([]);
  });

  test('fails with TAP-ALM-3 when the green alarms were removed', () => {
    const { app, stack } = ruleTestStack();
    blueGreen(stack, false);
    const findings = findingsOf(app, new DeploymentRollbackRule());
    expect(ids(findings)).toEqual(['TAP-ALM-3 @ Group']);
    expect(findings[0].message).toMatch(
      /watches no HTTPCode_Target_5XX_Count or UnHealthyHostCount alarm on target group Green\./,
    );
  });
});

describe('TAP-ALM-4 every alarm can fire', () => {
  const alarm = (stack: Stack, id: string, props: Partial<cloudwatch.CfnAlarmProps>) =>
    new cloudwatch.CfnAlarm(stack, id, {
      metricName: 'JvmHeapUtilization',
      namespace: 'OrderBroker',
      comparisonOperator: 'GreaterThanThreshold',
      threshold: 85,
      evaluationPeriods: 3,
      period: 60,
      ...props,
    });

  test('passes for reachable thresholds (85% heap, 0.25 s latency, 1 unhealthy host)', () => {
    const { app, stack } = ruleTestStack();
    alarm(stack, 'Heap', {});
    alarm(stack, 'Latency', { metricName: 'TargetResponseTime', threshold: 0.25 });
    alarm(stack, 'Hosts', {
      metricName: 'UnHealthyHostCount',
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      datapointsToAlarm: 2,
    });
    expect(ids(findingsOf(app, new AlarmCanFireRule()))).toEqual([]);
  });

  test('fails with TAP-ALM-4 for 150% heap, 0% CPU, 5 of 3 datapoints, 2000 minutes and below zero', () => {
    const { app, stack } = ruleTestStack();
    alarm(stack, 'Heap150', { threshold: 150 });
    alarm(stack, 'Cpu0', { metricName: 'CPUUtilization', threshold: 0 });
    alarm(stack, 'Datapoints', { datapointsToAlarm: 5 });
    alarm(stack, 'TooLong', { evaluationPeriods: 2000 });
    alarm(stack, 'BelowZero', {
      metricName: 'HealthyHostCount',
      comparisonOperator: 'LessThanThreshold',
      threshold: 0,
    });
    const findings = findingsOf(app, new AlarmCanFireRule());
    expect(findings.map((f) => `${f.path}: ${f.message.split('. Why')[0]}`).sort()).toEqual([
      'BelowZero: TAP-ALM-4: fires below 0, and the metric is never negative',
      'Cpu0: TAP-ALM-4: has a utilization threshold of 0: a percentage alarm must have 0 < threshold < 100',
      'Datapoints: TAP-ALM-4: needs 5 breaching datapoints out of 3: it can never fire',
      'Heap150: TAP-ALM-4: has a utilization threshold of 150: a percentage alarm must have 0 < threshold < 100',
      "TooLong: TAP-ALM-4: evaluates 2000 x 60 s = 120000 s, beyond CloudWatch's 86400 s",
    ]);
  });
});
