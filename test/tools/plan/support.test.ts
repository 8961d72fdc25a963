import * as fs from 'fs';
import * as path from 'path';
import { median } from '../../../tools/bench/stats';
import {
  ASSUMPTIONS_FILE,
  PRICING_FILE,
  loadAssumptions,
  parseAssumptions,
} from '../../../tools/plan/assumptions';
import { SERIES, chartRows, chartSpec } from '../../../tools/plan/chart';
import { stableJson } from '../../../tools/plan/json';
import { money } from '../../../tools/plan/markdown';
import { buildReport, computeProfilePlan } from '../../../tools/plan/plan';
import { REPO_ROOT } from '../../helpers/synth';
import { fixtureTemplate } from './fixture-template';

const read = (file: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'));

describe('dated assumption tables', () => {
  test('the price table names its source URL, retrieval date and both architectures', () => {
    const a = loadAssumptions();
    expect(a.pricing.sourceUrl).toMatch(/^https:\/\/aws\.amazon\.com\/fargate\/pricing/);
    expect(a.pricing.retrievedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(a.pricing.region).toBe('us-east-2');
    expect(a.pricing.prices.ARM64.perVcpuHour).toBeLessThan(a.pricing.prices.X86_64.perVcpuHour);
  });

  test('every cold-start and rollback component names a source', () => {
    const a = loadAssumptions();
    for (const c of [...a.fargateColdStart, ...a.rollbackLatency]) expect(c.source.length).toBeGreaterThan(0);
  });

  test('a negative price is refused, naming the file and key', () => {
    const pricing = read(PRICING_FILE);
    pricing.prices.ARM64.perGbHour = -1;
    expect(() => parseAssumptions(read(ASSUMPTIONS_FILE), pricing)).toThrow(
      `${PRICING_FILE}: prices.ARM64.perGbHour = -1: expected a positive number`,
    );
  });

  test('an unknown time zone is refused', () => {
    const raw = read(ASSUMPTIONS_FILE);
    raw.calendar.zone = 'Eastern';
    expect(() => parseAssumptions(raw, read(PRICING_FILE))).toThrow(
      `${ASSUMPTIONS_FILE}: calendar.zone = "Eastern": expected an IANA time zone`,
    );
  });
});

describe('chart specification', () => {
  const assumptions = loadAssumptions();
  const report = buildReport(
    [computeProfilePlan(fixtureTemplate(), assumptions, 'fixture', 'F')],
    assumptions,
    'fixture',
  );

  test('carries the scheduled step line, the warm floor and the illustrative demand', () => {
    const rows = chartRows(report);
    const series = new Set(rows.map((r) => r.series));
    expect(series).toEqual(new Set(Object.values(SERIES)));
    const floor = rows.filter((r) => r.series === SERIES.floor).map((r) => r.tasks);
    expect(floor).toEqual([3, 3]);
    const scheduled = rows.filter((r) => r.series === SERIES.scheduled);
    expect(Math.max(...scheduled.map((r) => r.tasks))).toBe(6);
  });

  test('uses no time scale (vega would format it in the machine’s time zone)', () => {
    expect(JSON.stringify(chartSpec(report))).not.toMatch(/"type":"temporal"|timeUnit/);
  });
});

describe('formatting', () => {
  test('stableJson keeps number arrays on one line and ends with a newline', () => {
    expect(stableJson({ a: [1, 2, 3], b: { c: 'x' } })).toBe(
      '{\n  "a": [1, 2, 3],\n  "b": {\n    "c": "x"\n  }\n}\n',
    );
  });

  test('money has two decimals and thousands separators, without locale', () => {
    expect(money(1234.5)).toBe('1,234.50');
    expect(money(0.079)).toBe('0.08');
  });

  test('median of odd and even lists', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
