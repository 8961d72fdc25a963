import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { TradesStream } from '../../../lib/constructs/trades-stream';

/** The construct alone on a bare stack, with every prop given here (no profile data). */
function build(props: Omit<ConstructorParameters<typeof TradesStream>[2], 'dataKey'>) {
  const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'us-east-2' } });
  const dataKey = new kms.Key(stack, 'DataKey');
  const trades = new TradesStream(stack, 'Trades', { ...props, dataKey });
  return { stack, dataKey, trades, template: Template.fromStack(stack) };
}

describe('a created trades stream', () => {
  const { stack, dataKey, trades, template } = build({ stream: { mode: 'create', retentionHours: 48 } });

  test('is on-demand, encrypted with the given key, kept for the given hours, named trades', () => {
    template.resourceCountIs('AWS::Kinesis::Stream', 1);
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'trades',
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: {
        EncryptionType: 'KMS',
        KeyId: { 'Fn::GetAtt': [stack.getLogicalId(dataKey.node.defaultChild as kms.CfnKey), 'Arn'] },
      },
      RetentionPeriodHours: 48,
    });
    expect(trades.encryptionKey).toBe(dataKey);
  });

  test('survives stack deletion and updates that would replace it', () => {
    template.hasResource('AWS::Kinesis::Stream', {
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('takes another name when given one', () => {
    const named = build({ stream: { mode: 'create', retentionHours: 24 }, streamName: 'trades-integ' });
    expect(
      named.template.findResources('AWS::Kinesis::Stream', { Properties: { Name: 'trades-integ' } }),
    ).not.toEqual({});
  });
});

describe('an imported trades stream', () => {
  test('is referenced by name in the stack account and region, not created', () => {
    const { trades, template, stack } = build({ stream: { mode: 'import', streamName: 'orders-trades' } });
    template.resourceCountIs('AWS::Kinesis::Stream', 0);
    expect(stack.resolve(trades.stream.streamArn)).toEqual({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':kinesis:us-east-2:123456789012:stream/orders-trades'],
      ],
    });
    expect(trades.encryptionKey).toBeUndefined();
  });

  test('uses the given ARN and key', () => {
    const streamArn = 'arn:aws:kinesis:us-east-2:210987654321:stream/shared-trades';
    const keyArn = 'arn:aws:kms:us-east-2:210987654321:key/11111111-2222-3333-4444-555555555555';
    const { trades } = build({ stream: { mode: 'import', streamName: 'shared-trades', streamArn, keyArn } });
    expect(trades.stream.streamArn).toBe(streamArn);
    expect(trades.encryptionKey?.keyArn).toBe(keyArn);
  });
});
