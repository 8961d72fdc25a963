import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fingerprintSources } from '../../../tools/reports/fingerprint';
import { type SynthRun, synthAll } from '../../../tools/synth-all/synth-all';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-all-'));
  fs.mkdirSync(path.join(root, 'lib'));
  fs.writeFileSync(path.join(root, 'lib', 'stack.ts'), 'export const v = 1;\n');
  fs.mkdirSync(path.join(root, 'cdk.out', 'old'), { recursive: true });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const stamp = (profile: string) =>
  JSON.parse(fs.readFileSync(path.join(root, 'cdk.out', profile, 'synth-inputs.json'), 'utf8')) as {
    profile: string;
    command: string;
    sources: { digest: string };
  };

/** A synthesis that writes its assembly directory, edits a source meanwhile, and ends with `codes[profile]`. */
function fakeSynth(codes: Record<string, number>, log: string[]) {
  return async (profile: string, dir: string): Promise<SynthRun> => {
    log.push(`start ${profile}`);
    fs.mkdirSync(path.join(dir, 'cdk.out', profile), { recursive: true });
    fs.appendFileSync(path.join(dir, 'lib', 'stack.ts'), `// edited while ${profile} synthesized\n`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    log.push(`end ${profile}`);
    return { profile, code: codes[profile] ?? 0, output: `${profile} output\n`, seconds: 1 };
  };
}

test('stamps each synthesized profile with the fingerprint taken before synthesis, after emptying cdk.out', async () => {
  const before = fingerprintSources(root).digest;
  const log: string[] = [];
  const runs = await synthAll({ root, profiles: ['dev', 'prod'], serial: false }, fakeSynth({}, log));
  expect(runs.map((r) => r.profile)).toEqual(['dev', 'prod']);
  expect(log).toEqual(['start dev', 'start prod', 'end dev', 'end prod']);
  expect(fs.existsSync(path.join(root, 'cdk.out', 'old'))).toBe(false);
  expect(stamp('dev')).toEqual({
    profile: 'dev',
    command: 'cdk synth --quiet -c profile=dev -o cdk.out/dev',
    sources: expect.objectContaining({ digest: before }) as unknown,
  });
  expect(stamp('prod').sources.digest).toBe(before);
  expect(fingerprintSources(root).digest).not.toBe(before);
});

test('a failed profile gets no stamp; --serial runs one after another', async () => {
  const log: string[] = [];
  const runs = await synthAll({ root, profiles: ['dev', 'prod'], serial: true }, fakeSynth({ prod: 1 }, log));
  expect(log).toEqual(['start dev', 'end dev', 'start prod', 'end prod']);
  expect(runs.map((r) => r.code)).toEqual([0, 1]);
  expect(fs.existsSync(path.join(root, 'cdk.out', 'dev', 'synth-inputs.json'))).toBe(true);
  expect(fs.existsSync(path.join(root, 'cdk.out', 'prod', 'synth-inputs.json'))).toBe(false);
});
