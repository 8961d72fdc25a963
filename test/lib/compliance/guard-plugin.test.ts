import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, type IPolicyValidationPlugin, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  applicableRuleFiles,
  CONTROL_TOWER_RULES_DIR,
  controlTowerPlugin,
  ErrorSeverityPlugin,
  guardRuleFiles,
  mergeGuardReports,
  POLICIES_DIR,
  resourceTypesOf,
  tapGuardPlugin,
} from '../../../lib/compliance/guard';
import { readReport } from '../../helpers/gate';

/** An app with two alarms that have no action: one Guard violation (tap_alarm_actions) on two resources. */
function twoSilentAlarms(plugin: IPolicyValidationPlugin) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-plugin-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Guarded', { env: { region: 'us-east-2' } });
  const metric = new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' });
  const first = new cloudwatch.Alarm(stack, 'First', { metric, threshold: 1, evaluationPeriods: 1 });
  new cloudwatch.Alarm(stack, 'Second', { metric, threshold: 1, evaluationPeriods: 1 });
  Validations.of(app).addPlugins(plugin);
  const report = () => readReport(outdir);
  return { app, first, report };
}

describe('the Guard plugins are wrapped so every violation is an error', () => {
  test('ErrorSeverityPlugin stamps severity "error" on every violation and keeps name and version', () => {
    const inner: IPolicyValidationPlugin = {
      name: 'inner',
      version: '1.2.3',
      validate: () => ({
        success: false,
        violations: [{ ruleName: 'r', description: 'd', violatingResources: [] }],
      }),
    };
    const wrapped = new ErrorSeverityPlugin('outer', inner);
    expect([wrapped.name, wrapped.version]).toEqual(['outer', '1.2.3']);
    const report = wrapped.validate({ templatePaths: [] } as never);
    expect(report.success).toBe(false);
    expect(report.violations.map((v) => v.severity)).toEqual(['error']);
  });

  test('the project Guard plugin reports an alarm without action as an error', () => {
    const { app, report } = twoSilentAlarms(tapGuardPlugin());
    expect(() => app.synth()).toThrow(/tap_alarm_actions/);
    const guard = report().pluginReports.find((p) => p.pluginName === 'cfn-guard-tap-policies')!;
    expect(guard.conclusion).toBe('failure');
    const alarms = guard.violations.filter((v) => v.ruleName === 'tap_alarm_actions');
    expect(alarms.map((v) => [v.severity, v.violatingConstructs.length])).toEqual([['error', 2]]);
    // The alarms are untagged too: every violation of the plugin is an error.
    expect(new Set(guard.violations.map((v) => v.severity))).toEqual(new Set(['error']));
  });

  test('one acknowledgement does not let the other Guard violation through (wrapped plugin)', () => {
    const { app, first, report } = twoSilentAlarms(tapGuardPlugin());
    Validations.of(first).acknowledge({
      id: 'cfn-guard-tap-policies::tap_alarm_actions',
      reason: 'test only',
    });
    expect(() => app.synth()).toThrow(/tap_alarm_actions/);
    const guard = report().pluginReports.find((p) => p.pluginName === 'cfn-guard-tap-policies')!;
    expect(guard.conclusion).toBe('failure');
    expect(guard.suppressedViolations!.map((s) => s.acknowledgedId)).toEqual([
      'cfn-guard-tap-policies::tap_alarm_actions',
    ]);
    const alarms = guard.violations.filter((v) => v.ruleName === 'tap_alarm_actions');
    expect(alarms.flatMap((v) => v.violatingConstructs.map((c) => c.constructPath))).toEqual([
      'Guarded/Second/Resource',
    ]);
  });

  test('why the wrapper exists: the bare validator lets the unacknowledged violation pass once one is acknowledged', () => {
    const bare = new CfnGuardValidator({
      controlTowerRulesEnabled: false,
      rules: guardRuleFiles(POLICIES_DIR),
    });
    const { app, first, report } = twoSilentAlarms(bare);
    Validations.of(first).acknowledge({
      id: 'cdk-validator-cfnguard::tap_alarm_actions',
      reason: 'test only',
    });
    expect(() => app.synth()).not.toThrow();
    const guard = report().pluginReports.find((p) => p.pluginName === 'cdk-validator-cfnguard')!;
    expect(guard.conclusion).toBe('success');
    const alarms = guard.violations.filter((v) => v.ruleName === 'tap_alarm_actions');
    expect(alarms.flatMap((v) => v.violatingConstructs.map((c) => c.constructPath))).toEqual([
      'Guarded/Second/Resource',
    ]);
  });
});

