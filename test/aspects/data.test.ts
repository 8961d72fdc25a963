import { RemovalPolicy } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DeletionProtectionRule } from '../../aspects/data/deletion-protection';
import { EncryptionAtRestRule } from '../../aspects/data/encryption-at-rest';
import { LogRetentionRule } from '../../aspects/data/log-retention';
import { StatefulRetentionRule } from '../../aspects/data/stateful-retention';
import { findingsOf, ids, ruleTestStack } from '../helpers/rules';

describe('TAP-DAT-1 stateful resources retained', () => {
  test('passes for a log group retained except on create, a snapshotted cluster and its (deleted) instance', () => {
    const { app, stack } = ruleTestStack();
    new logs.LogGroup(stack, 'Logs', { removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
    new s3.CfnBucket(stack, 'Bucket').applyRemovalPolicy(RemovalPolicy.RETAIN);
    const cluster = new rds.CfnDBCluster(stack, 'Cluster', { engine: 'aurora-postgresql' });
    cluster.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
    new rds.CfnDBInstance(stack, 'Writer', {
      dbClusterIdentifier: cluster.ref,
      dbInstanceClass: 'db.r7g.large',
    });
    expect(ids(findingsOf(app, new StatefulRetentionRule()))).toEqual([]);
  });

  test('fails with TAP-DAT-1 for a log group destroyed with the stack', () => {
    const { app, stack } = ruleTestStack();
    new logs.LogGroup(stack, 'Logs', { removalPolicy: RemovalPolicy.DESTROY });
    expect(
      findingsOf(app, new StatefulRetentionRule()).map(
        (f) => `${f.ruleId} @ ${f.path}: ${f.message.split('.')[0]}`,
      ),
    ).toEqual([
      'TAP-DAT-1 @ Logs/Resource: TAP-DAT-1: has DeletionPolicy Delete',
      'TAP-DAT-1 @ Logs/Resource: TAP-DAT-1: has UpdateReplacePolicy Delete',
    ]);
  });

  test('fails with TAP-DAT-1 for a named stream kept with plain Retain (a failed create leaves it behind)', () => {
    const { app, stack } = ruleTestStack();
    new kinesis.CfnStream(stack, 'Stream', { name: 'trades' }).applyRemovalPolicy(RemovalPolicy.RETAIN);
    const findings = findingsOf(app, new StatefulRetentionRule());
    expect(ids(findings)).toEqual(['TAP-DAT-1 @ Stream']);
    expect(findings[0].message).toContain(
      'has DeletionPolicy Retain: the rollback of a failed first create leaves it behind and the retry fails with "already exists"',
    );
  });

  test('fails with TAP-DAT-1 for a standalone database instance without policies', () => {
    const { app, stack } = ruleTestStack();
    new rds.CfnDBInstance(stack, 'Db', { dbInstanceClass: 'db.t4g.micro', engine: 'postgres' });
    expect(findingsOf(app, new StatefulRetentionRule()).map((f) => f.ruleId)).toEqual([
      'TAP-DAT-1',
      'TAP-DAT-1',
    ]);
  });
});

describe('TAP-DAT-2 encryption at rest', () => {
  test('passes for a KMS-encrypted log group and stream', () => {
    const { app, stack } = ruleTestStack();
    const key = new kms.Key(stack, 'Key');
    new logs.LogGroup(stack, 'Logs', { encryptionKey: key });
    new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key });
    expect(ids(findingsOf(app, new EncryptionAtRestRule()))).toEqual([]);
  });

  test('fails with TAP-DAT-2 for an unencrypted log group', () => {
    const { app, stack } = ruleTestStack();
    new logs.LogGroup(stack, 'Logs');
    const findings = findingsOf(app, new EncryptionAtRestRule());
    expect(ids(findings)).toEqual(['TAP-DAT-2 @ Logs/Resource']);
    expect(findings[0].message).toContain('is not encrypted at rest: set KmsKeyId');
  });

  test('fails with TAP-DAT-2 for an unencrypted stream and database cluster', () => {
    const { app, stack } = ruleTestStack();
    new kinesis.CfnStream(stack, 'Stream', { shardCount: 1 });
    new rds.CfnDBCluster(stack, 'Cluster', { engine: 'aurora-postgresql', storageEncrypted: false });
    expect(ids(findingsOf(app, new EncryptionAtRestRule()))).toEqual([
      'TAP-DAT-2 @ Cluster',
      'TAP-DAT-2 @ Stream',
    ]);
  });
});

describe('TAP-DAT-3 deletion protection', () => {
  test('passes for a deletion-protected cluster', () => {
    const { app, stack } = ruleTestStack();
    new rds.CfnDBCluster(stack, 'Cluster', { engine: 'aurora-postgresql', deletionProtection: true });
    expect(ids(findingsOf(app, new DeletionProtectionRule()))).toEqual([]);
  });

  test('fails with TAP-DAT-3 for a cluster without deletion protection', () => {
    const { app, stack } = ruleTestStack();
    new rds.CfnDBCluster(stack, 'Cluster', { engine: 'aurora-postgresql' });
    expect(ids(findingsOf(app, new DeletionProtectionRule()))).toEqual(['TAP-DAT-3 @ Cluster']);
  });
});

describe('TAP-DAT-4 log retention', () => {
  test('passes for a log group with a retention', () => {
    const { app, stack } = ruleTestStack();
    new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.THIRTEEN_MONTHS });
    expect(ids(findingsOf(app, new LogRetentionRule()))).toEqual([]);
  });

  test('fails with TAP-DAT-4 for a log group that never expires', () => {
    const { app, stack } = ruleTestStack();
    new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.INFINITE });
    expect(ids(findingsOf(app, new LogRetentionRule()))).toEqual(['TAP-DAT-4 @ Logs/Resource']);
  });
});
