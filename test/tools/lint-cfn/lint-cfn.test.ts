import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as sarif from 'sarif';
import { createApp } from '../../../lib/app';
import {
  CFN_LINT_TAGS_MESSAGE,
  listRegister,
  type RegisterEntry,
} from '../../../lib/compliance/acknowledgements';
import {
  CFN_LINT_VERSION,
  EXIT,
  findStackTemplates,
  lintCfn,
  reportLint,
  runCfnLint,
} from '../../../tools/lint-cfn/lint-cfn';
import { runScript } from '../../helpers/gate';
import { cdkJsonContext, SKIP_BUNDLING } from '../../helpers/synth';

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const quiet = (_line: string): void => undefined;

/** A one-stack assembly named like the platform's dev stack, with a topic carrying a property CloudFormation rejects. */
function tinyAssembly(): string {
  const outdir = tmp('lint-asm-');
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'OrderBroker-dev', { env: { region: 'us-east-2' } });
  new CfnResource(stack, 'Topic', { type: 'AWS::SNS::Topic', properties: { Colour: 'blue' } });
  app.synth();
  return outdir;
}

const ACK: RegisterEntry = {
  layer: 'cfn-lint',
  rule: 'E3002',
  path: 'Topic',
  reason: 'Test: the property is accepted by a newer resource schema than the one bundled with cfn-lint.',
  owner: 'platform-team',
  approvedBy: 'a.reviewer',
  reference: 'SEC-1001',
  expires: '2099-01-01',
};

describe('npm run lint:cfn without cfn-lint on the machine', () => {
  const cdkOut = tinyAssembly();
  const emptyPath = tmp('no-cfn-lint-');
  const lint = (...args: string[]) =>
    runScript('scripts/lint-cfn.ts', ['--cdk-out', cdkOut, '--out-dir', tmp('lint-out-'), ...args], {
      PATH: emptyPath,
      CFN_LINT: undefined,
    });

  test('fails with exit 3, says the linter did not run and how to install it', () => {
    const { code, output } = lint();
    expect(code).toBe(EXIT.missing);
    expect(output).toContain('cfn-lint is not installed or not runnable');
    expect(output).toContain('did NOT run');
    expect(output).toContain(`pipx install cfn-lint==${CFN_LINT_VERSION}`);
  });

  test('with --allow-missing, skips loudly with exit 0', () => {
    const { code, output } = lint('--allow-missing');
    expect(code).toBe(EXIT.ok);
    expect(output).toContain('SKIPPED (--allow-missing). The templates were NOT linted by cfn-lint.');
  });
});

