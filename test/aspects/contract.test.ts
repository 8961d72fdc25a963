import { ArnFormat, type CfnResource } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { BackupRetentionRule } from '../../aspects/data/backup-retention';
import { KeyPolicyAccountsRule } from '../../aspects/data/key-policy-accounts';
import { TopicSubscribeRule } from '../../aspects/data/topic-subscribe';
import { ContainerSecretsRule } from '../../aspects/iam/container-secrets';
import { ResourcePolicyPrincipalsRule } from '../../aspects/iam/resource-policy-principals';
import { TaskDefinitionTaskRoleRule } from '../../aspects/iam/task-definition-task-role';
import { TaskRoleGrantsRule } from '../../aspects/iam/task-role-grants';
import { TaskRoleTrustRule } from '../../aspects/iam/task-role-trust';
import { FOREIGN_PRINCIPALS_ALLOWED } from '../../lib/compliance/access-matrix';
import { TASK_ROLE_ALLOWED_ACTIONS } from '../../lib/constructs/task-role';
import { findingsIn, findingsOf, ids, ruleTestStack } from '../helpers/rules';
import { buildApp } from '../helpers/synth';

const FOREIGN = 'arn:aws:iam::999999999999:root';

/** A task role with the contract trust policy, a task definition using it, a stream. */
function contractStack() {
  const t = ruleTestStack();
  const stack = t.stack;
  const role = new iam.Role(stack, 'TaskRole', {
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'ecs',
            resource: '*',
            arnFormat: ArnFormat.NO_RESOURCE_NAME,
          }),
        },
      },
    }),
  });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'TaskDef', { taskRole: role });
  taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('app') });
  const stream = new kinesis.Stream(stack, 'Stream', { streamName: 'trades' });
  return { ...t, role, taskDefinition, stream };
}

const cfn = (c: { node: { defaultChild?: unknown } }) => c.node.defaultChild as CfnResource;

describe('TAP-IAM-4 task role grants, by any attachment path', () => {
  const rule = (role: iam.Role) =>
    new TaskRoleGrantsRule([{ role, grants: [], allowedActions: TASK_ROLE_ALLOWED_ACTIONS }]);

  test('passes for a policy on another role', () => {
    const { app, stack, role } = contractStack();
    const other = new iam.Role(stack, 'Other', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    other.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }),
    );
    expect(ids(findingsOf(app, rule(role)))).toEqual([]);
  });

  test('fails with TAP-IAM-4 for an AWS::IAM::RolePolicy and a policy attached to the role imported by ARN', () => {
    const { app, stack, role } = contractStack();
    new iam.CfnRolePolicy(stack, 'RolePolicy', {
      roleName: role.roleName,
      policyName: 'extra',
      policyDocument: {
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
      },
    });
    iam.Role.fromRoleArn(stack, 'Imported', role.roleArn).addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: ['arn:aws:secretsmanager:us-east-2:1:secret:x'],
      }),
    );
    expect(ids(findingsOf(app, rule(role)))).toEqual([
      'TAP-IAM-4 @ Imported/Policy/Resource',
      'TAP-IAM-4 @ RolePolicy',
    ]);
  });
});

describe('TAP-IAM-5 task definitions use the contract task role', () => {
  test('passes when TaskRoleArn is GetAtt of the contract role', () => {
    const { app, role } = contractStack();
    expect(ids(findingsOf(app, new TaskDefinitionTaskRoleRule([role])))).toEqual([]);
  });

  test('fails with TAP-IAM-5 when TaskRoleArn is overridden to a role outside the template', () => {
    const { app, role, taskDefinition } = contractStack();
    cfn(taskDefinition).addPropertyOverride('TaskRoleArn', 'arn:aws:iam::999999999999:role/Elsewhere');
    const findings = findingsOf(app, new TaskDefinitionTaskRoleRule([role]));
    expect(ids(findings)).toEqual(['TAP-IAM-5 @ TaskDef/Resource']);
    expect(findings[0].message).toContain('runs with task role "arn:aws:iam::999999999999:role/Elsewhere"');
  });
});

