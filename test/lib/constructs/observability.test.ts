import { Match, type Template } from 'aws-cdk-lib/assertions';
import { synthTemplate } from '../../helpers/synth';

let dev: Template;
beforeAll(() => {
  dev = synthTemplate();
});

const topicRef = { Ref: Match.stringLikeRegexp('^PlatformObservabilitySreTopic') };

describe('SRE topic', () => {
  test('is encrypted with the alerts key', () => {
    dev.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'orderbroker-dev-sre-alarms',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KeysAlertsKey'), 'Arn'] },
    });
  });

  test('refuses publishing without TLS', () => {
    dev.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topicRef],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  test('lets CloudWatch alarms of this account publish: the TLS-only topic policy replaces the default one', () => {
    const alarmArn = {
      'Fn::Join': ['', ['arn:aws:cloudwatch:us-east-2:', { Ref: 'AWS::AccountId' }, ':alarm:*']],
    };
    dev.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topicRef],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowCloudWatchAlarmsOfThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topicRef,
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': alarmArn },
            },
          },
        ]),
      },
    });
    dev.hasResourceProperties('AWS::KMS::Key', {
      Description: 'OrderBroker SRE alarm topic',
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': alarmArn },
            },
          }),
        ]),
      },
    });
  });

  test('lets CloudWatch alarms use the alerts key, or notifications would be dropped', () => {
    dev.hasResourceProperties('AWS::KMS::Key', {
      Description: 'OrderBroker SRE alarm topic',
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });

  test('has no subscription unless an e-mail is configured', () => {
    dev.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  test('subscribes the configured e-mail', () => {
    synthTemplate({ alarmEmail: 'sre-oncall@example.com' }).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'sre-oncall@example.com',
      TopicArn: topicRef,
    });
  });
});

describe('KPI alarms', () => {
  test.each([
    ['JvmHeapUtilization', 85],
    ['DbConnectionPoolUtilization', 80],
  ])('%s from the service EMF metrics alarms above %d%% for three minutes', (metricName, threshold) => {
    dev.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'TradingPlatform/OrderBroker',
      MetricName: metricName,
      Dimensions: [{ Name: 'Environment', Value: 'dev' }],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: threshold,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
  });

  test.each(['JvmHeapUtilization', 'DbConnectionPoolUtilization'])(
    '%s notifies when the application stops emitting it (missing data is breaching)',
    (metricName) => {
      dev.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metricName,
        TreatMissingData: 'breaching',
      });
    },
  );

  test('target 5xx on the load balancer', () => {
    dev.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Dimensions: [{ Name: 'LoadBalancer', Value: Match.anyValue() }],
      Threshold: 10,
      AlarmActions: [topicRef],
    });
  });

  test('p99 latency', () => {
    dev.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'TargetResponseTime',
      ExtendedStatistic: 'p99',
      Threshold: 0.25,
      AlarmActions: [topicRef],
    });
  });

  test.each(['CPUUtilization', 'MemoryUtilization'])('service %s', (metricName) => {
    dev.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ECS',
      MetricName: metricName,
      Threshold: 85,
      EvaluationPeriods: 5,
      AlarmActions: [topicRef],
    });
  });

  test('every alarm has an action, and every alarm that is not a scaling trigger notifies the SRE topic', () => {
    const alarms = Object.entries(dev.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(10);
    const actionsOf = (id: string, alarm: any) => ({ id, actions: alarm.Properties.AlarmActions ?? [] });
    const trigger = /(CpuBurst|InFlightBurst)Upper/;
    const scaling = alarms.filter(([id]) => trigger.test(id));
    const notifying = alarms.filter(([id]) => !trigger.test(id));
    expect(scaling).toHaveLength(2);
    for (const [id, alarm] of scaling) {
      const policy = trigger.exec(id)![1];
      expect(actionsOf(id, alarm)).toEqual({
        id,
        actions: [{ Ref: expect.stringMatching(new RegExp(`${policy}UpperPolicy`)) }],
      });
    }
    for (const [id, alarm] of notifying) {
      expect(actionsOf(id, alarm)).toEqual({
        id,
        actions: [{ Ref: expect.stringMatching(/^PlatformObservabilitySreTopic/) }],
      });
    }
  });
});

test('a dashboard shows the service', () => {
  dev.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'orderbroker-dev-service' });
  const body = JSON.stringify(
    Object.values(dev.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody,
  );
  for (const expected of [
    'RunningTaskCount',
    'JvmHeapUtilization',
    'DbConnectionPoolUtilization',
    'TargetResponseTime',
  ]) {
    expect(body).toContain(expected);
  }
});
