import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iamL2 from 'aws-cdk-lib/aws-iam';
import { createApp } from '../../../lib/app';
import { listRegister } from '../../../lib/compliance/acknowledgements';
import { stackKindOf } from '../../../lib/compliance/register/engine';
import { memberHookRoleName, ruleBundleKey } from '../../../lib/governance/stackset';
import { blocking, synthWithGate } from '../../helpers/gate';
import { cdkJsonContext, SKIP_BUNDLING } from '../../helpers/synth';

// One app, no synthesis of the gate: the StackSet stack is built (and its member template synthesized) at construction.
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'stackset-'));
// The governance stacks have no Lambda bundle; the platform's are not under test here.
const tap = createApp({ context: { ...cdkJsonContext(), ...SKIP_BUNDLING }, outdir });
const template = Template.fromStack(tap.governanceStackSet);
const governance = Template.fromStack(tap.governance);
const stackSet = Object.values(template.findResources('AWS::CloudFormation::StackSet'))[0].Properties;
const member = JSON.parse(stackSet.TemplateBody) as {
  Parameters: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  Rules?: unknown;
};

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe('the governance StackSet: one definition, every account of the OUs, new accounts included', () => {
  test('service-managed, automatic deployment to accounts that join the OUs, deleted from accounts that leave', () => {
    expect(tap.governanceStackSet.stackName).toBe('OrderBrokerGovernance-dev-StackSet');
    expect(stackSet).toMatchObject({
      StackSetName: 'OrderBrokerGovernance-dev',
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: { Ref: 'CallAs' },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      ManagedExecution: { Active: true },
      OperationPreferences: { FailureTolerancePercentage: 0, RegionConcurrencyType: 'SEQUENTIAL' },
    });
    template.hasParameter('CallAs', { AllowedValues: ['SELF', 'DELEGATED_ADMIN'] });
  });

  test('instances target the OUs in the platform region, only once the rule bundles are published', () => {
    expect(stackSet.StackInstancesGroup).toEqual({
      'Fn::If': [
        'RulesPublished',
        [
          {
            DeploymentTargets: { OrganizationalUnitIds: { Ref: 'TargetOrganizationalUnitIds' } },
            Regions: ['us-east-2'],
          },
        ],
        { Ref: 'AWS::NoValue' },
      ],
    });
    template.hasCondition('RulesPublished', { 'Fn::Equals': [{ Ref: 'RuleBundlesPublished' }, 'true'] });
    template.hasParameter('RuleBundlesPublished', { Default: 'false', AllowedValues: ['false', 'true'] });
  });

  test('the member template fits TemplateBody (51,200 bytes) and needs no CDK bootstrap in the member account', () => {
    expect(Buffer.byteLength(stackSet.TemplateBody)).toBeLessThan(51_200);
    expect(Object.keys(member.Parameters).sort()).toEqual([
      'AdvisoryGuardHookRuleBucket',
      'AdvisoryGuardHookRuleKey',
      'GuardHookRuleBucket',
      'GuardHookRuleKey',
    ]);
    expect(member.Rules).toBeUndefined();
    expect(stackSet.TemplateBody).not.toContain('cdk-hnb659fds');
  });
});

