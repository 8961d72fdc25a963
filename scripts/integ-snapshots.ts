/**
 * Offline snapshot check of the integration tests (`npm run test:integ`; `-- --update` rewrites them).
 *
 * Synthesizes every `test/integ/integ.*.ts` app exactly as a deployment would (`CDK_OUTDIR`, the app's own
 * auto-synth) and compares its CloudFormation templates and `integ.json` with the committed
 * `<file>.snapshot/` directory. Asset hashes are masked, as integ-runner does with `diffAssets: false`.
 * No AWS call, no credentials.
 *
 * Why not integ-runner: the newest `@aws-cdk/integ-runner` on the registry (2.197.10) reads cloud assembly
 * schema 53 at most, and aws-cdk-lib 2.276 writes schema 55 ("Maximum schema version supported is 53.x.x").
 * The integ apps stay integ-runner apps (they end in `new IntegTest(...)`); switch back once it catches up.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const INTEG_DIR = path.join(ROOT, 'test', 'integ');
const HASH = /[0-9a-f]{64}/g;

/** The files a snapshot keeps: templates and the integ manifest. */
function snapshotFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.template.json') || f === 'integ.json')
    .sort();
}

/**
 * A file's JSON with asset hashes masked (they change with every handler edit, not with the infrastructure)
 * and the assertions' `salt` (a timestamp that makes every deployment re-run them), as integ-runner does.
 */
function normalized(file: string): string {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  return JSON.stringify(json, null, 1)
    .replace(HASH, '<asset-hash>')
    .replace(/"salt": "\d+"/g, '"salt": "<salt>"');
}

function synth(testFile: string, outdir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), testFile], {
      cwd: ROOT,
      env: { ...process.env, CDK_OUTDIR: outdir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`synth of ${path.basename(testFile)} failed (${code}):\n${stderr}`)),
    );
  });
}

/** Compares one integ app with its snapshot; returns the differences (empty when it matches). */
async function check(testFile: string, update: boolean): Promise<string[]> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-'));
  try {
    await synth(testFile, outdir);
    const snapshot = `${testFile}.snapshot`;
    if (update) {
      fs.rmSync(snapshot, { recursive: true, force: true });
      fs.mkdirSync(snapshot);
      for (const f of snapshotFiles(outdir)) fs.copyFileSync(path.join(outdir, f), path.join(snapshot, f));
      return [];
    }
    if (!fs.existsSync(snapshot))
      return [`no snapshot ${path.relative(ROOT, snapshot)}: run npm run test:integ -- --update`];
    const problems: string[] = [];
    const actual = snapshotFiles(outdir);
    const expected = snapshotFiles(snapshot);
    for (const f of expected.filter((e) => !actual.includes(e)))
      problems.push(`${f}: in the snapshot, no longer synthesized`);
    for (const f of actual.filter((a) => !expected.includes(a)))
      problems.push(`${f}: synthesized, not in the snapshot`);
    for (const f of actual.filter((a) => expected.includes(a))) {
      const a = normalized(path.join(outdir, f)).split('\n');
      const e = normalized(path.join(snapshot, f)).split('\n');
      const line = a.findIndex((l, i) => l !== e[i]);
      if (line >= 0 || a.length !== e.length) {
        const at = line >= 0 ? line : Math.min(a.length, e.length);
        problems.push(
          `${f}: differs from line ${at + 1}: snapshot ${JSON.stringify(e[at] ?? '<end>')}, now ${JSON.stringify(a[at] ?? '<end>')}`,
        );
      }
    }
    return problems;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const update = process.argv.includes('--update');
  const tests = fs
    .readdirSync(INTEG_DIR)
    .filter((f) => /^integ\..+\.ts$/.test(f))
    .sort()
    .map((f) => path.join(INTEG_DIR, f));
  let failed = 0;
  const report = async (test: string) => {
    const started = Date.now();
    const problems = await check(test, update).catch((err: Error) => [err.message]);
    const name = path.basename(test);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (problems.length === 0) console.log(`  ${update ? 'UPDATED' : 'OK'}  ${name} (${seconds} s)`);
    else {
      failed++;
      console.log(`  CHANGED  ${name} (${seconds} s)`);
      for (const p of problems) console.log(`      ${p}`);
    }
  };
  // Two synths at a time: the machines have two cores.
  const queue = [...tests];
  await Promise.all(
    [0, 1].map(async () => {
      for (let test = queue.shift(); test; test = queue.shift()) await report(test);
    }),
  );
  if (failed > 0 && !update)
    console.log('Review the change; if intended: npm run test:integ -- --update, and commit the snapshot.');
  console.log(`integ: ${tests.length - failed} passed, ${failed} failed`);
  return failed === 0 && tests.length > 0 ? 0 : 1;
}

void main().then((code) => process.exit(code));
