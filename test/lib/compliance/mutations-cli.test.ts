import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn } from 'child_process';
import { MUTATIONS, type MutationName } from '../../fixtures/mutations';
import { blocking, readReport, type ValidationReport } from '../../helpers/gate';
import { REPO_ROOT } from '../../helpers/synth';

const CASES: MutationName[] = [
  'task-role-kinesis-wildcard',
  'listener-open-to-internet',
  'expired-exemption',
];

/** `npx cdk synth --app "<mutation app> <name>"`: the real CLI path, one violation per run. */
function cdkSynth(name: MutationName): Promise<{ code: number; output: string; report: ValidationReport }> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `cli-${name}-`));
  return new Promise((resolve) => {
    const child = spawn(
      'npx',
      ['cdk', 'synth', '--quiet', '--app', `npx tsx test/fixtures/mutation-app.ts ${name}`, '-o', outdir],
      { cwd: REPO_ROOT, env: { ...process.env, NODE_ENV: undefined } },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, output, report: readReport(outdir) }));
  });
}

describe('the CDK CLI refuses a mutated stack with a non-zero exit and the rule ID', () => {
  const runs: Partial<Record<MutationName, Awaited<ReturnType<typeof cdkSynth>>>> = {};
  beforeAll(async () => {
    const results = await Promise.all(CASES.map((name) => cdkSynth(name)));
    CASES.forEach((name, i) => (runs[name] = results[i]));
  }, 600_000);

  test.each(CASES)('npx cdk synth with %s exits non-zero and names every expected rule', (name) => {
    const { code, output, report } = runs[name]!;
    expect(code).not.toBe(0);
    expect(output).toContain('Synthesis finished with errors');
    const findings = blocking(report);
    for (const expected of MUTATIONS[name].expected) {
      expect(findings).toContainEqual({ ...expected, severity: 'error' });
      expect(output).toContain(expected.rule.replace(/^Annotation::/, ''));
    }
    const touched = new Set(MUTATIONS[name].expected.map((e) => e.path));
    expect(findings.filter((f) => !touched.has(f.path))).toEqual([]);
  });
});