describe('every account gets the same governance stack, reading the same rule bundles', () => {
  const hooksOf = (resources: Record<string, { Type: string; Properties: Record<string, unknown> }>) =>
    Object.fromEntries(
      Object.entries(resources)
        .filter(([, r]) => r.Type === 'AWS::CloudFormation::GuardHook')
        .map(([id, r]) => {
          const { RuleLocation, ExecutionRole, LogBucket, ...rest } = r.Properties;
          return [id, { ...rest, ruleLocation: RuleLocation, role: ExecutionRole, log: LogBucket }];
        }),
    );
  const accountHooks = hooksOf(governance.toJSON().Resources);
  const memberHooks = hooksOf(member.Resources);

  test("same resources and the same hooks (alias, failure mode, targets, stack filter) as the account's stack", () => {
    const types = (r: Record<string, { Type: string }>) =>
      Object.entries(r)
        .filter(([, v]) => v.Type !== 'AWS::CDK::Metadata')
        .map(([id, v]) => `${id} ${v.Type}`)
        .sort();
    expect(types(member.Resources)).toEqual(types(governance.toJSON().Resources));
    expect(Object.keys(memberHooks).sort()).toEqual(['AdvisoryGuardHook', 'GuardHook']);
    for (const id of Object.keys(accountHooks)) {
      const strip = ({ ruleLocation: _r, role: _x, log: _l, ...rest }: Record<string, unknown>) => rest;
      expect(strip(memberHooks[id])).toEqual(strip(accountHooks[id]));
    }
  });

  test("the StackSet passes each hook the key of the account stack's own rule asset: the same rule files", () => {
    const params = Object.fromEntries(
      (stackSet.Parameters as Array<{ ParameterKey: string; ParameterValue: unknown }>).map((p) => [
        p.ParameterKey,
        p.ParameterValue,
      ]),
    );
    for (const id of ['GuardHook', 'AdvisoryGuardHook']) {
      const hash = tap.governance.ruleAssets[id].assetHash;
      expect(params[`${id}RuleKey`]).toBe(ruleBundleKey(hash));
      expect(params[`${id}RuleKey`]).toBe(`rules/${hash}.zip`);
      expect(params[`${id}RuleBucket`]).toEqual({ Ref: template.getResourceId('AWS::S3::Bucket') });
      expect(memberHooks[id].ruleLocation).toEqual({
        Uri: { 'Fn::Join': ['', ['s3://', { Ref: `${id}RuleBucket` }, '/', { Ref: `${id}RuleKey` }]] },
      });
    }
  });

  test('the member hook role is named, so the rule bucket can grant exactly it', () => {
    const role = Object.values(member.Resources).find((r) => r.Type === 'AWS::IAM::Role')!;
    expect(role.Properties.RoleName).toBe(memberHookRoleName('dev', 'us-east-2'));
    expect(role.Properties.RoleName).toBe('OrderBrokerGuardHook-dev-us-east-2');
  });
});

describe('the rule-bundle bucket', () => {
  test('only the hook role of accounts in the organization may read, and only the bundles', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'MemberHooksReadRuleBundles',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: ['s3:GetObject', 's3:GetObjectVersion'],
            Resource: { 'Fn::Join': ['', [Match.anyValue(), '/rules/*']] },
            Condition: {
              StringEquals: { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } },
              ArnLike: {
                'aws:PrincipalArn': {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/OrderBrokerGuardHook-dev-us-east-2'],
                  ],
                },
              },
            },
          },
        ]),
      },
    });
    const allows = Object.values(template.findResources('AWS::S3::BucketPolicy')).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as Array<{ Effect: string; Action: unknown }>).filter(
        (s) => s.Effect === 'Allow',
      ),
    );
    expect(allows.map((s) => s.Action)).toEqual([['s3:GetObject', 's3:GetObjectVersion']]);
  });

  test('versioned, object-locked, public access blocked, retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      // Deleted if the first create rolls back, retained once it exists.
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } },
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      }),
    });
  });

  test('its register entries name the StackSet stack, and apply to it alone', () => {
    expect(stackKindOf(tap.governanceStackSet)).toBe('governance-stackset');
    expect(stackKindOf(tap.governance)).toBe('governance');
    const rows = listRegister({
      profile: 'dev',
      stackName: 'OrderBroker-dev',
      governanceStackName: 'OrderBrokerGovernance-dev',
    });
    const onBucket = rows.filter((r) => r.constructPath.startsWith('OrderBrokerGovernance-dev-StackSet/'));
    expect(onBucket.map((r) => `${r.rule} ${r.constructPath}`).sort()).toContain(
      'AwsSolutions-S1 OrderBrokerGovernance-dev-StackSet/RuleBundles',
    );
    expect(onBucket.length).toBe(11);
  });
});

describe('the bucket policy entries are bound: a wider grant blocks again (one gated synth)', () => {
  const { report, error } = synthWithGate({ profile: 'dev' }, {}, (t) => {
    const bucket = t.governanceStackSet.ruleBucket;
    bucket.addToResourcePolicy(
      new iamL2.PolicyStatement({
        principals: [new iamL2.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('rules/*')],
        conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } },
      }),
    );
  });

  test('s3:PutObject for the organization is outside what the entries accept: both rules block synth again', () => {
    expect(error).toBeDefined();
    const found = blocking(report).map((f) => `${f.rule} ${f.path}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'Annotation::TAP-IAM-7 RuleBundles/Policy/Resource',
        'tap_resource_policy_principals RuleBundles/Policy/Resource',
        'Annotation::TAP-EXC-3 RuleBundles/Policy',
      ]),
    );
    const exc3 = report.pluginReports
      .flatMap((p) => p.violations)
      .filter((v) => v.ruleName.includes('TAP-EXC-3'))
      .flatMap((v) => v.violatingConstructs.map((c) => c.constructPath));
    expect(exc3).toContain('OrderBrokerGovernance-dev-StackSet/RuleBundles/Policy');
  });
});
