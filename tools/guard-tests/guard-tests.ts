/**
 * The Guard rule tests (tools only; synthesis runs the rules through the plugins in lib/compliance/guard.ts):
 * the project rules' listing, `cfn-guard test` of every rule against policies/tests/<rule>_tests.yaml, and the
 * deterministic JUnit report for reports/. `npm run test:guard` (scripts/guard-tests.ts) is the CLI.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as yaml from 'js-yaml';
import * as os from 'os';
import * as path from 'path';
import { cfnGuardBinary, guardRuleFiles, POLICIES_DIR } from '../../lib/compliance/guard';

export { type GuardRuleInfo, listGuardRules } from '../../lib/compliance/guard';

/** The `.guard` rules of `dir` that have no `tests/<rule>_tests.yaml` (cfn-guard test passes them silently). */
export function missingGuardTests(dir: string = POLICIES_DIR): string[] {
  return guardRuleFiles(dir)
    .map((file) => path.basename(file, '.guard'))
    .filter((rule) => !fs.existsSync(path.join(dir, 'tests', `${rule}_tests.yaml`)));
}

/** Result of `cfn-guard test` for one rule file. */
export interface GuardTestRun {
  readonly rule: string;
  /** cfn-guard's exit code: 0 when every expectation held. */
  readonly exitCode: number;
  readonly output: string;
}

/** Runs `cfn-guard test` (the bundled binary) for every rule of `dir` against its test file. */
export function runGuardTests(
  dir: string = POLICIES_DIR,
  format: 'single-line-summary' | 'json' | 'junit' = 'single-line-summary',
): GuardTestRun[] {
  return guardRuleFiles(dir).map((file) => {
    const rule = path.basename(file, '.guard');
    const result = spawnSync(
      cfnGuardBinary(),
      [
        'test',
        '--rules-file',
        file,
        '--test-data',
        path.join(dir, 'tests', `${rule}_tests.yaml`),
        '--output-format',
        format,
      ],
      { encoding: 'utf8' },
    );
    return { rule, exitCode: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
  });
}

/** One case of a `policies/tests/<rule>_tests.yaml` file. */
interface GuardTestCase {
  readonly name: string;
  readonly input: { readonly Resources?: Record<string, unknown> } & Record<string, unknown>;
  readonly expectations: { readonly rules: Record<string, string> };
}

/**
 * The FAIL cases of a rule's tests, each with one resource added per resource type the rule names, with empty
 * Properties. An unrelated resource that lacks an optional property must not switch a rule off: in Guard, a `let`
 * query over a property one resource lacks stays unresolved, and a `when %x not empty` guard on it then SKIPs the
 * whole rule (an alarm without AlarmActions turned tap_alarm_topic_cloudwatch_access off in the mutation suite).
 */
export function robustnessCases(ruleFile: string, testFile: string): GuardTestCase[] {
  const types = [
    ...new Set(fs.readFileSync(ruleFile, 'utf8').match(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g) ?? []),
  ];
  const cases = (yaml.load(fs.readFileSync(testFile, 'utf8')) ?? []) as GuardTestCase[];
  return cases
    .filter((c) => Object.values(c.expectations.rules).includes('FAIL'))
    .map((c) => ({
      name: `${c.name}, beside resources with empty Properties`,
      input: {
        ...c.input,
        Resources: {
          ...c.input.Resources,
          ...Object.fromEntries(
            types.map((type, i) => [`UnrelatedEmpty${i}`, { Type: type, Properties: {} }]),
          ),
        },
      },
      expectations: c.expectations,
    }));
}

/** Runs `cfn-guard test` for every rule of `dir` against its {@link robustnessCases}. */
export function runGuardRobustnessTests(dir: string = POLICIES_DIR): GuardTestRun[] {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-robustness-'));
  try {
    return guardRuleFiles(dir).flatMap((file) => {
      const rule = path.basename(file, '.guard');
      const cases = robustnessCases(file, path.join(dir, 'tests', `${rule}_tests.yaml`));
      if (cases.length === 0) return [];
      const data = path.join(work, `${rule}_tests.json`);
      fs.writeFileSync(data, JSON.stringify(cases));
      const result = spawnSync(cfnGuardBinary(), ['test', '--rules-file', file, '--test-data', data], {
        encoding: 'utf8',
      });
      return [
        {
          rule: `${rule} (robustness)`,
          exitCode: result.status ?? 1,
          output: `${result.stdout}${result.stderr}`,
        },
      ];
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** cfn-guard's JUnit report of `dir`, with the run-dependent `time` attributes removed. */
export function guardTestsJunit(dir: string = POLICIES_DIR): string {
  const result = spawnSync(
    cfnGuardBinary(),
    ['test', '--dir', '.', '--alphabetical', '--output-format', 'junit'],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
  return result.stdout.replace(/ time="\d+"/g, '');
}

/** The outcome of the whole suite: the lines to print and the exit code (0 all passed, 1 otherwise). */
export interface GuardSuiteResult {
  readonly lines: string[];
  readonly exitCode: 0 | 1;
}

/**
 * Runs every rule's tests: fails when a rule has no test file (cfn-guard itself passes such a rule) or an
 * expectation does not hold.
 */
export function runGuardTestSuite(dir: string = POLICIES_DIR): GuardSuiteResult {
  const missing = missingGuardTests(dir);
  if (missing.length > 0) {
    return {
      lines: [`Guard rules without policies/tests/<rule>_tests.yaml: ${missing.join(', ')}`],
      exitCode: 1,
    };
  }
  const lines: string[] = [];
  let failed = 0;
  for (const run of [...runGuardTests(dir), ...runGuardRobustnessTests(dir)]) {
    lines.push(`${run.exitCode === 0 ? 'PASS' : 'FAIL'} ${run.rule}`);
    if (run.exitCode !== 0) {
      failed++;
      lines.push(run.output);
    }
  }
  lines.push(
    `${failed === 0 ? 'All' : `${failed} of`} Guard rule test files ${failed === 0 ? 'passed' : 'failed'}.`,
  );
  return { lines, exitCode: failed === 0 ? 0 : 1 };
}