describe('TAP-IAM-6 task role trust', () => {
  test('passes for ecs-tasks.amazonaws.com with aws:SourceAccount and aws:SourceArn', () => {
    const { app, role } = contractStack();
    expect(ids(findingsOf(app, new TaskRoleTrustRule([role])))).toEqual([]);
  });

  test('fails with TAP-IAM-6 for an extra trust principal', () => {
    const { app, role } = contractStack();
    role.assumeRolePolicy!.addStatements(
      new iam.PolicyStatement({ actions: ['sts:AssumeRole'], principals: [new iam.AccountRootPrincipal()] }),
    );
    const findings = findingsOf(app, new TaskRoleTrustRule([role]));
    expect(ids(findings)).toEqual(['TAP-IAM-6 @ TaskRole/Resource']);
    expect(findings[0].message).toContain('has 2 trust statements instead of 1');
  });

  test('fails with TAP-IAM-6 when the confused-deputy conditions are missing', () => {
    const t = ruleTestStack();
    const role = new iam.Role(t.stack, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    const findings = findingsOf(t.app, new TaskRoleTrustRule([role]));
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(
        /lacks StringEquals aws:SourceAccount = 111111111111; lacks ArnLike aws:SourceArn/,
      ),
    ]);
  });
});

describe('TAP-IAM-7 resource policies', () => {
  const rule = (role: iam.Role) =>
    new ResourcePolicyPrincipalsRule(
      [role],
      TASK_ROLE_ALLOWED_ACTIONS,
      Object.keys(FOREIGN_PRINCIPALS_ALLOWED),
    );

  test('passes for a Kinesis resource policy granting the task role PutRecord, and an allowed foreign principal', () => {
    const { app, stack, role, stream } = contractStack();
    stream.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['kinesis:PutRecord'],
        principals: [role],
        resources: [stream.streamArn],
      }),
    );
    const key = new kms.Key(stack, 'Key');
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        principals: [new iam.ArnPrincipal('arn:aws:iam::033677994240:root')],
        resources: ['*'],
      }),
    );
    expect(ids(findingsOf(app, rule(role)))).toEqual([]);
  });

  test('fails with TAP-IAM-7 for a Kinesis resource policy naming the role for reads, "*" and a foreign account', () => {
    const { app, stack, role, stream } = contractStack();
    stream.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['kinesis:GetRecords'],
        principals: [role],
        resources: [stream.streamArn],
      }),
    );
    const topic = new sns.Topic(stack, 'Topic');
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['sns:Publish'],
        principals: [new iam.AnyPrincipal()],
        resources: [topic.topicArn],
      }),
    );
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['sns:Publish'],
        principals: [new iam.ArnPrincipal(FOREIGN)],
        resources: [topic.topicArn],
      }),
    );
    const findings = findingsOf(app, rule(role));
    expect(ids(findings)).toEqual([
      'TAP-IAM-7 @ Stream/Policy/Resource',
      'TAP-IAM-7 @ Topic/Policy/Resource',
    ]);
    expect(findings.map((f) => f.message).join('\n')).toMatch(/grants the task role kinesis:GetRecords/);
    expect(findings.map((f) => f.message).join('\n')).toMatch(
      /allows principal "\*"; allows arn:aws:iam::999999999999:root of foreign account 999999999999/,
    );
  });
});

describe('TAP-IAM-8 container secrets', () => {
  test('passes for a container without secrets', () => {
    const { app } = contractStack();
    expect(ids(findingsOf(app, new ContainerSecretsRule([])))).toEqual([]);
  });

  test('fails with TAP-IAM-8 for the RDS master secret and for a secret not on the allow-list', () => {
    const { app, stack, taskDefinition } = contractStack();
    const cluster = new rds.CfnDBCluster(stack, 'Cluster', {
      engine: 'aurora-postgresql',
      manageMasterUserPassword: true,
      masterUsername: 'admin',
    });
    cfn(taskDefinition).addPropertyOverride('ContainerDefinitions.0.Secrets', [
      {
        Name: 'DB_PASSWORD',
        ValueFrom: { 'Fn::GetAtt': [stack.getLogicalId(cluster), 'MasterUserSecret.SecretArn'] },
      },
      { Name: 'OTHER', ValueFrom: 'arn:aws:secretsmanager:us-east-2:111111111111:secret:other-AbCdEf' },
    ]);
    const findings = findingsOf(app, new ContainerSecretsRule([]));
    expect(ids(findings)).toEqual(['TAP-IAM-8 @ TaskDef/Resource']);
    expect(findings[0].message).toContain('injects the RDS master secret into app as DB_PASSWORD');
    expect(findings[0].message).toContain('secret:other-AbCdEf into app as OTHER, which is not allow-listed');
  });
});

