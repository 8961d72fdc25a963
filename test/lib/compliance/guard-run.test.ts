import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { guardRuleFiles, POLICIES_DIR } from '../../../lib/compliance/guard';
import { StartableCfnGuard } from '../../../lib/compliance/guard-run';

/** A template file with these resources. */
function template(resources: Record<string, unknown>): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'guard-run-')), 'T.template.json');
  fs.writeFileSync(file, JSON.stringify({ Resources: resources }));
  return file;
}

const silentAlarm = { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'X', Threshold: 1 } };
const props = { controlTowerRulesEnabled: false, rules: guardRuleFiles(POLICIES_DIR) };

describe('StartableCfnGuard: cfn-guard started early in a worker thread, its report read by validate()', () => {
  afterEach(() => jest.restoreAllMocks());

  test('a started run reports exactly what the validator reports in-process, without running it on the main thread', () => {
    const file = template({ First: silentAlarm, Second: silentAlarm });
    const context = { templatePaths: [file] } as never;
    const inProcess = new CfnGuardValidator(props).validate(context);
    expect(inProcess.violations.map((v) => v.ruleName)).toContain('tap_alarm_actions');

    const guard = new StartableCfnGuard(props);
    const spy = jest.spyOn(CfnGuardValidator.prototype, 'validate');
    guard.start({ templatePaths: [file] });
    const started = guard.validate(context);
    expect(spy).not.toHaveBeenCalled();
    expect(started).toEqual(inProcess);
  });

  test('asked about other templates than it was started on, it validates those in-process', () => {
    const started = template({ First: silentAlarm });
    const asked = template({ Other: silentAlarm, Another: silentAlarm });
    const guard = new StartableCfnGuard(props);
    guard.start({ templatePaths: [started] });
    const spy = jest.spyOn(CfnGuardValidator.prototype, 'validate');
    const report = guard.validate({ templatePaths: [asked] } as never);
    expect(spy).toHaveBeenCalledTimes(1);
    const alarms = report.violations.find((v) => v.ruleName === 'tap_alarm_actions')!;
    expect(alarms.violatingResources.map((r) => r.resourceLogicalId).sort()).toEqual(['Another', 'Other']);
  });

  test('a started run is used once: the next validate() runs in-process', () => {
    const file = template({ First: silentAlarm });
    const guard = new StartableCfnGuard(props);
    guard.start({ templatePaths: [file] });
    guard.validate({ templatePaths: [file] } as never);
    const spy = jest.spyOn(CfnGuardValidator.prototype, 'validate');
    guard.validate({ templatePaths: [file] } as never);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  test('a discarded run is not read: the next validate() runs in-process', () => {
    const file = template({ First: silentAlarm });
    const guard = new StartableCfnGuard(props);
    guard.start({ templatePaths: [file] });
    guard.discard();
    const spy = jest.spyOn(CfnGuardValidator.prototype, 'validate');
    guard.validate({ templatePaths: [file] } as never);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  test('a validator failure in the worker is thrown by validate() with the validator message', () => {
    const file = template({ First: silentAlarm });
    const missing = path.join(path.dirname(file), 'missing.guard');
    const brokenProps = { controlTowerRulesEnabled: false, rules: [missing] };
    let inProcess = '';
    try {
      new CfnGuardValidator(brokenProps).validate({ templatePaths: [file] } as never);
    } catch (e) {
      inProcess = (e as Error).message;
    }
    expect(inProcess).toContain(`ENOENT: no such file or directory, stat '${missing}'`);
    const guard = new StartableCfnGuard(brokenProps);
    guard.start({ templatePaths: [file] });
    expect(() => guard.validate({ templatePaths: [file] } as never)).toThrow(inProcess);
  });
});
