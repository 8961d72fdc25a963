import { spawnSync } from 'child_process';
import { App, CfnResource, CloudFormationValidatePlugin, Stack, Validations } from 'aws-cdk-lib';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  cdkAddsItsLinter,
  LINTER_V8_FLAGS,
  linterV8Flags,
  OffThreadCloudFormationValidate,
} from '../../../lib/compliance/linter';
import { PluginWorker } from '../../../lib/compliance/plugin-worker';
import { readReport } from '../../helpers/gate';

/** A template with one resource the linter rejects (an unknown property). */
function badTemplate(name: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'linter-')), `${name}.template.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { NoSuchProperty: 1 } } } }),
  );
  return file;
}
const contextOf = (templatePath: string) =>
  ({ templatePaths: [templatePath], stackTemplates: [{ stackConstructPath: 'S', templatePath }] }) as never;

/** An app whose one stack has a topic with an unknown property, linted by the off-thread linter. */
function appWithBadTopic(context: Record<string, unknown>) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'linter-app-'));
  const app = new App({ outdir, context });
  new CfnResource(new Stack(app, 'Linted'), 'Topic', {
    type: 'AWS::SNS::Topic',
    properties: { NoSuchProperty: 1 },
  });
  Validations.of(app).addPlugins(new OffThreadCloudFormationValidate());
  return { app, outdir };
}

describe('OffThreadCloudFormationValidate: the bundled linter in a worker thread', () => {
  afterEach(() => jest.restoreAllMocks());

  test("its report is the one CDK's linter returns in-process", () => {
    const file = badTemplate('Report');
    const inProcess = new CloudFormationValidatePlugin().validate(contextOf(file));
    expect(inProcess.success).toBe(false);
    expect(inProcess.violations.map((v) => v.ruleName)).toContain('F3002');
    expect(new OffThreadCloudFormationValidate().validate(contextOf(file))).toEqual(inProcess);
  });

  test('a started run is read by validate() on the same templates; other templates are asked anew', () => {
    const request = jest.spyOn(PluginWorker.prototype, 'request');
    const [started, other] = [badTemplate('Started'), badTemplate('Other')];
    const linter = new OffThreadCloudFormationValidate();
    linter.start(contextOf(started));
    const report = linter.validate(contextOf(started));
    expect(request).toHaveBeenCalledTimes(1);
    expect(report.violations[0].violatingResources[0].templatePath).toBe(started);
    linter.start(contextOf(started));
    const asked = linter.validate(contextOf(other));
    expect(request).toHaveBeenCalledTimes(3);
    expect(asked.violations[0].violatingResources[0].templatePath).toBe(other);
  });

  test("its version is the engine's own (read from the package, not by loading the engine)", () => {
    const engine = new CloudFormationValidatePlugin();
    expect(new OffThreadCloudFormationValidate().version).toBe(engine.version);
    expect(new OffThreadCloudFormationValidate().ruleIds).toEqual(engine.ruleIds);
  });

  test('CDK counts it as the registered linter: it does not add its own, and an error blocks synthesis', () => {
    const inProcess = jest.spyOn(CloudFormationValidatePlugin.prototype, 'validate');
    const { app, outdir } = appWithBadTopic({ '@aws-cdk/core:validateAgainstDefaultRules': true });
    expect(() => app.synth()).toThrow(/NoSuchProperty/);
    expect(inProcess).not.toHaveBeenCalled();
    const linters = readReport(outdir).pluginReports.filter(
      (p) => p.pluginName === 'CloudFormation Validate',
    );
    expect(linters.map((p) => p.conclusion)).toEqual(['failure']);
  });

  test('without @aws-cdk/core:validateAgainstDefaultRules CDK downgrades its findings to warnings, as for its own', () => {
    const { app } = appWithBadTopic({ '@aws-cdk/core:validateAgainstDefaultRules': false });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('cdkAddsItsLinter: exactly when CDK would add its bundled linter', () => {
  const saved = process.env.CDK_VALIDATION;
  afterEach(() => {
    if (saved === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = saved;
  });

  test('builtin validation on and CDK_VALIDATION unset: yes', () => {
    delete process.env.CDK_VALIDATION;
    expect(cdkAddsItsLinter(new App())).toBe(true);
  });

  test('builtin validation off: no', () => {
    expect(cdkAddsItsLinter(new App({ builtinCloudFormationValidation: false }))).toBe(false);
  });

  test('CDK_VALIDATION=false: no', () => {
    process.env.CDK_VALIDATION = 'false';
    expect(cdkAddsItsLinter(new App())).toBe(false);
  });
});

describe('the V8 flags set for the linter', () => {
  // Each engine lints in a fresh process: one with the flags on its command line, one with V8's defaults.
  test('the linter reports exactly the same with and without them (fresh processes)', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'linter-tiers-')), 'Tiers.template.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        Resources: {
          Topic: { Type: 'AWS::SNS::Topic', Properties: { NoSuchProperty: 1 } },
          Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
          Subnet: {
            Type: 'AWS::EC2::Subnet',
            Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/24', AvailabilityZone: 'us-east-2a' },
          },
          Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'soon' } },
        },
      }),
    );
    const script =
      "const { CloudFormationValidatePlugin } = require('aws-cdk-lib');" +
      `const t = ${JSON.stringify(file)};` +
      'const r = new CloudFormationValidatePlugin().validate({ templatePaths: [t], stackTemplates: [{ stackConstructPath: "S", templatePath: t }] });' +
      'process.stdout.write(JSON.stringify(r));';
    const lint = (flags: readonly string[]) => {
      const res = spawnSync(process.execPath, [...flags, '-e', script], {
        cwd: path.join(__dirname, '..', '..', '..'),
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
      });
      expect([res.status, res.stderr]).toEqual([0, '']);
      return JSON.parse(res.stdout) as { violations: Array<{ ruleName: string }> };
    };
    const withFlags = lint(LINTER_V8_FLAGS);
    expect(new Set(withFlags.violations.map((v) => v.ruleName)).size).toBeGreaterThanOrEqual(3);
    expect(withFlags).toEqual(lint([]));
  });

  test('TAP_LINTER_LIFTOFF_ONLY=false keeps V8 defaults; anything else sets the flags', () => {
    expect(linterV8Flags({ TAP_LINTER_LIFTOFF_ONLY: 'false' })).toEqual([]);
    expect(linterV8Flags({})).toEqual(LINTER_V8_FLAGS);
    expect(linterV8Flags({ TAP_LINTER_LIFTOFF_ONLY: 'true' })).toEqual(LINTER_V8_FLAGS);
  });

  test('this Node knows each of them: setting them prints nothing and the process exits 0', () => {
    const res = spawnSync(
      process.execPath,
      ['-e', `require('v8').setFlagsFromString(${JSON.stringify(LINTER_V8_FLAGS.join(' '))})`],
      { encoding: 'utf8' },
    );
    expect([res.status, res.stderr]).toEqual([0, '']);
    const known = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    for (const flag of LINTER_V8_FLAGS) expect(known).toContain(`${flag.replace(/^--/, '')} (`);
  });

  test('an unknown flag would print an error: the first check can fail', () => {
    const res = spawnSync(process.execPath, ['-e', "require('v8').setFlagsFromString('--no-such-flag')"], {
      encoding: 'utf8',
    });
    expect(res.stderr).toContain('unrecognized flag');
  });
});
