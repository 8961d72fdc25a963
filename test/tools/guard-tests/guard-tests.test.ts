import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TAGGABLE_RESOURCE_TYPES } from '../../../aspects/tags/taggable-types';
import { STATEFUL_RESOURCE_TYPES } from '../../../aspects/data/stateful-types';
import { guardRuleFiles, parameterizedRuleFiles, POLICIES_DIR } from '../../../lib/compliance/guard';
import {
  listGuardRules,
  missingGuardTests,
  runGuardRobustnessTests,
  runGuardTests,
  runGuardTestSuite,
} from '../../../tools/guard-tests/guard-tests';
import { TASK_ROLE_ALLOWED_ACTIONS } from '../../../lib/constructs/task-role';
import { CONTAINER_SECRETS_ALLOWED, FOREIGN_PRINCIPALS_ALLOWED } from '../../../lib/compliance/access-matrix';

const runs = runGuardTests();
const guardList = (rule: string, variable: string): string[] => {
  const text = fs.readFileSync(path.join(POLICIES_DIR, `${rule}.guard`), 'utf8');
  const block = new RegExp(`let ${variable} = \\[([^\\]]*)\\]`).exec(text)![1];
  return [...block.matchAll(/"([^"]+)"/g)].map((m) => m[1]).sort();
};

