import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type { IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { StartableCfnGuard } from '../../../lib/compliance/guard-run';
import { synthWithGate } from '../../helpers/gate';

/**
 * The gate's speed arrangement, on the real dev stack: cfn-guard for both Guard layers starts (in worker threads)
 * when the first plugin is asked, the Guard layers report after the in-process layers, and their reports are
 * exactly what the validator returns in-process on the same templates.
 */
describe('the Guard layers overlap the in-process layers without changing their reports', () => {
  const start = jest.spyOn(StartableCfnGuard.prototype, 'start');
  // Each report is copied as validate() returns it: CDK then edits the objects (relative template paths).
  const calls: Array<{
    guard: StartableCfnGuard;
    context: IPolicyValidationContext;
    result: PolicyValidationPluginReport;
  }> = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the plugin as `this`
  const original = StartableCfnGuard.prototype.validate;
  const validate = jest.spyOn(StartableCfnGuard.prototype, 'validate').mockImplementation(function (
    this: StartableCfnGuard,
    context,
  ) {
    const result = original.call(this, context);
    calls.push({ guard: this, context, result: structuredClone(result) });
    return result;
  });
  const inProcess = jest.spyOn(CfnGuardValidator.prototype, 'validate');
  const { tap, report, error } = synthWithGate({ profile: 'dev' });
  const startedFirst = start.mock.invocationCallOrder.every(
    (order) => order < Math.min(...validate.mock.invocationCallOrder),
  );
  const mainThreadRuns = inProcess.mock.calls.length;
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

  test('both Guard layers started cfn-guard before either was asked, and none ran it on the main thread', () => {
    expect([calls.length, startedFirst, mainThreadRuns]).toEqual([2, true, 0]);
  });

  test("each Guard layer's report is the one the validator returns in-process on the same templates", () => {
    for (const { guard, context, result } of calls) {
      expect(result).toEqual(new CfnGuardValidator(guard.props).validate(context));
    }
  });
});
