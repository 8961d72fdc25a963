import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listRegister, type RegisterEntry, type RegisterRow } from '../../lib/compliance/acknowledgements';
import type { LayerCatalog } from '../../lib/compliance/catalog';
import { layer } from '../../lib/compliance/layers';
import { fingerprintSources, SYNTH_STAMP, sha256File, synthArgs } from '../../tools/reports/fingerprint';
import type { GenerateOptions } from '../../tools/reports/generate';
import { REPO_ROOT } from './synth';

/** The fixture repository (see its README.md). */
export const FIXTURE_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'reports');

/** The register of the fixture: what its validation report and lint SARIF acknowledge. */
export const FIXTURE_REGISTER: RegisterEntry[] = [
  {
    layer: 'cdk-nag-aws-solutions',
    rule: 'AwsSolutions-IAM5[Resource::*]',
    path: 'Service/Role/DefaultPolicy',
    reason: 'Fixture: the only Resource * statement is an action without resource-level permissions.',
    owner: 'platform-team',
    approvedBy: 'a.reviewer',
    reference: 'SEC-1001',
    expires: '2099-01-31',
    controls: ['NIST AC-6'],
  },
  {
    layer: 'tap',
    rule: 'TAP-CAP-5',
    path: 'Service/TaskDef',
    reason:
      'Fixture: a load test needs 4096 CPU units for one week; the gate | pipes and *stars* stay literal.',
    owner: 'sre-team',
    approvedBy: 'a.reviewer',
    reference: 'SEC-1001',
    expires: '2099-02-28',
  },
  {
    layer: 'cfn-lint',
    rule: 'E3002',
    path: 'Service',
    reason: 'Fixture: cfn-lint schema lags the CloudFormation registry for Tags on this type.',
    owner: 'platform-team',
    approvedBy: 'a.reviewer',
    reference: 'SEC-1001',
    expires: '2099-01-01',
  },
  {
    layer: 'cdk-nag-pci-dss-321',
    rule: 'PCI.DSS.321-ALBWAFEnabled',
    path: 'Service/Alb',
    profiles: ['prod'],
    reason: 'Fixture: applies to prod only and matches nothing there (shown with no finding).',
    owner: 'security-engineering',
    approvedBy: 'a.reviewer',
    reference: 'SEC-1001',
    expires: '2099-03-31',
  },
  {
    layer: 'control-tower',
    rule: 'ct-s3-pr-4',
    path: '*',
    disable: true,
    reason: 'Fixture: disabled Control Tower rule, listed with its justification in the reports.',
    owner: 'security-engineering',
    approvedBy: 'a.reviewer',
    reference: 'SEC-1001',
    expires: '2099-04-30',
  },
];

/** A small catalog for the fixture (the real one takes seconds to build). */
export function fixtureCatalog(disabled: readonly string[]): LayerCatalog[] {
  return [
    {
      layer: layer('tap'),
      rules: [
        { id: 'TAP-CAP-5', level: 'error', title: 'Task definitions reserve at most 2048 CPU units' },
        { id: 'TAP-EXC-2', level: 'warning', title: 'Every register entry names a construct that exists' },
        { id: 'TAP-TAG-1', level: 'error', title: 'Every taggable resource carries the required tags' },
      ],
    },
    {
      layer: layer('cdk-nag-aws-solutions'),
      rules: [
        { id: 'AwsSolutions-IAM5', level: 'error', title: 'The IAM entity contains wildcard permissions.' },
        { id: 'AwsSolutions-S1', level: 'error', title: 'The S3 Bucket has server access logs disabled.' },
      ],
    },
    {
      layer: layer('control-tower'),
      rules: [
        { id: 'lambda_inside_vpc_check', level: 'error', control: 'CT.LAMBDA.PR.3', file: 'ct-lambda-pr-3' },
        {
          id: 's3_bucket_level_public_access_prohibited_check',
          level: 'error',
          control: 'CT.S3.PR.4',
          file: 'ct-s3-pr-4',
        },
      ].filter((r) => !disabled.includes(r.file)),
    },
    {
      layer: layer('cfn-validate'),
      rules: [{ id: 'W3010', level: 'warning', title: 'Avoid hardcoded AZs' }],
    },
  ];
}

/** Taggable types of the fixture's templates. */
export const FIXTURE_TAGGABLE = new Map([
  ['AWS::IAM::Role', true],
  ['AWS::IAM::Policy', false],
  ['AWS::ECS::TaskDefinition', true],
  ['AWS::EC2::Subnet', true],
]);

/** Generator options for a fixture root: everything injected, nothing slow. */
export function fixtureOptions(root: string): GenerateOptions {
  return {
    root,
    profiles: ['dev', 'prod'],
    registerFor: (profile: string, stackName: string): RegisterRow[] =>
      listRegister({ profile: profile as 'dev' | 'prod', stackName, entries: FIXTURE_REGISTER }),
    catalogFor: fixtureCatalog,
    taggableTypes: FIXTURE_TAGGABLE,
    guardJunit: () => '<?xml version="1.0"?>\n<testsuites name="cfn-guard"/>\n',
    tools: [
      { name: 'cdk-nag', version: '3.0.2', layers: ['cdk-nag-aws-solutions'] },
      { name: 'cfn-lint', version: '1.51.0', layers: ['cfn-lint'] },
    ],
  };
}

function copyDir(from: string, to: string, root: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyDir(source, target, root);
    else fs.writeFileSync(target, fs.readFileSync(source, 'utf8').replaceAll('<ROOT>', root));
  }
}

/** Writes the synth:all stamps and the lint SARIF's template hashes, as the real commands would. */
export function stampFixture(root: string): void {
  const sources = fingerprintSources(root);
  const sarifFile = path.join(root, 'cdk.out', 'lint', 'cfn-lint.sarif');
  let sarif = fs.readFileSync(sarifFile, 'utf8');
  for (const profile of ['dev', 'prod']) {
    const dir = path.join(root, 'cdk.out', profile);
    const stamp = { profile, command: `cdk ${synthArgs(profile).join(' ')}`, sources };
    fs.writeFileSync(path.join(dir, SYNTH_STAMP), JSON.stringify(stamp, undefined, 2) + '\n');
    sarif = sarif.replaceAll(
      `<SHA256:${profile}>`,
      sha256File(path.join(dir, `OrderBroker-${profile}.template.json`)),
    );
  }
  fs.writeFileSync(sarifFile, sarif);
}

/** A fresh copy of the fixture repository in a temporary directory, stamped as current. */
export function makeFixtureRoot(): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'reports-fixture-')));
  copyDir(FIXTURE_DIR, root, root);
  stampFixture(root);
  return root;
}
