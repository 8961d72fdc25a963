import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LAYERS } from '../../../lib/compliance/layers';
import { type Mutation, MUTATION_NAMES, MUTATIONS } from '../../fixtures/mutations';
import { blocking, readReport, run } from '../../helpers/gate';

/**
 * Every known violation injected at once into the REAL stack (test/fixtures/mutation-app.ts builds it with
 * createApp), synthesized as a process the way `cdk synth` runs bin/tap.ts. Each mutation touches a different
 * construct, so each finding is attributable by (plugin, rule, construct path).
 */
describe('mutation suite: known violations injected into the real stack are blocked', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutations-'));
  const result = run('npx', ['tsx', 'test/fixtures/mutation-app.ts', 'all'], { CDK_OUTDIR: outdir });
  const report = readReport(outdir);
  const findings = blocking(report);
  const mutations: Mutation[] = MUTATION_NAMES.map((n) => MUTATIONS[n]);

  test('synthesis fails with a non-zero exit and points at the report', () => {
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('Validation failed');
  });

  test.each(MUTATION_NAMES)('%s is blocked with its rule ID on the mutated construct', (name) => {
    const mutation: Mutation = MUTATIONS[name];
    for (const expected of mutation.expected) {
      expect(findings).toContainEqual({ ...expected, severity: 'error' });
    }
  });

  test('each layer blocks at least one injected violation of its own kind', () => {
    const synthLayers = LAYERS.filter((l) => l.id !== 'cfn-lint').map((l) => l.pluginName);
    for (const plugin of synthLayers) {
      const own = report.pluginReports.find((p) => p.pluginName === plugin);
      expect({
        plugin,
        conclusion: own?.conclusion,
        blocking: findings.some((f) => f.plugin === plugin),
      }).toEqual({
        plugin,
        conclusion: 'failure',
        blocking: true,
      });
    }
  });

  test('nothing else is blocked: every blocking finding is on a construct a mutation touched', () => {
    const touched = new Set(mutations.flatMap((m) => m.expected.map((e) => e.path)));
    expect(findings.filter((f) => !touched.has(f.path))).toEqual([]);
  });
});
