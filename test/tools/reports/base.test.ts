import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as sarif from 'sarif';
import {
  BASE_FILES,
  type BaseReader,
  BaseReportError,
  compareWithBase,
  gitReader,
  readBase,
  writeComparison,
} from '../../../tools/reports/base';
import { generateReports } from '../../../tools/reports/generate';
import { runScript } from '../../helpers/gate';
import { compileSchema, SARIF_SCHEMA } from '../../helpers/json-schema';
import { fixtureOptions, makeFixtureRoot } from '../../helpers/reports-fixture';

const root = makeFixtureRoot();
const before = generateReports(fixtureOptions(root));

// The change: TAP-EXC-2 no longer fires on OrderBroker-dev/Service, TAP-TAG-1 now fires on the task definition.
const reportFile = path.join(root, 'cdk.out', 'dev', 'validation-report.json');
const validation = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
const annotations = validation.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'Construct Annotations');
annotations.violations = [
  {
    ruleName: 'Annotation::TAP-TAG-1',
    description: 'TAP-TAG-1: missing required tag Service',
    severity: 'warning',
    violatingConstructs: [{ constructPath: 'OrderBroker-dev/Service/TaskDef/Resource' }],
  },
];
fs.writeFileSync(reportFile, JSON.stringify(validation, undefined, 1));
const after = generateReports(fixtureOptions(root));

/** The base "commit": the reports generated before the change, as `git show <ref>:reports/...` would give them. */
const committed = new Map([
  [BASE_FILES.sarif, before.files.get('compliance.sarif')!],
  [BASE_FILES.compliance, before.files.get('compliance.json')!],
]);
const reader: BaseReader = (file) => committed.get(file as typeof BASE_FILES.sarif);
const base = readBase(reader, 'origin/main');
const compared = compareWithBase(base, {
  sarif: after.files.get('compliance.sarif')!,
  compliance: after.files.get('compliance.json')!,
});
const results = (JSON.parse(compared.sarif) as sarif.Log).runs[0].results!;

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('npm run reports -- --base: a change that adds one finding and removes another', () => {
  test('baselineState: the added finding is new, the removed one absent, every other unchanged', () => {
    const states = results.map((r) => [r.ruleId, r.properties!.profile, r.baselineState]);
    expect(states.filter(([, , s]) => s !== 'unchanged')).toEqual([
      ['tap/TAP-TAG-1', 'dev', 'new'],
      ['tap/TAP-EXC-2', 'dev', 'absent'],
    ]);
    expect(states.filter(([, , s]) => s === 'unchanged')).toHaveLength(
      JSON.parse(before.files.get('compliance.sarif')!).runs[0].results.length - 1,
    );
  });

  test('the SARIF with baselineState (and the absent result) validates against the SARIF 2.1.0 schema', () => {
    const validate = compileSchema(SARIF_SCHEMA);
    expect(validate(JSON.parse(compared.sarif))).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  test('the compliance diff lists the added and the removed finding, and nothing else', () => {
    expect(compared.diff).toBe(
      [
        '## Compliance diff against `origin/main`',
        '',
        '### dev',
        '',
        '**New findings** (1)',
        '',
        '| Layer | Rule | Level | Status | Resource |',
        '| --- | --- | --- | --- | --- |',
        '| tap | TAP-TAG-1 | warning | open | OrderBroker-dev/Service/TaskDef/Resource |',
        '',
        '**Findings no longer reported** (1)',
        '',
        '| Layer | Rule | Level | Status | Resource |',
        '| --- | --- | --- | --- | --- |',
        '| tap | TAP-EXC-2 | warning | open | OrderBroker-dev/Service |',
        '',
      ].join('\n'),
    );
  });

  test('reports/ itself does not depend on the base: compliance.sarif has no baselineState', () => {
    expect(after.files.get('compliance.sarif')).not.toContain('baselineState');
    expect(generateReports(fixtureOptions(root)).files).toEqual(after.files);
  });

  test('writeComparison writes the SARIF and the diff where it is told, outside reports/', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'base-out-'));
    const outputs = { sarif: path.join(out, 'a', 'baseline.sarif'), diff: path.join(out, 'b', 'diff.md') };
    expect(writeComparison(root, base, after.files, outputs)).toEqual([outputs.sarif, outputs.diff]);
    expect(fs.readFileSync(outputs.diff, 'utf8')).toBe(compared.diff);
    expect(fs.readFileSync(outputs.sarif, 'utf8')).toBe(compared.sarif);
    expect(fs.existsSync(path.join(root, 'reports'))).toBe(false);
    fs.rmSync(out, { recursive: true, force: true });
  });
});

describe('reading the base', () => {
  test('a base without committed reports, or with a broken one, is refused naming the ref and the file', () => {
    expect(() => readBase(() => undefined, 'v1')).toThrow(
      new BaseReportError(
        '--base = "v1": v1 has no reports/compliance.sarif (the base must commit the reports it is compared with)',
      ),
    );
    expect(() => readBase((f) => (f === BASE_FILES.sarif ? '{"runs":[{}]}' : 'nope'), 'v1')).toThrow(
      /^--base = "v1": v1:reports\/compliance.json is not JSON/,
    );
  });

  test('gitReader reads the committed files of a ref, and refuses a ref that is not a commit', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'base-git-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    fs.mkdirSync(path.join(repo, 'reports'));
    for (const [file, text] of committed) fs.writeFileSync(path.join(repo, file), text);
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'reports');
    // The working tree moves on; the base is what the commit holds.
    fs.writeFileSync(path.join(repo, BASE_FILES.sarif), 'changed since');
    const read = gitReader(repo, 'HEAD');
    expect(read(BASE_FILES.sarif)).toBe(committed.get(BASE_FILES.sarif));
    expect(read(BASE_FILES.plan)).toBeUndefined();
    expect(readBase(read, 'HEAD').sarif).toEqual(base.sarif);
    expect(() => gitReader(repo, 'origin/nope')).toThrow(/^--base = "origin\/nope": not a commit of the repository/);
    fs.rmSync(repo, { recursive: true, force: true });
  });

  test('command line: --diff-out without --base, and a base that is not a commit, exit 2 with one line', () => {
    const lone = runScript('scripts/reports.ts', ['--root', root, '--diff-out', 'x.md']);
    expect(lone.code).toBe(2);
    expect(lone.stderr.trim()).toBe('reports: --diff-out needs --base <git-ref> (what to compare with)');
    const bad = runScript('scripts/reports.ts', ['--root', root, '--base', 'no-such-ref']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('reports: --base = "no-such-ref": not a commit of the repository at');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
