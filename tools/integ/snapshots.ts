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
import { compareCodeUnits } from '../../lib/order';

const HASH = /[0-9a-f]{64}/g;

/** The files a snapshot keeps: templates and the integ manifest. */
export function snapshotFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.template.json') || f === 'integ.json')
    .sort(compareCodeUnits);
}

/**
 * A file's JSON with asset hashes masked (they change with every handler edit, not with the infrastructure)
 * and the assertions' `salt` (a timestamp that makes every deployment re-run them), as integ-runner does.
 */
export function normalized(file: string): string {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  return JSON.stringify(json, null, 1)
    .replace(HASH, '<asset-hash>')
    .replace(/"salt": "\d+"/g, '"salt": "<salt>"');
}

/** Synthesizes one integ app into `outdir` (rejects with its stderr when it fails). */
export type SynthIntegApp = (testFile: string, outdir: string, root: string) => Promise<void>;

/** The app's own auto-synth under tsx, as a deployment runs it. */
export const tsxSynth: SynthIntegApp = (testFile, outdir, root) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), testFile], {
      cwd: root,
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

/** The integ apps under `integDir`, in code-unit order. */
export function integApps(integDir: string): string[] {
  return fs
    .readdirSync(integDir)
    .filter((f) => /^integ\..+\.ts$/.test(f))
    .sort(compareCodeUnits)
    .map((f) => path.join(integDir, f));
}

/** Compares one integ app with its snapshot (or rewrites it); returns the differences (empty when it matches). */
export async function checkSnapshot(
  testFile: string,
  options: { readonly root: string; readonly update: boolean; readonly synth?: SynthIntegApp },
): Promise<string[]> {
  const { root, update } = options;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-'));
  try {
    await (options.synth ?? tsxSynth)(testFile, outdir, root);
    const snapshot = `${testFile}.snapshot`;
    if (update) {
      fs.rmSync(snapshot, { recursive: true, force: true });
      fs.mkdirSync(snapshot);
      for (const f of snapshotFiles(outdir)) fs.copyFileSync(path.join(outdir, f), path.join(snapshot, f));
      return [];
    }
    if (!fs.existsSync(snapshot))
      return [`no snapshot ${path.relative(root, snapshot)}: run npm run test:integ -- --update`];
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

/** The verdict on one integ app. */
export interface SnapshotResult {
  readonly app: string;
  readonly problems: readonly string[];
  readonly seconds: number;
}

/**
 * Checks (or, with `update`, rewrites) the snapshot of every app, two at a time (the machines have two cores);
 * `onResult` hears each as it ends. A synthesis that fails is a problem of its app, not an exception.
 */
export async function checkSnapshots(
  apps: readonly string[],
  options: { readonly root: string; readonly update: boolean; readonly synth?: SynthIntegApp },
  onResult: (result: SnapshotResult) => void = () => undefined,
): Promise<SnapshotResult[]> {
  const results: SnapshotResult[] = [];
  const queue = [...apps];
  await Promise.all(
    [0, 1].map(async () => {
      for (let app = queue.shift(); app; app = queue.shift()) {
        const started = Date.now();
        const problems = await checkSnapshot(app, options).catch((err: Error) => [err.message]);
        const result = { app, problems, seconds: (Date.now() - started) / 1000 };
        results.push(result);
        onResult(result);
      }
    }),
  );
  return results;
}