describe('npm run lint:cfn with cfn-lint', () => {
  test('exits 2 and says to synthesize when cdk.out has no template', () => {
    const lines: string[] = [];
    const result = lintCfn({ cdkOut: tmp('empty-'), outDir: tmp('out-'), log: (l) => lines.push(l) });
    expect(result.exitCode).toBe(EXIT.usage);
    expect(lines.join('\n')).toContain('npx cdk synth --quiet');
  });

  describe('on a template with a property CloudFormation rejects (one cfn-lint run, three registers)', () => {
    const cdkOut = tinyAssembly();
    const stacks = findStackTemplates(cdkOut);
    const matches = runCfnLint('cfn-lint', stacks);
    const report = (register: RegisterEntry[], today = new Date(), log: (line: string) => void = quiet) =>
      reportLint(
        { cdkOut, outDir: tmp('out-'), baseDir: process.cwd(), register, today, log },
        stacks,
        matches as never,
        '1.51.0',
      );

    test('cfn-lint ran and found the error', () => {
      expect(typeof matches).not.toBe('string');
    });

    test('an unacknowledged error fails (exit 1) and is in the SARIF and JUnit reports with its construct path', () => {
      const result = report([]);
      expect(result.exitCode).toBe(EXIT.errors);
      const log = JSON.parse(fs.readFileSync(result.sarifPath!, 'utf8')) as sarif.Log;
      expect(log.version).toBe('2.1.0');
      const [finding] = log.runs[0].results!.filter((r) => r.ruleId === 'E3002');
      expect(finding.level).toBe('error');
      expect(finding.suppressions).toBeUndefined();
      expect(finding.locations![0].logicalLocations![0]).toEqual({
        name: 'Topic',
        fullyQualifiedName: 'OrderBroker-dev/Topic',
        kind: 'resource',
      });
      expect(finding.locations![0].physicalLocation!.artifactLocation!.uri).not.toMatch(/^\//);
      const junit = fs.readFileSync(result.junitPath!, 'utf8');
      expect(junit).toContain('<failure');
      expect(junit).toContain('classname="E3002"');
    });

    test('a register entry acknowledges it: exit 0, suppressed in SARIF with its justification, skipped in JUnit', () => {
      const result = report([ACK]);
      expect(result.exitCode).toBe(EXIT.ok);
      const log = JSON.parse(fs.readFileSync(result.sarifPath!, 'utf8')) as sarif.Log;
      const [finding] = log.runs[0].results!.filter((r) => r.ruleId === 'E3002');
      expect(finding.suppressions).toEqual([
        {
          kind: 'external',
          status: 'accepted',
          justification: `${ACK.reason} (owner platform-team, expires 2099-01-01)`,
        },
      ]);
      expect(fs.readFileSync(result.junitPath!, 'utf8')).toContain('<skipped/>');
    });

    test('an entry narrowed to another message (the Tags one) does not hide this E3002 (exit 1)', () => {
      expect(report([{ ...ACK, message: CFN_LINT_TAGS_MESSAGE }]).exitCode).toBe(EXIT.errors);
      expect(
        report([{ ...ACK, message: "Additional properties are not allowed ('Colour' was unexpected)" }])
          .exitCode,
      ).toBe(EXIT.ok);
    });

    test('an expired acknowledgement no longer applies (exit 1) and the output says it expired', () => {
      const lines: string[] = [];
      const result = report([{ ...ACK, expires: '2026-01-01' }], new Date('2026-06-01'), (l) =>
        lines.push(l),
      );
      expect(result.exitCode).toBe(EXIT.errors);
      expect(lines.join('\n')).toContain('its acknowledgement expired on 2026-01-01');
    });
  });

  test('the real dev and prod templates pass, every cfn-lint entry of the register is used, reports carry no absolute path or time', () => {
    const cdkOut = tmp('cdk-out-');
    // The linter reads templates, not Lambda bundles.
    const context = { ...cdkJsonContext(), ...SKIP_BUNDLING };
    createApp({ context, outdir: cdkOut, complianceGate: false }).app.synth();
    createApp({
      context: { ...context, profile: 'prod' },
      outdir: path.join(cdkOut, 'prod'),
      complianceGate: false,
    }).app.synth();

    const first = lintCfn({ cdkOut, outDir: tmp('out-'), baseDir: cdkOut, log: quiet });
    expect(first.templates).toEqual([
      'OrderBroker-dev.template.json',
      'OrderBrokerGovernance-dev-StackSet.template.json',
      'OrderBrokerGovernance-dev.template.json',
      'prod/OrderBroker-prod.template.json',
      'prod/OrderBrokerGovernance-prod-StackSet.template.json',
      'prod/OrderBrokerGovernance-prod.template.json',
    ]);
    // Not only no error: every warning is fixed or acknowledged too, so a lost register entry shows up here.
    expect(
      first.findings.filter((f) => !f.acknowledgement).map((f) => `${f.ruleId} @ ${f.constructPath}`),
    ).toEqual([]);
    expect(first.exitCode).toBe(EXIT.ok);

    for (const profile of ['dev', 'prod'] as const) {
      const rows = listRegister({ profile, stackName: `OrderBroker-${profile}` }).filter(
        (r) => r.layer === 'cfn-lint',
      );
      const used = rows.filter((r) =>
        first.findings.some(
          (f) =>
            f.acknowledgement &&
            f.ruleId === r.rule &&
            f.stackName === `OrderBroker-${profile}` &&
            f.constructPath!.startsWith(r.constructPath),
        ),
      );
      expect(used.map((r) => `${r.rule} @ ${r.constructPath}`)).toEqual(
        rows.map((r) => `${r.rule} @ ${r.constructPath}`),
      );
    }

    const sarifText = fs.readFileSync(first.sarifPath!, 'utf8');
    expect(sarifText).not.toContain(os.tmpdir());
    expect(fs.readFileSync(first.junitPath!, 'utf8')).not.toMatch(/timestamp=|time="/);
  });
});
