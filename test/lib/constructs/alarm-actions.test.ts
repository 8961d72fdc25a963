import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { notifyOnAlarmAndOk } from '../../../lib/constructs/alarm-actions';

test('an alarm notifies the same action on ALARM and on OK, and nothing on INSUFFICIENT_DATA', () => {
  const stack = new Stack(new App(), 'S');
  const topic = new sns.Topic(stack, 'Topic');
  const alarm = new cloudwatch.Alarm(stack, 'Alarm', {
    metric: new cloudwatch.Metric({ namespace: 'N', metricName: 'M' }),
    threshold: 1,
    evaluationPeriods: 1,
  });
  expect(notifyOnAlarmAndOk(alarm, new actions.SnsAction(topic))).toBe(alarm);
  const [props] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map(
    (r) => r.Properties as Record<string, unknown>,
  );
  const topicRef = { Ref: Object.keys(Template.fromStack(stack).findResources('AWS::SNS::Topic'))[0] };
  expect(props.AlarmActions).toEqual([topicRef]);
  expect(props.OKActions).toEqual([topicRef]);
  expect(props.InsufficientDataActions).toBeUndefined();
});