describe('TAP-DAT-5 backup retention', () => {
  const cluster = (days?: number) => {
    const t = ruleTestStack();
    new rds.CfnDBCluster(t.stack, 'Cluster', {
      engine: 'aurora-postgresql',
      backupRetentionPeriod: days,
    });
    return t;
  };

  test("passes at the profile's value", () => {
    expect(ids(findingsOf(cluster(7).app, new BackupRetentionRule(7)))).toEqual([]);
  });

  test("fails with TAP-DAT-5 below the profile's value, and when absent (1 day)", () => {
    expect(findingsOf(cluster(3).app, new BackupRetentionRule(7)).map((f) => f.message)).toEqual([
      expect.stringContaining("keeps backups 3 day(s), below the profile's 7"),
    ]);
    expect(ids(findingsOf(cluster().app, new BackupRetentionRule(35)))).toEqual(['TAP-DAT-5 @ Cluster']);
  });
});

describe('TAP-DAT-6 key policy accounts', () => {
  test('passes for the default key policy (the account) and an allowed foreign principal', () => {
    const t = ruleTestStack();
    const key = new kms.Key(t.stack, 'Key');
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        principals: [new iam.ArnPrincipal('arn:aws:iam::033677994240:root')],
        resources: ['*'],
      }),
    );
    expect(ids(findingsOf(t.app, new KeyPolicyAccountsRule(['arn:aws:iam::033677994240:root'])))).toEqual([]);
  });

  test('fails with TAP-DAT-6 for a foreign account in the key policy', () => {
    const t = ruleTestStack();
    const key = new kms.Key(t.stack, 'Key');
    key.grantDecrypt(new iam.AccountPrincipal('999999999999'));
    const findings = findingsOf(t.app, new KeyPolicyAccountsRule([]));
    expect(ids(findings)).toEqual(['TAP-DAT-6 @ Key/Resource']);
    expect(findings[0].message).toContain('of foreign account 999999999999');
  });
});

describe('TAP-DAT-7 topic subscribe', () => {
  const topicWith = (condition?: Record<string, Record<string, string>>) => {
    const t = ruleTestStack();
    const topic = new sns.Topic(t.stack, 'Topic');
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['sns:Subscribe'],
        principals: [new iam.AnyPrincipal()],
        resources: [topic.topicArn],
        conditions: condition,
      }),
    );
    return t;
  };

  test('passes when the subscription is restricted to the account', () => {
    const t = topicWith({ StringEquals: { 'aws:PrincipalAccount': '111111111111' } });
    expect(ids(findingsOf(t.app, new TopicSubscribeRule()))).toEqual([]);
  });

  test('fails with TAP-DAT-7 when anyone can subscribe (also sns:* and a non-restricting condition)', () => {
    expect(ids(findingsOf(topicWith().app, new TopicSubscribeRule()))).toEqual([
      'TAP-DAT-7 @ Topic/Policy/Resource',
    ]);
    const t = topicWith({ Bool: { 'aws:SecureTransport': 'true' } });
    expect(ids(findingsOf(t.app, new TopicSubscribeRule()))).toEqual(['TAP-DAT-7 @ Topic/Policy/Resource']);
  });
});

describe('the contract rules on the real stacks', () => {
  test.each(['dev', 'prod'])(
    'passes: the %s stack has no finding of TAP-IAM-4..8 and TAP-DAT-5..7',
    (profile) => {
      const tap = buildApp({ profile });
      const role = tap.stack.platform.taskRole.role;
      const contract = [
        { role, grants: tap.stack.platform.taskRole.grants, allowedActions: TASK_ROLE_ALLOWED_ACTIONS },
      ];
      const foreign = Object.keys(FOREIGN_PRINCIPALS_ALLOWED);
      // The platform stack: the governance stacks' acknowledged findings are the register's, applied by the gate.
      const findings = findingsIn(
        tap.app,
        tap.stack,
        new TaskRoleGrantsRule(contract),
        new TaskDefinitionTaskRoleRule([role]),
        new TaskRoleTrustRule([role]),
        new ResourcePolicyPrincipalsRule([role], TASK_ROLE_ALLOWED_ACTIONS, foreign),
        new ContainerSecretsRule([]),
        new BackupRetentionRule(
          tap.config.ordersDatabase.mode === 'create'
            ? tap.config.ordersDatabase.backupRetentionDays
            : undefined,
        ),
        new KeyPolicyAccountsRule(foreign),
        new TopicSubscribeRule(),
      );
      expect(ids(findings)).toEqual([]);
    },
  );
});
