import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CfnElement } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import { createApp } from '../../../lib/app';
import { ACCESS_MATRIX } from '../../../lib/compliance/access-matrix';
import {
  evaluateAccessMatrix,
  IamEvaluationPlugin,
  type IamEvaluationOptions,
  matches,
} from '../../../lib/compliance/iam-evaluation';
import { IAM_EVALUATION_PLUGIN_NAME, LAYERS } from '../../../lib/compliance/layers';
import { cdkJsonContext, SKIP_BUNDLING } from '../../helpers/synth';

/** Synthesizes the real stack of a profile (no gate) and returns its template path and evaluation options. */
function realStack(profile: 'dev' | 'prod') {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `iam-eval-${profile}-`));
  const tap = createApp({
    complianceGate: false,
    context: { ...cdkJsonContext(), ...SKIP_BUNDLING, profile },
    outdir,
  });
  tap.app.synth();
  const options: IamEvaluationOptions = {
    taskRoleLogicalId: Stack.of(tap.stack).getLogicalId(
      tap.stack.platform.taskRole.role.node.defaultChild as CfnElement,
    ),
    streamName: 'trades',
    dbUser: tap.config.dbUser,
  };
  return { outdir, templatePath: path.join(outdir, tap.stack.templateFile), options };
}

const dev = realStack('dev');
type Template = { Resources: Record<string, any> };
const devTemplate = (): Template => JSON.parse(fs.readFileSync(dev.templatePath, 'utf8')) as Template;
const roleId = dev.options.taskRoleLogicalId;

/** Writes a changed copy of the dev template (with the assembly manifest, for the environment). */
function fixture(change: (t: Template) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-eval-fixture-'));
  fs.copyFileSync(path.join(dev.outdir, 'manifest.json'), path.join(dir, 'manifest.json'));
  const t = devTemplate();
  change(t);
  const file = path.join(dir, path.basename(dev.templatePath));
  fs.writeFileSync(file, JSON.stringify(t));
  return file;
}

const differences = (file: string) =>
  evaluateAccessMatrix(file, dev.options)
    .requests.filter((r) => !matches(r))
    .map(
      (r) =>
        `${r.id}: ${r.action} ${r.resource.split(':').slice(-1)[0]} expected ${r.expected}, actual ${r.actual}`,
    );

