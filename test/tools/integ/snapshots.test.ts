import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkSnapshot, checkSnapshots, integApps, type SynthIntegApp } from '../../../tools/integ/snapshots';

let root: string;
let app: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-test-'));
  app = path.join(root, 'integ.sample.ts');
  fs.writeFileSync(app, '// an integ app\n');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const template = (hash: string, bucket = 'b') => ({
  Resources: { Fn: { Properties: { Code: { S3Key: `${hash}.zip` }, Bucket: bucket } } },
});
/** A synthesis that writes these files (JSON) into its outdir. */
const synthWriting =
  (files: Record<string, unknown>): SynthIntegApp =>
  (_file, outdir) => {
    for (const [name, json] of Object.entries(files)) {
      fs.writeFileSync(path.join(outdir, name), JSON.stringify(json));
    }
    fs.writeFileSync(path.join(outdir, 'manifest.json'), '{}'); // not part of a snapshot
    return Promise.resolve();
  };
const givenSnapshot = (files: Record<string, unknown>) => {
  fs.mkdirSync(`${app}.snapshot`);
  for (const [name, json] of Object.entries(files)) {
    fs.writeFileSync(path.join(`${app}.snapshot`, name), JSON.stringify(json));
  }
};

test('asset hashes and the assertion salt are masked; anything else is a difference', async () => {
  givenSnapshot({ 'S.template.json': template('a'.repeat(64)), 'integ.json': { salt: '1' } });
  const same = synthWriting({ 'S.template.json': template('b'.repeat(64)), 'integ.json': { salt: '2' } });
  await expect(checkSnapshot(app, { root, update: false, synth: same })).resolves.toEqual([]);
  const changed = synthWriting({ 'S.template.json': template('b'.repeat(64), 'other'), 'integ.json': {} });
  await expect(checkSnapshot(app, { root, update: false, synth: changed })).resolves.toEqual([
    'S.template.json: differs from line 8: snapshot "    \\"Bucket\\": \\"b\\"", now "    \\"Bucket\\": \\"other\\""',
    'integ.json: differs from line 1: snapshot "{", now "{}"',
  ]);
});

test('files missing on either side, and no snapshot at all', async () => {
  await expect(
    checkSnapshot(app, { root, update: false, synth: synthWriting({ 'S.template.json': {} }) }),
  ).resolves.toEqual(['no snapshot integ.sample.ts.snapshot: run npm run test:integ -- --update']);
  givenSnapshot({ 'Old.template.json': {} });
  await expect(
    checkSnapshot(app, { root, update: false, synth: synthWriting({ 'New.template.json': {} }) }),
  ).resolves.toEqual([
    'Old.template.json: in the snapshot, no longer synthesized',
    'New.template.json: synthesized, not in the snapshot',
  ]);
});

test('--update rewrites the snapshot with the templates and integ.json only', async () => {
  givenSnapshot({ 'Old.template.json': {} });
  const synth = synthWriting({ 'New.template.json': { a: 1 }, 'integ.json': {} });
  await expect(checkSnapshot(app, { root, update: true, synth })).resolves.toEqual([]);
  expect(fs.readdirSync(`${app}.snapshot`).sort()).toEqual(['New.template.json', 'integ.json']);
});

test('a failed synthesis is a problem of its app; every app is reported', async () => {
  const other = path.join(root, 'integ.other.ts');
  fs.writeFileSync(other, '');
  expect(integApps(root)).toEqual([other, app]);
  const synth: SynthIntegApp = (file) =>
    file === other
      ? Promise.reject(new Error('synth of integ.other.ts failed (1):\nboom'))
      : Promise.resolve();
  givenSnapshot({});
  const heard: string[] = [];
  const results = await checkSnapshots(integApps(root), { root, update: false, synth }, (r) =>
    heard.push(path.basename(r.app)),
  );
  expect(heard.sort()).toEqual(['integ.other.ts', 'integ.sample.ts']);
  expect(Object.fromEntries(results.map((r) => [path.basename(r.app), r.problems]))).toEqual({
    'integ.other.ts': ['synth of integ.other.ts failed (1):\nboom'],
    'integ.sample.ts': [],
  });
});
