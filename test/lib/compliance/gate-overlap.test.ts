import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import {
  CloudFormationValidatePlugin,
  type IPolicyValidationContext,
  type PolicyValidationPluginReport,
} from 'aws-cdk-lib';
import {
  applicableRuleFiles,
  ControlTowerPlugin,
  ErrorSeverityPlugin,
  resourceTypesOf,
} from '../../../lib/compliance/guard';
import { StartableCfnGuard } from '../../../lib/compliance/guard-run';
import { OffThreadCloudFormationValidate } from '../../../lib/compliance/linter';
import { PluginWorker } from '../../../lib/compliance/plugin-worker';
import { synthWithGate } from '../../helpers/gate';

/** What a spied validate() was asked and returned (copied as returned: CDK then edits the report objects). */
interface Call<T> {
  readonly plugin: T;
  readonly context: IPolicyValidationContext;
  readonly result: PolicyValidationPluginReport;
}

type Validate = (context: IPolicyValidationContext) => PolicyValidationPluginReport;

/** Records every validate() of a class's instances, passing the result through. */
function record<T>(cls: { prototype: T }): Array<Call<T>> {
  const calls: Array<Call<T>> = [];
  const prototype = cls.prototype as unknown as { validate: Validate };
  const original = prototype.validate;
  jest.spyOn(prototype, 'validate').mockImplementation(function (this: T, context: IPolicyValidationContext) {
    const result = original.call(this, context);
    calls.push({ plugin: this, context, result: structuredClone(result) });
    return result;
  });
  return calls;
}

/**
 * The gate's speed arrangement, on the real dev stack: the bundled linter and cfn-guard for both Guard layers
 * (the Control Tower rules in two runs) start in worker threads when the first plugin is asked, they report after
 * the in-process layers, and their reports are exactly what each engine returns in-process on the same templates.
 */
describe('the linter and the Guard layers overlap the in-process layers without changing their reports', () => {
  const start = jest.spyOn(StartableCfnGuard.prototype, 'start');
  const linterStart = jest.spyOn(OffThreadCloudFormationValidate.prototype, 'start');
  const requests = jest.spyOn(PluginWorker.prototype, 'request');
  const guardRuns = record(StartableCfnGuard);
  const controlTower = record(ControlTowerPlugin);
  const linter = record(OffThreadCloudFormationValidate);
  const guardInProcess = jest.spyOn(CfnGuardValidator.prototype, 'validate');
  const linterInProcess = jest.spyOn(CloudFormationValidatePlugin.prototype, 'validate');
  const { tap, report, error } = synthWithGate({ profile: 'dev' });
  const startedFirst = start.mock.invocationCallOrder.every(
    (order) =>
      order < Math.min(...(StartableCfnGuard.prototype.validate as jest.Mock).mock.invocationCallOrder),
  );
  const mainThreadRuns = [guardInProcess.mock.calls.length, linterInProcess.mock.calls.length];
  const linterStartedFirst =
    linterStart.mock.invocationCallOrder.length === 1 &&
    linterStart.mock.invocationCallOrder[0] <
      Math.min(...(OffThreadCloudFormationValidate.prototype.validate as jest.Mock).mock.invocationCallOrder);
  const requestCount = requests.mock.calls.length;
  jest.restoreAllMocks();

  test('the dev stack passes the gate', () => {
    expect(error).toBeUndefined();
  });

  test('the linter and the other in-process layers are asked before the Guard layers', () => {
    const order = [
      'AwsSolutions',
      'NIST.800.53.R5',
      'PCI.DSS.321',
      'tap-iam-evaluation',
      'CloudFormation Validate',
      'cfn-guard-control-tower',
      'cfn-guard-tap-policies',
    ];
    expect(tap.gatePlugins.map((p) => p.name)).toEqual(order);
    // The report lists the plugins with something to say, in the order they were asked.
    const reported = report.pluginReports.map((p) => p.pluginName).filter((n) => order.includes(n));
    expect(reported).toEqual(order.filter((n) => reported.includes(n)));
    expect(reported).toEqual(expect.arrayContaining(['CloudFormation Validate', 'cfn-guard-control-tower']));
  });

  test('three cfn-guard runs (Control Tower in two) started before any was asked; no engine ran on the main thread', () => {
    expect([guardRuns.length, startedFirst, mainThreadRuns, linter.length]).toEqual([3, true, [0, 0], 1]);
  });

  test('the linter was started before it was asked, and its report is the started run (one request per engine run)', () => {
    expect([linterStartedFirst, requestCount]).toEqual([true, 4]);
  });

  test("each cfn-guard run's report is the one the validator returns in-process on the same templates", () => {
    for (const { plugin, context, result } of guardRuns) {
      expect(result).toEqual(new CfnGuardValidator(plugin.props).validate(context));
    }
  });

  test("the Control Tower layer's report is that of one cfn-guard run over all its rules, in the same order", () => {
    expect(controlTower).toHaveLength(1);
    const [{ plugin, context, result }] = controlTower;
    const rules = applicableRuleFiles(plugin.ruleFiles, resourceTypesOf(context.templatePaths));
    const oneRun = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules });
    const expected = new ErrorSeverityPlugin(plugin.name, oneRun).validate(context);
    expect(expected.violations.length).toBeGreaterThan(3); // findings the register acknowledges, in several templates
    expect(
      new Set(expected.violations.map((v) => v.violatingResources[0].templatePath)).size,
    ).toBeGreaterThan(1);
    expect(result).toEqual(expected);
  });

  test("the linter's report is the one CDK's linter returns in-process on the same templates", () => {
    const [{ context, result }] = linter;
    expect(result.violations.length).toBeGreaterThan(0); // the hard-coded availability-zone warnings
    expect(result).toEqual(new CloudFormationValidatePlugin().validate(context));
  });
});
