import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { PlatformKeys } from '../../../lib/constructs/platform-keys';

/** The construct alone on a bare stack in a fixed environment, with its one prop given here. */
const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'us-east-2' } });
const keys = new PlatformKeys(stack, 'Keys', { aliasPrefix: 'ob-test' });
const template = Template.fromStack(stack);
const logicalId = (key: kms.Key) => stack.getLogicalId(key.node.defaultChild as kms.CfnKey);

test('three keys, one per concern, aliased under the given prefix', () => {
  template.resourceCountIs('AWS::KMS::Key', 3);
  for (const [alias, key] of [
    ['alias/ob-test/data', keys.dataKey],
    ['alias/ob-test/logs', keys.logsKey],
    ['alias/ob-test/alerts', keys.alertsKey],
  ] as const) {
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: alias,
      TargetKeyId: { 'Fn::GetAtt': [logicalId(key), 'Arn'] },
    });
  }
});

test('every key rotates and outlives the stack', () => {
  for (const key of Object.values(template.findResources('AWS::KMS::Key'))) {
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('RetainExceptOnCreate');
  }
});

test('the logs key serves CloudWatch Logs of this region, for log groups of this account and region only', () => {
  const policy = template.findResources('AWS::KMS::Key')[logicalId(keys.logsKey)].Properties.KeyPolicy;
  expect(policy.Statement).toContainEqual(
    expect.objectContaining({
      Sid: 'AllowCloudWatchLogsOfThisAccount',
      Principal: { Service: 'logs.us-east-2.amazonaws.com' },
      Condition: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-2:123456789012:log-group:*']],
          },
        },
      },
    }),
  );
});

test('the alerts key lets CloudWatch alarms of this account publish to the encrypted topic', () => {
  template.hasResourceProperties('AWS::KMS::Key', {
    KeyPolicy: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Sid: 'AllowCloudWatchAlarmsToPublish',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': '123456789012' } }),
        }),
      ]),
    },
  });
});
