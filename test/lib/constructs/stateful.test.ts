import { Match, type Template } from 'aws-cdk-lib/assertions';
import { synthTemplate } from '../../helpers/synth';
import { IMPORTED_DATABASE } from '../../helpers/imports';

/**
 * Logical IDs of the stateful resources are an API: a refactor that renames a construct path on the way to
 * one of these replaces the resource, and for these that means data loss. If this test fails, do not update
 * the list: restore the construct path (or pin the old ID with overrideLogicalId) instead.
 */
const PINNED = {
  KeysDataKey8F3FE3A4: 'AWS::KMS::Key',
  KeysLogsKeyD24E82DB: 'AWS::KMS::Key',
  KeysAlertsKeyA195AD70: 'AWS::KMS::Key',
  TradesStream19F67E15: 'AWS::Kinesis::Stream',
  OrdersDatabaseClusterAE2D01D0: 'AWS::RDS::DBCluster',
  OrdersDatabasePostgresLogGroupF1A04DF8: 'AWS::Logs::LogGroup',
  NetworkFlowLogGroup4F8CEEEF: 'AWS::Logs::LogGroup',
  PlatformTaskDefinitionsLogGroupF5F8DD54: 'AWS::Logs::LogGroup',
  PlatformLoadBalancingAccessLogsBF2FB494: 'AWS::S3::Bucket',
  PlatformValidationHookLogGroupC6E5DA64: 'AWS::Logs::LogGroup',
  PlatformDbBootstrapLogGroupE6583E72: 'AWS::Logs::LogGroup',
  PlatformDbBootstrapProviderLogGroup64F2EE2B: 'AWS::Logs::LogGroup',
} as const;

const STATEFUL_TYPES = [
  'AWS::KMS::Key',
  'AWS::Kinesis::Stream',
  'AWS::RDS::DBCluster',
  'AWS::Logs::LogGroup',
  'AWS::S3::Bucket',
];

describe.each(['dev', 'prod'])('%s', (profile) => {
  let template: Template;
  let resources: Record<string, any>;
  beforeAll(() => {
    template = synthTemplate({ profile });
    resources = template.toJSON().Resources;
  });

  test('stateful resources keep their pinned logical IDs', () => {
    for (const [logicalId, type] of Object.entries(PINNED)) {
      expect({ logicalId, type: resources[logicalId]?.Type }).toEqual({ logicalId, type });
    }
  });

  test('every stateful resource is pinned (a new one must be added to the list)', () => {
    const stateful = Object.entries(resources)
      .filter(([, r]) => STATEFUL_TYPES.includes(r.Type))
      .map(([id]) => id)
      .sort();
    expect(stateful).toEqual(Object.keys(PINNED).sort());
  });

  // RetainExceptOnCreate: kept on stack deletion and replacement, deleted by the rollback of a failed first
  // create, so the retry does not fail on a leftover `trades` stream or log group name. The ALB access-log
  // bucket keeps plain Retain (non-empty at once, so a rollback could not delete it; it has no fixed name).
  test('keys, stream and log groups are retained on delete (except on a failed create) and on replacement', () => {
    for (const [logicalId, type] of Object.entries(PINNED)) {
      if (type === 'AWS::RDS::DBCluster' || type === 'AWS::S3::Bucket') continue;
      expect({
        logicalId,
        deletion: resources[logicalId].DeletionPolicy,
        replace: resources[logicalId].UpdateReplacePolicy,
      }).toEqual({
        logicalId,
        deletion: 'RetainExceptOnCreate',
        replace: 'Retain',
      });
    }
  });

  test('the access-log bucket keeps plain Retain', () => {
    for (const [logicalId, type] of Object.entries(PINNED)) {
      if (type !== 'AWS::S3::Bucket') continue;
      expect([resources[logicalId].DeletionPolicy, resources[logicalId].UpdateReplacePolicy]).toEqual([
        'Retain',
        'Retain',
      ]);
    }
  });

  test('the orders database is snapshotted, deletion-protected, encrypted and backed up', () => {
    template.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
      Properties: Match.objectLike({
        Engine: 'aurora-postgresql',
        DeletionProtection: true,
        StorageEncrypted: true,
        KmsKeyId: { 'Fn::GetAtt': ['KeysDataKey8F3FE3A4', 'Arn'] },
        EnableIAMDatabaseAuthentication: true,
        BackupRetentionPeriod: profile === 'prod' ? 35 : 7,
        CopyTagsToSnapshot: true,
        EnableCloudwatchLogsExports: ['postgresql'],
        ManageMasterUserPassword: true,
        DBClusterIdentifier: `orders-${profile}`,
      }),
    });
  });

  test('database instances are private and monitored', () => {
    const instances = Object.values(template.findResources('AWS::RDS::DBInstance'));
    expect(instances).toHaveLength(profile === 'prod' ? 2 : 1);
    for (const instance of instances) {
      expect(instance.Properties).toMatchObject({
        PubliclyAccessible: false,
        EnablePerformanceInsights: true,
        MonitoringInterval: 60,
        DBInstanceClass: profile === 'prod' ? 'db.r7g.xlarge' : 'db.t4g.medium',
      });
    }
  });

  test('the trades stream is on-demand and encrypted with the data key', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'trades',
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: { 'Fn::GetAtt': ['KeysDataKey8F3FE3A4', 'Arn'] } },
      RetentionPeriodHours: profile === 'prod' ? 168 : 24,
    });
  });

  test('keys rotate', () => {
    for (const key of Object.values(template.findResources('AWS::KMS::Key'))) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
    }
  });

  test('every log group is encrypted with the logs key and has a retention', () => {
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': ['KeysLogsKeyD24E82DB', 'Arn'] });
      expect(group.Properties.RetentionInDays).toBe(profile === 'prod' ? 400 : 30);
    }
  });
});

test('imported stream and database are referenced, not created', () => {
  const template = synthTemplate({
    tradesStreamArn: 'arn:aws:kinesis:us-east-2:123456789012:stream/trades',
    ...IMPORTED_DATABASE,
  });
  template.resourceCountIs('AWS::Kinesis::Stream', 0);
  template.resourceCountIs('AWS::RDS::DBCluster', 0);
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Action: 'rds-db:connect',
          Resource: Match.objectLike({
            'Fn::Join': ['', Match.arrayWith([':dbuser:cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ/orderbroker'])],
          }),
        }),
      ]),
    },
  });
  template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
    GroupId: 'sg-0123456789abcdef0',
    FromPort: 5432,
    SourceSecurityGroupId: {
      'Fn::GetAtt': [Match.stringLikeRegexp('^PlatformOrderBrokerSecurityGroup'), 'GroupId'],
    },
  });
});