describe('TAP-IAM-9 access matrix, decided by @cloud-copilot/iam-simulate', () => {
  test('passes on the real dev stack: every request of the matrix decides as written', () => {
    const { requests, unreadable } = evaluateAccessMatrix(dev.templatePath, dev.options);
    expect(unreadable).toEqual([]);
    expect(requests.filter((r) => !matches(r))).toEqual([]);
    // Every entry was evaluated (the stream key exists in dev, so no entry is skipped).
    expect(new Set(requests.map((r) => r.id))).toEqual(new Set(ACCESS_MATRIX.map((e) => e.id)));
    expect(requests.find((r) => r.id === 'allow-put-record-trades')?.allowedBy).toEqual([
      expect.stringMatching(/^PlatformTaskRoleDefaultPolicy/),
    ]);
  });

  test('passes on the real prod stack (its own account, one reader)', () => {
    const prod = realStack('prod');
    const { requests } = evaluateAccessMatrix(prod.templatePath, prod.options);
    expect(requests.filter((r) => !matches(r))).toEqual([]);
    expect(requests.find((r) => r.id === 'allow-put-record-trades')?.resource).toBe(
      'arn:aws:kinesis:us-east-2:123456789012:stream/trades',
    );
  });

  test('fails with TAP-IAM-9 when an AWS::IAM::RolePolicy lets the task role read trades', () => {
    const file = fixture((t) => {
      t.Resources.ReadTrades = {
        Type: 'AWS::IAM::RolePolicy',
        Properties: {
          RoleName: { Ref: roleId },
          PolicyName: 'read',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: 'kinesis:GetRecords',
                Resource: { 'Fn::GetAtt': ['TradesStream19F67E15', 'Arn'] },
              },
            ],
          },
        },
      };
    });
    expect(differences(file)).toEqual([
      'deny-get-records-trades: kinesis:GetRecords stream/trades expected Denied, actual Allowed',
    ]);
  });

  test('fails with TAP-IAM-9 when a policy attached by a name derived from the role ARN grants S3', () => {
    const file = fixture((t) => {
      t.Resources.Imported = {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: 'imported',
          Roles: [
            {
              'Fn::Select': [
                1,
                {
                  'Fn::Split': [
                    '/',
                    { 'Fn::Select': [5, { 'Fn::Split': [':', { 'Fn::GetAtt': [roleId, 'Arn'] }] }] },
                  ],
                },
              ],
            },
          ],
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::*/*' }],
          },
        },
      };
    });
    expect(differences(file)).toEqual([
      'deny-s3-getobject: s3:GetObject any-bucket/any-object expected Denied, actual Allowed',
      'deny-s3-getobject: s3:GetObject platformloadbalancingaccesslogsbf2fb494/any-object expected Denied, actual Allowed',
    ]);
  });

  test('fails with TAP-IAM-9 when a Kinesis resource policy names the role for reads', () => {
    const file = fixture((t) => {
      t.Resources.StreamPolicy = {
        Type: 'AWS::Kinesis::ResourcePolicy',
        Properties: {
          ResourceArn: { 'Fn::GetAtt': ['TradesStream19F67E15', 'Arn'] },
          ResourcePolicy: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: { 'Fn::GetAtt': [roleId, 'Arn'] } },
                Action: ['kinesis:GetShardIterator', 'kinesis:GetRecords'],
                Resource: { 'Fn::GetAtt': ['TradesStream19F67E15', 'Arn'] },
              },
            ],
          },
        },
      };
    });
    expect(differences(file)).toEqual([
      'deny-get-records-trades: kinesis:GetRecords stream/trades expected Denied, actual Allowed',
      'deny-get-shard-iterator-trades: kinesis:GetShardIterator stream/trades expected Denied, actual Allowed',
    ]);
  });

  test('fails with TAP-IAM-9 when the trust policy lets the account (or ECS for any account) assume the role', () => {
    const file = fixture((t) => {
      const trust = t.Resources[roleId].Properties.AssumeRolePolicyDocument;
      delete trust.Statement[0].Condition;
      trust.Statement.push({
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
      });
    });
    expect(differences(file)).toEqual([
      expect.stringMatching(/^deny-assume-from-account: .* expected Denied, actual Allowed$/),
      expect.stringMatching(/^deny-ecs-tasks-for-foreign-account: .* expected Denied, actual Allowed$/),
    ]);
  });

  test('fails with TAP-IAM-9 when a required permission is gone (expected Allowed, actual ImplicitlyDenied)', () => {
    const file = fixture((t) => {
      const statements = t.Resources[
        Object.keys(t.Resources).find((id) => id.startsWith('PlatformTaskRoleDefaultPolicy'))!
      ].Properties.PolicyDocument.Statement as Array<{ Sid: string }>;
      statements.splice(
        statements.findIndex((s) => s.Sid === 'ConnectOrdersDatabase'),
        1,
      );
    });
    expect(differences(file)).toEqual([
      'allow-connect-as-service-user: rds-db:connect cluster-ORDERSDATABASECLUSTERAE2D01D0/orderbroker expected Allowed, actual ImplicitlyDenied',
    ]);
  });

  test('fails with TAP-IAM-9 when the key policy grants the role Decrypt, and names the key policy', () => {
    const file = fixture((t) => {
      t.Resources.KeysDataKey8F3FE3A4.Properties.KeyPolicy.Statement.push({
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::GetAtt': [roleId, 'Arn'] } },
        Action: 'kms:Decrypt',
        Resource: '*',
      });
    });
    const { requests } = evaluateAccessMatrix(file, dev.options);
    expect(requests.filter((r) => !matches(r)).map((r) => [r.id, r.actual, r.allowedBy])).toEqual([
      ['deny-decrypt-stream-key', 'Allowed', ['KeysDataKey8F3FE3A4']],
    ]);
  });

  test('the plugin reports each difference as an error with the request, expected and actual', () => {
    const file = fixture((t) => {
      t.Resources[roleId].Properties.ManagedPolicyArns = ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'];
      t.Resources[roleId].Properties.Policies = [
        {
          PolicyName: 'inline',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
          },
        },
      ];
    });
    const plugin = new IamEvaluationPlugin(path.basename(file), dev.options);
    const report = plugin.validate({ templatePaths: [file] } as never);
    expect(report.success).toBe(false);
    expect(report.violations.map((v) => [v.ruleName, v.severity, v.description])).toEqual([
      [
        'TAP-IAM-9',
        'error',
        expect.stringContaining(
          'managed policy arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess, whose document is not in the template',
        ),
      ],
      [
        'TAP-IAM-9',
        'error',
        expect.stringMatching(
          /^Access matrix request deny-get-secret-value changed: arn:aws:sts::111111111111:assumed-role\/PlatformTaskRole\w+\/ecs-task secretsmanager:GetSecretValue on arn:aws:secretsmanager:.*any-secret-AbCdEf: expected Denied, actual Allowed \(allowed by PlatformTaskRole\w+\.Policies\[0\]\)$/,
        ),
      ],
      ['TAP-IAM-9', 'error', expect.stringContaining('rds!cluster-')],
    ]);
    expect(report.violations[1].violatingResources.map((r) => r.resourceLogicalId)).toEqual([roleId]);
  });

  test('the plugin passes the real dev template and ignores templates of other stacks', () => {
    const plugin = new IamEvaluationPlugin(path.basename(dev.templatePath), dev.options);
    expect(plugin.validate({ templatePaths: [dev.templatePath] } as never)).toEqual({
      success: true,
      violations: [],
    });
    expect(
      new IamEvaluationPlugin('Other.template.json', dev.options).validate({
        templatePaths: [dev.templatePath],
      } as never).success,
    ).toBe(true);
  });

  test('an unknown task role logical ID is a one-line error naming it', () => {
    expect(() =>
      evaluateAccessMatrix(dev.templatePath, { ...dev.options, taskRoleLogicalId: 'NoSuchRole' }),
    ).toThrow(
      /^taskRoleLogicalId "NoSuchRole" is not a resource of .*; the IAM evaluation needs the contract task role$/,
    );
  });

  test('the layer is registered for the reports', () => {
    expect(LAYERS.find((l) => l.id === 'iam-evaluation')?.pluginName).toBe(IAM_EVALUATION_PLUGIN_NAME);
  });
});
