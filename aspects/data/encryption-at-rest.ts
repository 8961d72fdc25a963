import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { type CfnProperties, render } from '../template';

/** For each type holding data: the check that its data is encrypted at rest, and what to set when not. */
const ENCRYPTION_CHECKS: Record<string, { check: (p: CfnProperties) => boolean; setting: string }> = {
  'AWS::Logs::LogGroup': {
    check: (p) => p.KmsKeyId !== undefined,
    setting: 'KmsKeyId (encryptionKey: the logs key)',
  },
  'AWS::Kinesis::Stream': {
    check: (p) => (p.StreamEncryption as { EncryptionType?: string } | undefined)?.EncryptionType === 'KMS',
    setting: 'StreamEncryption with EncryptionType KMS',
  },
  'AWS::RDS::DBCluster': { check: (p) => p.StorageEncrypted === true, setting: 'StorageEncrypted: true' },
  'AWS::RDS::DBInstance': {
    // Instances of a cluster inherit the cluster's storage encryption.
    check: (p) => p.DBClusterIdentifier !== undefined || p.StorageEncrypted === true,
    setting: 'StorageEncrypted: true',
  },
  'AWS::S3::Bucket': { check: (p) => p.BucketEncryption !== undefined, setting: 'BucketEncryption' },
  'AWS::SNS::Topic': { check: (p) => p.KmsMasterKeyId !== undefined, setting: 'KmsMasterKeyId (masterKey)' },
  'AWS::SQS::Queue': {
    check: (p) => p.KmsMasterKeyId !== undefined || p.SqsManagedSseEnabled !== false,
    setting: 'KmsMasterKeyId or SqsManagedSseEnabled',
  },
  'AWS::DynamoDB::Table': {
    check: (p) => (p.SSESpecification as { SSEEnabled?: boolean } | undefined)?.SSEEnabled === true,
    setting: 'SSESpecification.SSEEnabled: true',
  },
  'AWS::EFS::FileSystem': { check: (p) => p.Encrypted === true, setting: 'Encrypted: true' },
};

/** TAP-DAT-2: data at rest is encrypted: log groups, streams, databases, buckets, topics, queues, tables. */
export class EncryptionAtRestRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-DAT-2',
    area: 'DAT',
    title: 'Resources that store data encrypt it at rest',
    rationale: 'Trades, orders and the logs that describe them are confidential (PCI DSS 3.4, NIST SC-28).',
    fix: 'Encrypt with the platform key for the data (PlatformKeys: dataKey, logsKey, alertsKey).',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const rule = ENCRYPTION_CHECKS[node.cfnResourceType];
    if (!rule) return;
    if (!rule.check(render(node).properties))
      this.report(node, `is not encrypted at rest: set ${rule.setting}`);
  }
}
