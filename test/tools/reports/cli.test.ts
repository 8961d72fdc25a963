import * as fs from 'fs';
import * as path from 'path';
import { runScript } from '../../helpers/gate';
import { makeFixtureRoot } from '../../helpers/reports-fixture';

const reports = (...args: string[]) => runScript('scripts/reports.ts', args);

describe('npm run reports (command line)', () => {
  test('without a synthesized cdk.out: exit 2, says what is missing and how to produce it, writes nothing', () => {
    const root = makeFixtureRoot();
    fs.rmSync(path.join(root, 'cdk.out'), { recursive: true });
    const { code, stderr } = reports('--root', root);
    expect(code).toBe(2);
    expect(stderr).toContain('reports: npm run reports cannot use cdk.out:');
    expect(stderr).toContain('cdk.out/dev is missing (no cdk.out/dev/manifest.json)');
    expect(stderr).toContain('Regenerate its inputs: npm run synth:all && npm run lint:cfn, then npm run reports.');
    expect(fs.existsSync(path.join(root, 'reports'))).toBe(false);
  });

  test('an unknown profile: exit 2 naming the value and what is allowed', () => {
    const { code, stderr } = reports('--profiles', 'staging');
    expect(code).toBe(2);
    expect(stderr).toContain('reports: --profiles = "staging": expected a comma-separated subset of dev, prod');
  });
});
