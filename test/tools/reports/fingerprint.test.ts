import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeDiff, diffFingerprints, fingerprintSources } from '../../../tools/reports/fingerprint';

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fingerprint-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('source fingerprint of a synthesis', () => {
  const files = {
    'lib/a.ts': 'a',
    'aspects/b.ts': 'b',
    'policies/c.guard': 'c',
    'cdk.json': '{}',
    'package-lock.json': '{}',
  };

  test('covers the app, rules, policies, Lambda sources, feature flags and lockfile; not docs, tests or hidden files', () => {
    const root = tree({ ...files, 'docs/x.md': 'x', 'test/t.ts': 't', 'lib/.DS_Store': 'x', 'README.md': 'r' });
    expect(Object.keys(fingerprintSources(root).files)).toEqual([
      'aspects/b.ts',
      'cdk.json',
      'lib/a.ts',
      'package-lock.json',
      'policies/c.guard',
    ]);
  });

  test('is the same for the same files wherever the checkout is', () => {
    expect(fingerprintSources(tree(files)).digest).toBe(fingerprintSources(tree(files)).digest);
  });

  test('a changed, added or removed input changes the digest and is named', () => {
    const before = fingerprintSources(tree(files));
    const rest: Record<string, string> = { ...files };
    delete rest['aspects/b.ts'];
    const after = fingerprintSources(tree({ ...rest, 'lib/a.ts': 'A', 'lambda/h/index.ts': 'h' }));
    expect(after.digest).not.toBe(before.digest);
    expect(diffFingerprints(before, after)).toEqual({
      changed: ['lib/a.ts'],
      added: ['lambda/h/index.ts'],
      removed: ['aspects/b.ts'],
    });
    expect(describeDiff(diffFingerprints(before, after))).toEqual([
      'changed: lib/a.ts',
      'added:   lambda/h/index.ts',
      'removed: aspects/b.ts',
    ]);
  });

  test('a change outside the inputs (docs) leaves the digest alone', () => {
    expect(fingerprintSources(tree({ ...files, 'docs/x.md': '1' })).digest).toBe(
      fingerprintSources(tree({ ...files, 'docs/x.md': '2' })).digest,
    );
  });
});