describe('project Guard rules (policies/)', () => {
  test('the rules are the ones the issue asks for, at least', () => {
    expect(guardRuleFiles(POLICIES_DIR).map((f) => path.basename(f, '.guard'))).toEqual([
      'tap_alarm_actions',
      'tap_alarm_can_fire',
      'tap_alarm_topic_cloudwatch_access',
      'tap_alb_deletion_protection_access_logs',
      'tap_alb_internal',
      'tap_aurora_backup_retention',
      'tap_codedeploy_rollback_alarms',
      'tap_deployment_design_numbers',
      'tap_ecs_code_deploy_capacity_provider',
      'tap_ecs_no_public_ip',
      'tap_ecs_scalable_target_floor',
      'tap_log_groups_encrypted',
      'tap_network_egress_allow_list',
      'tap_network_ingress_allow_list',
      'tap_no_internet_ingress',
      'tap_required_tags',
      'tap_resource_policy_principals',
      'tap_scaling_design_numbers',
      'tap_sns_no_public_subscribe',
      'tap_stateful_resources_retained',
      'tap_task_definitions',
      'tap_task_role_action_allow_list',
      'tap_task_role_contract',
    ]);
  });

  test('every rule has a test file (cfn-guard test itself passes a rule without one)', () => {
    expect(missingGuardTests()).toEqual([]);
  });

  test('the missing-test check finds a rule without a test file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
    fs.mkdirSync(path.join(dir, 'tests'));
    fs.copyFileSync(
      path.join(POLICIES_DIR, 'tap_alarm_actions.guard'),
      path.join(dir, 'tap_alarm_actions.guard'),
    );
    fs.writeFileSync(path.join(dir, 'untested_rule.guard'), 'rule untested_rule { Resources exists }\n');
    fs.copyFileSync(
      path.join(POLICIES_DIR, 'tests', 'tap_alarm_actions_tests.yaml'),
      path.join(dir, 'tests', 'tap_alarm_actions_tests.yaml'),
    );
    expect(missingGuardTests(dir)).toEqual(['untested_rule']);
  });

  test.each(guardRuleFiles(POLICIES_DIR).map((f) => path.basename(f, '.guard')))(
    '%s: named after its file, with SKIP, PASS and FAIL cases, all passing under cfn-guard test',
    (rule) => {
      expect(listGuardRules(POLICIES_DIR).find((r) => r.file === rule)?.ruleName).toBe(rule);
      const tests = fs.readFileSync(path.join(POLICIES_DIR, 'tests', `${rule}_tests.yaml`), 'utf8');
      for (const status of ['SKIP', 'PASS', 'FAIL']) expect(tests).toContain(`${rule}: ${status}`);
      const run = runs.find((r) => r.rule === rule)!;
      expect({ rule, exitCode: run.exitCode, failed: /FAIL Rules/.test(run.output) }).toEqual({
        rule,
        exitCode: 0,
        failed: false,
      });
    },
  );

  test('every FAIL case still fails beside resources of the types the rule reads with empty Properties', () => {
    const robustness = runGuardRobustnessTests();
    expect(robustness.length).toBeGreaterThan(15);
    expect(robustness.filter((r) => r.exitCode !== 0).map((r) => `${r.rule}: ${r.output}`)).toEqual([]);
  });

  test('the robustness check catches a rule that one alarm without actions switches off (the old topic rule)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
    fs.mkdirSync(path.join(dir, 'tests'));
    const rule = 'tap_alarm_topic_cloudwatch_access';
    const old = fs
      .readFileSync(path.join(POLICIES_DIR, `${rule}.guard`), 'utf8')
      .replace(
        /let tap_alarm_topics = Resources\.\*\[[^\]]*\]/,
        "let tap_alarm_topics = Resources.*[ Type == 'AWS::CloudWatch::Alarm' ]",
      );
    expect(old).toContain(
      "let tap_alarm_topics = Resources.*[ Type == 'AWS::CloudWatch::Alarm' ].Properties",
    );
    fs.writeFileSync(path.join(dir, `${rule}.guard`), old);
    const tests = fs.readFileSync(path.join(POLICIES_DIR, 'tests', `${rule}_tests.yaml`), 'utf8');
    // Without the fixture that has an action-less alarm, the rule's own tests cannot tell.
    fs.writeFileSync(
      path.join(dir, 'tests', `${rule}_tests.yaml`),
      tests.replace(/- name: FAIL when the uncovered topic is notified beside[\s\S]*?(?=- name: PASS)/, ''),
    );
    expect(runGuardTests(dir)[0].exitCode).toBe(0);
    const [robust] = runGuardRobustnessTests(dir);
    expect(robust.exitCode).not.toBe(0);
    expect(robust.output).toContain('Expected = FAIL, Evaluated = [SKIP]');
  });

  test('cfn-guard test exits non-zero when an expectation does not hold (the runner can fail)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
    fs.mkdirSync(path.join(dir, 'tests'));
    fs.copyFileSync(
      path.join(POLICIES_DIR, 'tap_alarm_actions.guard'),
      path.join(dir, 'tap_alarm_actions.guard'),
    );
    const wrong = fs
      .readFileSync(path.join(POLICIES_DIR, 'tests', 'tap_alarm_actions_tests.yaml'), 'utf8')
      .replace('tap_alarm_actions: PASS', 'tap_alarm_actions: FAIL');
    fs.writeFileSync(path.join(dir, 'tests', 'tap_alarm_actions_tests.yaml'), wrong);
    const [run] = runGuardTests(dir);
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain('FAIL Rules');
  });

  test('the suite (npm run test:guard) fails on a missing test file and on a failed expectation', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
    fs.mkdirSync(path.join(dir, 'tests'));
    fs.copyFileSync(
      path.join(POLICIES_DIR, 'tap_alarm_actions.guard'),
      path.join(dir, 'tap_alarm_actions.guard'),
    );
    expect(runGuardTestSuite(dir)).toEqual({
      lines: ['Guard rules without policies/tests/<rule>_tests.yaml: tap_alarm_actions'],
      exitCode: 1,
    });
    const tests = fs.readFileSync(path.join(POLICIES_DIR, 'tests', 'tap_alarm_actions_tests.yaml'), 'utf8');
    fs.writeFileSync(path.join(dir, 'tests', 'tap_alarm_actions_tests.yaml'), tests);
    const passing = runGuardTestSuite(dir);
    expect(passing.exitCode).toBe(0);
    expect(passing.lines).toEqual([
      'PASS tap_alarm_actions',
      'PASS tap_alarm_actions (robustness)',
      'All Guard rule test files passed.',
    ]);
    const wrong = tests.replace('tap_alarm_actions: PASS', 'tap_alarm_actions: FAIL');
    fs.writeFileSync(path.join(dir, 'tests', 'tap_alarm_actions_tests.yaml'), wrong);
    const failing = runGuardTestSuite(dir);
    expect(failing.exitCode).toBe(1);
    expect(failing.lines[0]).toBe('FAIL tap_alarm_actions');
    expect(failing.lines.at(-1)).toBe('1 of Guard rule test files failed.');
  });

  test('tap_required_tags checks the same taggable types as the tagging Aspect and TAP-TAG-1', () => {
    expect(guardList('tap_required_tags', 'TAGGABLE_TYPES')).toEqual([...TAGGABLE_RESOURCE_TYPES].sort());
  });

  test('tap_task_role_action_allow_list allows the same actions as TASK_ROLE_ALLOWED_ACTIONS', () => {
    expect(guardList('tap_task_role_action_allow_list', 'ALLOWED_ACTIONS')).toEqual(
      [...TASK_ROLE_ALLOWED_ACTIONS].sort(),
    );
  });

  test('tap_resource_policy_principals allows the task role the same actions and foreign principals as the Aspects', () => {
    expect(guardList('tap_resource_policy_principals', 'TASK_ROLE_ALLOWED_ACTIONS')).toEqual(
      [...TASK_ROLE_ALLOWED_ACTIONS].sort(),
    );
    expect(guardList('tap_resource_policy_principals', 'ALLOWED_FOREIGN_PRINCIPALS')).toEqual(
      Object.keys(FOREIGN_PRINCIPALS_ALLOWED).sort(),
    );
  });

  test('tap_task_role_contract forbids every container secret, so the allow-list must stay empty', () => {
    expect(CONTAINER_SECRETS_ALLOWED).toEqual({});
  });

  test('the gate sets the Guard parameters from the configuration, and an unknown parameter is an error', () => {
    const files = parameterizedRuleFiles(guardRuleFiles(POLICIES_DIR), { MIN_BACKUP_RETENTION_DAYS: 35 });
    const text = fs.readFileSync(
      files.find((f) => f.endsWith('tap_aurora_backup_retention.guard'))!,
      'utf8',
    );
    expect(text).toMatch(/^let MIN_BACKUP_RETENTION_DAYS = 35$/m);
    expect(() => parameterizedRuleFiles(guardRuleFiles(POLICIES_DIR), { NO_SUCH: 1 })).toThrow(
      /^Guard parameter\(s\) NO_SUCH are declared by no rule file/,
    );
  });

  test('tap_stateful_resources_retained covers the stateful types of TAP-DAT-1 (standalone DB instances separately)', () => {
    expect(guardList('tap_stateful_resources_retained', 'STATEFUL_TYPES')).toEqual(
      STATEFUL_RESOURCE_TYPES.filter((t) => t !== 'AWS::RDS::DBInstance').sort(),
    );
  });
});
