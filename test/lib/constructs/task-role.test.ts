import { Match, type Template } from 'aws-cdk-lib/assertions';
import { resourceByPrefix, synthTemplate } from '../../helpers/synth';

let dev: Template;
beforeAll(() => {
  dev = synthTemplate();
});

/** The single policy attached to the role whose logical ID starts with `rolePrefix`. */
function policyStatementsOf(template: Template, rolePrefix: string): any[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
    p.Properties.Roles.some((r: any) => r.Ref.startsWith(rolePrefix)),
  );
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}

describe('OrderBroker task role', () => {
  test('holds exactly: write trades, encrypt with the stream key, connect to orders as the service user', () => {
    expect(policyStatementsOf(dev, 'PlatformTaskRole')).toEqual([
      {
        Sid: 'WriteTrades',
        Effect: 'Allow',
        Action: ['kinesis:PutRecord', 'kinesis:PutRecords'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^TradesStream/), 'Arn'] },
      },
      {
        Sid: 'EncryptTrades',
        Effect: 'Allow',
        Action: 'kms:GenerateDataKey',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^KeysDataKey/), 'Arn'] },
      },
      {
        Sid: 'ConnectOrdersDatabase',
        Effect: 'Allow',
        Action: 'rds-db:connect',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:aws:rds-db:us-east-2:',
              { Ref: 'AWS::AccountId' },
              ':dbuser:',
              { 'Fn::GetAtt': [expect.stringMatching(/^OrdersDatabaseCluster/), 'DBClusterResourceId'] },
              '/orderbroker',
            ],
          ],
        },
      },
    ]);
  });

  test('has no managed policies and no inline policies besides its default policy', () => {
    const role = resourceByPrefix(dev, 'AWS::IAM::Role', 'PlatformTaskRole');
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
  });

  test('can be assumed only by ECS tasks of this account', () => {
    dev.hasResourceProperties('AWS::IAM::Role', {
      Description: Match.stringLikeRegexp('^OrderBroker tasks'),
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { Service: 'ecs-tasks.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': Match.objectLike({ 'Fn::Join': Match.anyValue() }) },
            },
          },
        ],
      },
    });
  });

  test('is the task role of both task definitions', () => {
    for (const def of Object.values(dev.findResources('AWS::ECS::TaskDefinition'))) {
      expect(def.Properties.TaskRoleArn).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^PlatformTaskRole/), 'Arn'],
      });
    }
  });

  test('without a customer key on an imported stream, it gets no KMS permission at all', () => {
    const template = synthTemplate({ tradesStreamName: 'trades-legacy' });
    const statements = policyStatementsOf(template, 'PlatformTaskRole');
    expect(statements.map((s: any) => s.Sid)).toEqual(['WriteTrades', 'ConnectOrdersDatabase']);
    expect(statements[0].Resource).toEqual({
      'Fn::Join': ['', ['arn:aws:kinesis:us-east-2:', { Ref: 'AWS::AccountId' }, ':stream/trades-legacy']],
    });
  });

  test('with an imported stream key, KMS is scoped to that key', () => {
    const keyArn = 'arn:aws:kms:us-east-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const statements = policyStatementsOf(
      synthTemplate({ tradesStreamName: 'trades-legacy', tradesStreamKeyArn: keyArn }),
      'PlatformTaskRole',
    );
    expect(statements[1]).toEqual({
      Sid: 'EncryptTrades',
      Effect: 'Allow',
      Action: 'kms:GenerateDataKey',
      Resource: keyArn,
    });
  });
});

describe('execution role', () => {
  test('is a separate role that only pulls the image and writes the service logs', () => {
    expect(policyStatementsOf(dev, 'PlatformTaskDefinitionsExecutionRole')).toEqual([
      {
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        Resource: {
          'Fn::Join': ['', ['arn:aws:ecr:us-east-2:', { Ref: 'AWS::AccountId' }, ':repository/orderbroker']],
        },
      },
      // GetAuthorizationToken accepts only "*" (it is not scoped to a repository).
      { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^PlatformTaskDefinitionsLogGroup/), 'Arn'] },
      },
    ]);
  });

  test('is shared by both task definitions', () => {
    const roles = Object.values(dev.findResources('AWS::ECS::TaskDefinition')).map(
      (d) => d.Properties.ExecutionRoleArn,
    );
    expect(roles[0]).toEqual(roles[1]);
    expect(roles[0]).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^PlatformTaskDefinitionsExecutionRole/), 'Arn'],
    });
  });
});
