import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkReportsCurrent, MAX_DIFF_LINES } from '../../../tools/reports/check-current';

function repo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reports-check-'));
  const git = (...args: string[]) =>
    spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { cwd: dir, encoding: 'utf8' });
  git('init', '-q');
  fs.mkdirSync(path.join(dir, 'reports'));
  fs.writeFileSync(path.join(dir, 'reports', 'compliance.md'), '# Report\n\n| dev | 59 acknowledged |\n');
  fs.writeFileSync(path.join(dir, 'reports', 'compliance.json'), '{ "acknowledged": 59 }\n');
  fs.writeFileSync(path.join(dir, 'README.md'), 'readme\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'initial');
  return dir;
}

describe('the CI check that reports/ is current', () => {
  test('passes when the regenerated reports equal the committed ones', () => {
    const dir = repo();
    expect(checkReportsCurrent(dir)).toEqual({ code: 0, output: 'reports check: reports/ is current.\n' });
  });

  test('ignores changes outside reports/', () => {
    const dir = repo();
    fs.appendFileSync(path.join(dir, 'README.md'), 'more\n');
    expect(checkReportsCurrent(dir).code).toBe(0);
  });

  test('fails on a changed report and prints a readable diff, the Markdown first, and how to fix it', () => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, 'reports', 'compliance.md'), '# Report\n\n| dev | 60 acknowledged |\n');
    fs.writeFileSync(path.join(dir, 'reports', 'compliance.json'), '{ "acknowledged": 60 }\n');
    const { code, output } = checkReportsCurrent(dir);
    expect(code).toBe(1);
    expect(output).toContain('reports check: FAILED: reports/ is not what the committed sources generate.');
    expect(output).toContain(' M reports/compliance.md');
    expect(output).toContain('-| dev | 59 acknowledged |\n+| dev | 60 acknowledged |');
    expect(output).toContain('+{ "acknowledged": 60 }');
    expect(output.indexOf('compliance.md b/')).toBeLessThan(output.indexOf('compliance.json b/'));
    expect(output).toContain('npm run synth:all && npm run lint:cfn && npm run reports && npm run plan');
  });

  test('fails on a report the generator writes that is not committed, and on a deleted one', () => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, 'reports', 'tags.csv'), 'stack\n');
    fs.rmSync(path.join(dir, 'reports', 'compliance.json'));
    const { code, output } = checkReportsCurrent(dir);
    expect(code).toBe(1);
    expect(output).toContain('  new file: reports/tags.csv');
    expect(output).toContain(' D reports/compliance.json');
  });

  test('caps a huge diff and says how to see all of it', () => {
    const dir = repo();
    const big = Array.from({ length: MAX_DIFF_LINES + 50 }, (_, i) => `line ${i}`).join('\n');
    fs.writeFileSync(path.join(dir, 'reports', 'compliance.json'), big + '\n');
    const { output } = checkReportsCurrent(dir);
    expect(output).toMatch(/\.\.\. \d+ more diff lines \(git diff -- reports\/ shows them all\)/);
  });

  test('outside a git checkout it says so (exit 2)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'not-git-'));
    expect(checkReportsCurrent(dir).code).toBe(2);
  });
});
