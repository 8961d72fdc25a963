import type { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmActionsRule } from '../../aspects/alarms/alarm-actions';
import { AlarmTopicAccessRule } from '../../aspects/alarms/alarm-topic-access';
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
  const cfnAlarm = (stack: Stack, id: string, props: Partial<cloudwatch.CfnAlarmProps>) =>
    new cloudwatch.CfnAlarm(stack, id, {
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 2,
      threshold: 1,
      alarmActions: [TOPIC],
      ...props,
    });
  /** Alarms on every required trigger: target 5xx count, ALB 5xx, 5xx rate (math) and p99 latency. */
  const triggers = (stack: Stack, only?: string[]) => {
    const metric = (name: string) => ({
      metric: { namespace: 'AWS/ApplicationELB', metricName: name },
      period: 60,
      stat: 'Sum',
    });
    const all: Record<string, cloudwatch.CfnAlarm> = {
      Tg5xx: cfnAlarm(stack, 'Tg5xx', {
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_Target_5XX_Count',
        period: 60,
        statistic: 'Sum',
      }),
      Elb5xx: cfnAlarm(stack, 'Elb5xx', {
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_ELB_5XX_Count',
        period: 60,
        statistic: 'Sum',
      }),
      Rate: cfnAlarm(stack, 'Rate', {
        metrics: [
          { id: 'errors', metricStat: metric('HTTPCode_Target_5XX_Count'), returnData: false },
          { id: 'requests', metricStat: metric('RequestCount'), returnData: false },
          { id: 'rate', expression: 'IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)' },
        ],
      }),
      Latency: cfnAlarm(stack, 'Latency', {
        namespace: 'AWS/ApplicationELB',
        metricName: 'TargetResponseTime',
        period: 60,
        extendedStatistic: 'p99',
      }),
    };
    const names = Object.entries(all)
      .filter(([id]) => !only || only.includes(id))
      .map(([, a]) => ({ name: a.ref }));
    return { alarmConfiguration: { enabled: true, alarms: names } };
  };

  test('passes when the group watches alarms and rolls back on failure and alarm', () => {
    const { app, stack } = ruleTestStack();
    group(stack, {
      ...triggers(stack),
      autoRollbackConfiguration: {
        enabled: true,
        events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
      },
    });
    expect(ids(findingsOf(app, new DeploymentRollbackRule()))).toEqual([]);
  });

  test('fails with TAP-ALM-3 when automatic rollback is disabled', () => {
    const { app, stack } = ruleTestStack();
    group(stack, { ...triggers(stack), autoRollbackConfiguration: { enabled: false } });
    const findings = findingsOf(app, new DeploymentRollbackRule());
    expect(ids(findings)).toEqual(['TAP-ALM-3 @ Group']);
    expect(findings[0].message).toContain(
      'does not roll back automatically on DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM',
    );
  });

  test('fails with TAP-ALM-3 when the group watches only a target 5xx count (a light 10% canary slips through)', () => {
    const { app, stack } = ruleTestStack();
    group(stack, {
      ...triggers(stack, ['Tg5xx']),
      autoRollbackConfiguration: {
        enabled: true,
        events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
      },
    });
    const findings = findingsOf(app, new DeploymentRollbackRule());
    expect(ids(findings)).toEqual(['TAP-ALM-3 @ Group']);
    expect(findings[0].message).toContain(
      'has no rollback alarm on ALB-generated 5xx (HTTPCode_ELB_5XX_Count), 5xx rate (metric math over RequestCount and HTTPCode_Target_5XX_Count), latency (TargetResponseTime)',
    );
  });

  test('fails with TAP-ALM-3 when the group watches more alarms than CodeDeploy accepts (10)', () => {
    const { app, stack } = ruleTestStack();
    const config = triggers(stack).alarmConfiguration;
    const extra = Array.from({ length: 11 - config.alarms.length }, (_, i) => ({
      name: cfnAlarm(stack, `Extra${i}`, { namespace: 'Test', metricName: `Extra${i}`, period: 60 }).ref,
    }));
    group(stack, {
      alarmConfiguration: { enabled: true, alarms: [...config.alarms, ...extra] },
      autoRollbackConfiguration: {
        enabled: true,
        events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
      },
    });
    expect(findingsOf(app, new DeploymentRollbackRule()).map((f) => f.message)).toEqual([
      expect.stringContaining('watches 11 alarms; CodeDeploy accepts at most 10 per deployment group'),
    ]);
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

describe('TAP-ALM-4 alarm topics let CloudWatch publish and use the key', () => {
  const cwPublish = (topicRef: string, conditions = true) => ({
    Effect: 'Allow',
    Principal: { Service: 'cloudwatch.amazonaws.com' },
    Action: 'sns:Publish',
    Resource: topicRef,
    ...(conditions
      ? {
          Condition: {
            StringEquals: { 'aws:SourceAccount': '111111111111' },
            ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-2:111111111111:alarm:*' },
          },
        }
      : {}),
  });
  const denyInsecure = {
    Effect: 'Deny',
    Principal: '*',
    Action: 'sns:Publish',
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
  const cwKey = {
    Effect: 'Allow',
    Principal: { Service: 'cloudwatch.amazonaws.com' },
    Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    Resource: '*',
    Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
  };

  function topicWithAlarm(
    stack: Stack,
    options: { statements?: object[]; keyStatements?: object[]; kmsMasterKeyId?: string },
  ): void {
    const key =
      options.keyStatements &&
      new kms.CfnKey(stack, 'Key', {
        keyPolicy: { Version: '2012-10-17', Statement: options.keyStatements },
      });
    const topic = new sns.CfnTopic(stack, 'Topic', {
      kmsMasterKeyId: key ? key.attrArn : options.kmsMasterKeyId,
    });
    if (options.statements) {
      new sns.CfnTopicPolicy(stack, 'Policy', {
        topics: [topic.ref],
        policyDocument: { Version: '2012-10-17', Statement: options.statements },
      });
    }
    new cloudwatch.CfnAlarm(stack, 'Alarm', {
      metricName: 'X',
      namespace: 'X',
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
      threshold: 1,
      alarmActions: [topic.ref],
    });
  }

  test('passes when the topic policy allows CloudWatch (scoped) and the key lets CloudWatch use it', () => {
    const { app, stack } = ruleTestStack();
    topicWithAlarm(stack, { statements: [denyInsecure, cwPublish('t')], keyStatements: [cwKey] });
    expect(ids(findingsOf(app, new AlarmTopicAccessRule()))).toEqual([]);
  });

  test('passes for a topic no alarm notifies', () => {
    const { app, stack } = ruleTestStack();
    new sns.CfnTopic(stack, 'Topic', {});
    new sns.CfnTopicPolicy(stack, 'Policy', {
      topics: [new sns.CfnTopic(stack, 'Other', {}).ref],
      policyDocument: { Statement: [denyInsecure] },
    });
    expect(ids(findingsOf(app, new AlarmTopicAccessRule()))).toEqual([]);
  });

  test('fails with TAP-ALM-4 when the only topic policy statement is the TLS Deny (enforceSSL alone)', () => {
    const { app, stack } = ruleTestStack();
    topicWithAlarm(stack, { statements: [denyInsecure], keyStatements: [cwKey] });
    const findings = findingsOf(app, new AlarmTopicAccessRule());
    expect(ids(findings)).toEqual(['TAP-ALM-4 @ Topic']);
    expect(findings[0].message).toContain(
      'is an alarm action but no topic policy allows cloudwatch.amazonaws.com sns:Publish',
    );
  });

  test('fails with TAP-ALM-4 when CloudWatch may publish without source conditions', () => {
    const { app, stack } = ruleTestStack();
    topicWithAlarm(stack, { statements: [cwPublish('t', false)], keyStatements: [cwKey] });
    expect(findingsOf(app, new AlarmTopicAccessRule()).map((f) => f.message)).toEqual([
      expect.stringContaining('without StringEquals aws:SourceAccount and ArnLike aws:SourceArn'),
    ]);
  });

  test("fails with TAP-ALM-4 when the topic's key does not let CloudWatch decrypt", () => {
    const { app, stack } = ruleTestStack();
    topicWithAlarm(stack, {
      statements: [cwPublish('t')],
      keyStatements: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111111111111:root' },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    });
    const findings = findingsOf(app, new AlarmTopicAccessRule());
    expect(ids(findings)).toEqual(['TAP-ALM-4 @ Topic']);
    expect(findings[0].message).toContain(
      'whose policy does not let CloudWatch kms:Decrypt and kms:GenerateDataKey*',
    );
  });

  test('fails with TAP-ALM-4 when the topic uses the AWS managed SNS key', () => {
    const { app, stack } = ruleTestStack();
    topicWithAlarm(stack, { statements: [cwPublish('t')], kmsMasterKeyId: 'alias/aws/sns' });
    expect(findingsOf(app, new AlarmTopicAccessRule()).map((f) => f.message)).toEqual([
      expect.stringContaining('is encrypted with a key outside this stack (alias/aws/sns)'),
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
    // The triggers every group needs besides (TAP-ALM-3): ALB 5xx, a 5xx rate over RequestCount, latency.
    const stat = (id: string, metricName: string) => ({
      id,
      returnData: false,
      metricStat: {
        metric: {
          namespace: 'AWS/ApplicationELB',
          metricName,
          dimensions: [{ name: 'TargetGroup', value: blue.attrTargetGroupFullName }],
        },
        period: 60,
        stat: 'Sum',
      },
    });
    alarms.push(
      alarm('Elb5xx', 'HTTPCode_ELB_5XX_Count', blue),
      alarm('Latency', 'TargetResponseTime', blue),
      new cloudwatch.CfnAlarm(stack, 'Rate5xx', {
        comparisonOperator: 'GreaterThanThreshold',
        evaluationPeriods: 2,
        threshold: 5,
        metrics: [
          { id: 'rate', expression: '100 * errors / requests', returnData: true },
          stat('errors', 'HTTPCode_Target_5XX_Count'),
          stat('requests', 'RequestCount'),
        ],
      }),
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

describe('TAP-ALM-5 every alarm can fire', () => {
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

  test('fails with TAP-ALM-5 for 150% heap, 0% CPU, 5 of 3 datapoints, 2000 minutes and below zero', () => {
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
      'BelowZero: TAP-ALM-5: fires below 0, and the metric is never negative',
      'Cpu0: TAP-ALM-5: has a utilization threshold of 0: a percentage alarm must have 0 < threshold < 100',
      'Datapoints: TAP-ALM-5: needs 5 breaching datapoints out of 3: it can never fire',
      'Heap150: TAP-ALM-5: has a utilization threshold of 150: a percentage alarm must have 0 < threshold < 100',
      "TooLong: TAP-ALM-5: evaluates 2000 x 60 s = 120000 s, beyond CloudWatch's 86400 s",
    ]);
  });
});
