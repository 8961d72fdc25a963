import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PLAN_FILES, dayChartFile } from '../../../tools/plan/plan';
import { runScript } from '../../helpers/gate';
import { REPO_ROOT } from '../../helpers/synth';

/** Runs a script the way `npm run` does (tsx), in a fresh process. */
const run = (script: string, args: string[]) => runScript(script, args, { FORCE_COLOR: '0' });

describe('npm run plan', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-cli-'));
  const first = path.join(tmp, 'first');
  const second = path.join(tmp, 'second');
  let runs: ReturnType<typeof run>[] = [];
  beforeAll(() => {
    runs = [run('scripts/plan.ts', ['--out', first]), run('scripts/plan.ts', ['--out', second])];
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('exits 0 with every check passing', () => {
    expect(runs).toHaveLength(2);
    for (const r of runs) {
      expect(r.stderr).not.toContain('plan: FAIL');
      expect(r.stdout).toContain('plan: all checks pass (dev, prod)');
      for (const profile of ['dev', 'prod']) {
        expect(r.stdout).toMatch(
          new RegExp(
            `plan: day simulation ${profile} \\d{4}-\\d{2}-\\d{2}, old / new \\(ratio\\): minutes short \\d+ / \\d+`,
          ),
        );
      }
      expect(r.code).toBe(0);
    }
  });

  const written = [...PLAN_FILES, dayChartFile('dev'), dayChartFile('prod')];

  test('writes exactly plan.md, plan.json, capacity.svg and one day chart per profile', () => {
    expect(fs.readdirSync(first).sort()).toEqual([...written].sort());
  });

  test.each(written)('%s is byte-identical on two runs', (file) => {
    const a = fs.readFileSync(path.join(first, file));
    const b = fs.readFileSync(path.join(second, file));
    expect(a.length).toBeGreaterThan(0);
    expect(b.equals(a)).toBe(true);
  });

  test('the reports carry no absolute path and no timestamp', () => {
    for (const file of written) {
      // Dates the template itself holds (one-off at(...) schedules, StartTime/EndTime of dated segments) are
      // inputs, not generation timestamps.
      const text = fs
        .readFileSync(path.join(first, file), 'utf8')
        .replace(/at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)/g, 'at()')
        .replace(/"(startTime|endTime)": ?"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z"/g, '"$1"');
      expect(text).not.toContain(REPO_ROOT);
      expect(text).not.toContain(os.tmpdir());
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    }
  });

  test('plan.json holds both profiles with their checks, dev as default', () => {
    const report = JSON.parse(fs.readFileSync(path.join(first, 'plan.json'), 'utf8'));
    expect(report.defaultProfile).toBe('dev');
    expect(report.profiles.map((p: { profile: string }) => p.profile)).toEqual(['dev', 'prod']);
    expect(report.status).toBe('pass');
  });

  test('capacity.svg is an SVG chart with the three series and both profiles', () => {
    const svg = fs.readFileSync(path.join(first, 'capacity.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    for (const label of [
      'Scheduled minimum',
      'Warm floor',
      'Illustrative demand (not a forecast)',
      'dev:',
      'prod:',
    ]) {
      expect(svg).toContain(label);
    }
  });

  test('each day chart shows demand, serving capacity and the floor of both configurations', () => {
    for (const profile of ['dev', 'prod']) {
      const svg = fs.readFileSync(path.join(first, dayChartFile(profile)), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      for (const label of [
        'Demand',
        'Old: serving capacity',
        'Old: floor',
        'New: serving capacity',
        'New: floor',
        `OrderBroker ${profile}: simulated day`,
      ]) {
        expect(svg).toContain(label);
      }
    }
  });

  test('plan.md has the day simulation of each profile with its chart', () => {
    const md = fs.readFileSync(path.join(first, 'plan.md'), 'utf8');
    expect(md.match(/### Day simulation, old and new configuration \(model\)/g)).toHaveLength(2);
    for (const profile of ['dev', 'prod']) expect(md).toContain(`](${dayChartFile(profile)})`);
    expect(md).toContain('## Day simulation assumptions');
  });

  test('an unknown profile is refused with the value and what is allowed', () => {
    const r = run('scripts/plan.ts', ['--profiles', 'staging', '--out', path.join(tmp, 'bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'plan: --profiles = "staging": expected a comma-separated subset of dev, prod',
    );
    expect(fs.existsSync(path.join(tmp, 'bad'))).toBe(false);
  });
});

describe('npm run bench', () => {
  test('refuses a run count outside 1-50', () => {
    const r = run('scripts/bench.ts', ['--runs', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bench: --runs = "0": expected an integer from 1 to 50');
  });
});