describe('the Control Tower plugin', () => {
  function logGroupApp(plugin: IPolicyValidationPlugin) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-plugin-'));
    const app = new App({ outdir, builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Logs', { env: { region: 'us-east-2' } });
    new logs.LogGroup(stack, 'Short', { retention: logs.RetentionDays.ONE_WEEK });
    Validations.of(app).addPlugins(plugin);
    return { app, outdir };
  }

  test('blocks a log group kept less than a year (CT.CLOUDWATCH.PR.2) with severity error', () => {
    const { app, outdir } = logGroupApp(controlTowerPlugin());
    expect(() => app.synth()).toThrow(/cloudwatch_log_group_retention_period_check/);
    const report = fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8');
    expect(report).toContain('"pluginName": "cfn-guard-control-tower"');
    expect(report).toContain('[CT.CLOUDWATCH.PR.2]');
  });

  test('a rule disabled in the register (by file name) is not evaluated', () => {
    const plugin = controlTowerPlugin(['ct-cloudwatch-pr-2', 'ct-cloudwatch-pr-3']);
    expect(plugin.ruleIds).not.toContain('cloudwatchpr2');
    expect(controlTowerPlugin().ruleIds).toContain('cloudwatchpr2');
    const { app } = logGroupApp(plugin);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('the Control Tower plugin runs only the rules that can select a resource of the templates', () => {
  const template = (resources: Record<string, unknown>) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ct-sel-')), 'T.template.json');
    fs.writeFileSync(file, JSON.stringify({ Resources: resources }));
    return file;
  };

  test('selects by the resource types a rule names', () => {
    const file = template({ Logs: { Type: 'AWS::Logs::LogGroup', Properties: {} } });
    const selected = applicableRuleFiles(CONTROL_TOWER_RULES_DIR, resourceTypesOf([file])).map((f) =>
      path.basename(f),
    );
    expect(selected).toContain('ct-cloudwatch-pr-2.guard');
    expect(selected).not.toContain('ct-ecs-pr-2.guard');
  });

  test('reports the same violations as running every Control Tower rule', () => {
    const file = template({
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } },
      Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
      Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'X' } },
      Cluster: { Type: 'AWS::ECS::Cluster', Properties: {} },
    });
    const context = { templatePaths: [file] } as never;
    const strip = (report: { violations: Array<{ ruleName: string }> }) =>
      report.violations
        .map((v) => ({ ...v, severity: undefined }))
        .sort((a, b) => a.ruleName.localeCompare(b.ruleName));
    const selective = controlTowerPlugin().validate(context);
    expect(selective.violations.length).toBeGreaterThan(3);
    expect(strip(selective)).toEqual(strip(new CfnGuardValidator({}).validate(context)));
  });
});

describe('the Control Tower layer runs its rules in two cfn-guard runs and reports as one run would', () => {
  // Two rule files, each failing on a resource of both templates: one run reports template by template, each in
  // rule-file order; the two runs (one per rule file) report rule by rule.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-merge-'));
  const rule = (name: string, type: string) => {
    const file = path.join(dir, `${name}.guard`);
    fs.writeFileSync(
      file,
      `let selected = Resources.*[ Type == '${type}' ]\n` +
        `rule ${name} when %selected !empty {\n  %selected.Properties.Marker exists\n}\n`,
    );
    return file;
  };
  const rules = [rule('a_topic_marked', 'AWS::SNS::Topic'), rule('b_queue_marked', 'AWS::SQS::Queue')];
  const templates = ['First', 'Second'].map((name) => {
    const file = path.join(dir, `${name}.template.json`);
    const resources = {
      Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
      Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    };
    fs.writeFileSync(file, JSON.stringify({ Resources: resources }));
    return file;
  });
  const context = { templatePaths: templates } as never;
  const run = (files: string[]) =>
    new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: files }).validate(context);
  const where = (report: {
    violations: Array<{ ruleName: string; violatingResources: Array<{ templatePath?: string }> }>;
  }) =>
    report.violations.map(
      (v) => `${path.basename(v.violatingResources[0].templatePath ?? '')} ${v.ruleName}`,
    );

  test('one run reports template by template, in rule-file order', () => {
    expect(where(run(rules))).toEqual([
      'First.template.json a_topic_marked',
      'First.template.json b_queue_marked',
      'Second.template.json a_topic_marked',
      'Second.template.json b_queue_marked',
    ]);
  });

  test('the two runs, merged, give exactly the report of one run', () => {
    const parts = [run(rules.slice(0, 1)), run(rules.slice(1))];
    expect(where({ violations: parts.flatMap((p) => p.violations) })).not.toEqual(where(run(rules)));
    expect(mergeGuardReports(parts, templates)).toEqual(run(rules));
  });

  test("templates named through a symbolic link (cfn-guard reports real paths): still one run's order", () => {
    const link = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ct-link-')), 'templates');
    fs.symlinkSync(dir, link);
    const linked = templates.map((t) => path.join(link, path.basename(t)));
    const runOn = (files: string[]) =>
      new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: files }).validate({
        templatePaths: linked,
      } as never);
    const parts = [runOn(rules.slice(0, 1)), runOn(rules.slice(1))];
    expect(where(mergeGuardReports(parts, linked))).toEqual(where(runOn(rules)));
    expect(mergeGuardReports(parts, linked)).toEqual(runOn(rules));
  });

  test('the merged report fails when one run fails, and passes when both pass', () => {
    const pass = { success: true, violations: [] };
    expect(mergeGuardReports([pass, run(rules.slice(1))], templates).success).toBe(false);
    expect(mergeGuardReports([pass, pass], templates)).toEqual(pass);
  });
});
