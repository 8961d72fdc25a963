import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { createApp } from '../../../lib/app';
import { CONTROL_TOWER_PLUGIN_NAME, TAP_GUARD_PLUGIN_NAME } from '../../../lib/compliance/layers';
import { cfnGuardBinary } from '../../../lib/compliance/guard';
import { cdkJsonContext, SKIP_BUNDLING } from '../../helpers/synth';

// cfn-guard over ~240 rule files takes 10 s alone and over a minute on a loaded 2-CPU machine: the two runs below
// carry their own timeouts. One gated app per file (no synthesis: the gate's plugins are read, not run; assets are staged at construction).
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'governance-'));
// The governance stacks have no Lambda bundle; the platform's are not under test here.
const tap = createApp({ context: { ...cdkJsonContext(), ...SKIP_BUNDLING }, outdir });
const template = Template.fromStack(tap.governance);
const hooks = template.findResources('AWS::CloudFormation::GuardHook');

/** Every `.guard` file of a directory tree, by its path inside the tree, with its content hash. */
function digestTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.guard'))
        out[path.relative(dir, full)] = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

function stagedBundle(hookId: string): string {
  const asset = tap.governance.ruleAssets[hookId];
  if (!asset) throw new Error(`no rule bundle for ${hookId}`);
  return path.join(outdir, asset.assetPath);
}

describe('the governance stack activates Guard Hooks on the platform stack', () => {
  test('a FAIL hook and a WARN hook, both enabled, on STACK operations of exactly the platform stack', () => {
    const byAlias = Object.fromEntries(Object.values(hooks).map((h) => [h.Properties.Alias, h.Properties]));
    expect(Object.keys(byAlias).sort()).toEqual([
      'Private::Guard::OrderBrokerDev',
      'Private::Guard::OrderBrokerDevAdvisory',
    ]);
    expect(byAlias['Private::Guard::OrderBrokerDev']).toMatchObject({
      FailureMode: 'FAIL',
      HookStatus: 'ENABLED',
      TargetOperations: ['STACK'],
      StackFilters: { FilteringCriteria: 'ANY', StackNames: { Include: ['OrderBroker-dev'] } },
    });
    expect(byAlias['Private::Guard::OrderBrokerDevAdvisory']).toMatchObject({
      FailureMode: 'WARN',
      StackFilters: { StackNames: { Include: ['OrderBroker-dev'] } },
    });
  });

  test('each hook writes its reports to the encrypted, retained report bucket', () => {
    for (const hook of Object.values(hooks))
      expect(hook.Properties.LogBucket).toEqual({ Ref: 'Reports65402A0A' });
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': ['ReportsKey8FA08092', 'Arn'] },
              },
            },
          ],
        },
      },
    });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'RetainExceptOnCreate' });
  });

  test('the hook role is assumable only by CloudFormation Hooks of this account', () => {
    const roles = Object.values(template.findResources('AWS::IAM::Role'));
    expect(roles).toHaveLength(1);
    expect(roles[0].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'hooks.cloudformation.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Join': [
                '',
                ['arn:aws:cloudformation:us-east-2:', { Ref: 'AWS::AccountId' }, ':type/hook/*'],
              ],
            },
          },
        },
      },
    ]);
  });

  test('the hook role reads only its bundles and writes only reports', () => {
    const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
    const actions = policy.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) =>
      ([] as string[]).concat(s.Action),
    );
    expect([...new Set(actions)].sort()).toEqual([
      'kms:Decrypt',
      'kms:GenerateDataKey',
      's3:GetObject',
      's3:GetObjectVersion',
      's3:ListBucket',
      's3:PutObject',
    ]);
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
  });

  test('refuses a governance stack that guards no stack', () => {
    const { GovernanceStack } = jest.requireActual('../../../lib/governance/governance-stack');
    const { App } = jest.requireActual('aws-cdk-lib');
    expect(() => new GovernanceStack(new App(), 'G', { guardedStackNames: [], hooks: [] })).toThrow(
      'G: guardedStackNames must name at least one stack (the hooks guard nothing otherwise)',
    );
  });
});

describe("the hooks' rule bundles are exactly the synth gate's Guard rules", () => {
  const plugins = tap.gatePlugins as ReadonlyArray<{ name: string; ruleFiles?: readonly string[] }>;
  const gateFiles = (name: string) => {
    const plugin = plugins.find((p) => p.name === name);
    if (!plugin?.ruleFiles) throw new Error(`the gate has no ${name} plugin with rule files`);
    return plugin.ruleFiles;
  };
  const hash = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

  test('the union of both bundles equals, by content hash, what the Control Tower and project Guard layers run', () => {
    const gate = [
      ...gateFiles(CONTROL_TOWER_PLUGIN_NAME).map((f) => `control-tower/${path.basename(f)}=${hash(f)}`),
      ...gateFiles(TAP_GUARD_PLUGIN_NAME).map((f) => `tap/${path.basename(f)}=${hash(f)}`),
    ].sort();
    const bundles = ['GuardHook', 'AdvisoryGuardHook']
      .flatMap((id) => Object.entries(digestTree(stagedBundle(id))).map(([name, h]) => `${name}=${h}`))
      .sort();
    expect(gate.length).toBeGreaterThan(200);
    expect(bundles).toEqual(gate);
  });

  test('the bundles do not overlap: each rule runs once, blocking or advisory', () => {
    const enforced = Object.keys(digestTree(stagedBundle('GuardHook')));
    const advisory = Object.keys(digestTree(stagedBundle('AdvisoryGuardHook')));
    expect(advisory.length).toBeGreaterThan(0);
    expect(enforced.filter((n) => advisory.includes(n))).toEqual([]);
    // The project's own Guard rules carry no acknowledgement today: all of them block at deploy time.
    expect(enforced.filter((n) => n.startsWith('tap/')).length).toBe(gateFiles(TAP_GUARD_PLUGIN_NAME).length);
  });
});

describe('the FAIL hook, run by the bundled cfn-guard binary on the input a stack operation gives it', () => {
  const platform = Template.fromStack(tap.stack).toJSON() as { Resources: Record<string, any> };
  /** A Guard Hook's stack-operation input: the proposed template beside the HookContext. */
  const hookInput = (tpl: object) => ({
    HookContext: {
      AWSAccountID: '111111111111',
      TargetType: 'STACK',
      TargetName: 'OrderBroker-dev',
      InvocationPoint: 'CREATE_PRE_PROVISION',
    },
    ...tpl,
  });
  const runHook = (tpl: object) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hook-input-')), 'input.json');
    fs.writeFileSync(file, JSON.stringify(hookInput(tpl)));
    const run = spawnSync(
      cfnGuardBinary(),
      [
        'validate',
        '--rules',
        stagedBundle('GuardHook'),
        '--data',
        file,
        '--show-summary',
        'none',
        '--output-format',
        'single-line-summary',
      ],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return { code: run.status, output: `${run.stdout}${run.stderr}` };
  };

  test('passes the synthesized platform template', () => {
    const run = runHook(platform);
    expect(run.output).not.toContain('FAIL');
    expect(run.code).toBe(0);
  }, 240_000);

  test('blocks a hand-edited template: an untagged, unencrypted queue added to the platform', () => {
    const edited = JSON.parse(JSON.stringify(platform)) as typeof platform;
    edited.Resources.HandEditedQueue = { Type: 'AWS::SQS::Queue', Properties: {} };
    const run = runHook(edited);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('HandEditedQueue');
    expect(run.output).toContain('tap_required_tags');
    expect(run.output).toContain('sqs_queue_encrypted_check');
  }, 240_000);
});
