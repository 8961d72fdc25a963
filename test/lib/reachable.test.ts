import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { REPO_ROOT } from '../helpers/synth';

/**
 * lib/ holds exactly what `cdk synth` executes: every file under it is imported, directly or through other
 * project files, by the app's entry point bin/tap.ts (cdk.json's `app`). Code only the tools use belongs under
 * tools/, or a tools-only edit would change the synth-input fingerprint and mark cdk.out stale for nothing.
 */
function reachableFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  const options: ts.CompilerOptions = {
    moduleResolution: ts.ModuleResolutionKind.Node10,
    resolveJsonModule: true,
  };
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imported of ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      const resolved = ts.resolveModuleName(imported.fileName, file, options, ts.sys).resolvedModule;
      if (resolved && !resolved.isExternalLibraryImport) queue.push(path.resolve(resolved.resolvedFileName));
    }
  }
  return seen;
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

test('every file under lib/ is reachable from bin/tap.ts', () => {
  const reached = reachableFrom(path.join(REPO_ROOT, 'bin', 'tap.ts'));
  const unreached = filesUnder(path.join(REPO_ROOT, 'lib'))
    .filter((f) => !reached.has(f))
    .map((f) => path.relative(REPO_ROOT, f));
  expect(unreached).toEqual([]);
});

test('the reachability walk follows imports (a tools file is not reached)', () => {
  const reached = reachableFrom(path.join(REPO_ROOT, 'bin', 'tap.ts'));
  expect(reached.has(path.join(REPO_ROOT, 'lib', 'ecs_trading_infra.ts'))).toBe(true);
  expect(reached.has(path.join(REPO_ROOT, 'tools', 'schedule', 'trading-schedule.ts'))).toBe(false);
});
