import * as fs from 'fs';
import * as path from 'path';
import { ASPECT_PRIORITIES, TAP_RULE_IDS, TAP_RULES } from '../../aspects';
import { AspectPriority } from 'aws-cdk-lib';

const ASPECTS_DIR = path.join(__dirname, '..', '..', 'aspects');

test('the project rules are exactly these IDs, in this order (a rule cannot silently drop out)', () => {
  expect(TAP_RULE_IDS).toEqual([
    'TAP-EXC-3',
    'TAP-EXC-1',
    'TAP-EXC-2',
    'TAP-EXC-4',
    'TAP-TAG-1',
    'TAP-TAG-2',
    'TAP-IAM-1',
    'TAP-IAM-2',
    'TAP-IAM-3',
    'TAP-IAM-4',
    'TAP-IAM-5',
    'TAP-IAM-6',
    'TAP-IAM-7',
    'TAP-IAM-8',
    'TAP-ALM-1',
    'TAP-ALM-2',
    'TAP-ALM-3',
    'TAP-ALM-4',
    'TAP-ALM-5',
    'TAP-CAP-1',
    'TAP-CAP-2',
    'TAP-CAP-3',
    'TAP-CAP-4',
    'TAP-CAP-5',
    'TAP-CAP-6',
    'TAP-DAT-1',
    'TAP-DAT-2',
    'TAP-DAT-3',
    'TAP-DAT-4',
    'TAP-DAT-5',
    'TAP-DAT-6',
    'TAP-DAT-7',
    'TAP-NET-1',
    'TAP-NET-2',
    'TAP-NET-3',
    'TAP-NET-4',
    'TAP-NET-5',
    'TAP-SCL-1',
    'TAP-SCL-2',
    'TAP-SCL-3',
    'TAP-DEP-1',
    'TAP-DEP-2',
    'TAP-DEP-3',
  ]);
});

test('every rule declares an ID matching its area, a title, a rationale and a fix', () => {
  for (const rule of TAP_RULES) {
    expect(rule.id).toMatch(new RegExp(`^TAP-${rule.area}-\\d+$`));
    expect(rule.title.length).toBeGreaterThan(10);
    expect(rule.rationale.length).toBeGreaterThan(20);
    expect(rule.fix.length).toBeGreaterThan(20);
  }
});

test('each rule lives in its own file under aspects/<area>/ (one rule, one file)', () => {
  const ruleFiles: Record<string, string[]> = {};
  for (const area of fs.readdirSync(ASPECTS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const file of fs.readdirSync(path.join(ASPECTS_DIR, area.name))) {
      const source = fs.readFileSync(path.join(ASPECTS_DIR, area.name, file), 'utf8');
      const ids = [...source.matchAll(/id: '(TAP-[A-Z]+-\d+)'/g)].map((m) => m[1]);
      const classes = [...source.matchAll(/class \w+ extends TapRule/g)];
      expect(ids.length).toBe(classes.length);
      if (ids.length > 0) ruleFiles[`${area.name}/${file}`] = ids;
    }
  }
  expect(Object.values(ruleFiles).every((ids) => ids.length === 1)).toBe(true);
  expect(Object.values(ruleFiles).flat().sort()).toEqual([...TAP_RULE_IDS].sort());
  expect(Object.keys(ruleFiles).every((f) => /^[a-z]+\/[a-z0-9-]+\.ts$/.test(f))).toBe(true);
});

test('every rule ID has a compliant and a non-compliant test in test/aspects', () => {
  const tests = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.ts') && f !== path.basename(__filename))
    .map((f) => fs.readFileSync(path.join(__dirname, f), 'utf8'))
    .join('\n');
  for (const id of TAP_RULE_IDS) {
    expect({ id, failing: tests.includes(`with ${id}`) }).toEqual({ id, failing: true });
  }
  expect(tests.match(/test\('passes/g)!.length).toBeGreaterThanOrEqual(TAP_RULE_IDS.length);
});

test('tagging runs MUTATING before every READONLY check', () => {
  const { tagging, ...checks } = ASPECT_PRIORITIES;
  expect(tagging).toBe(AspectPriority.MUTATING);
  for (const priority of Object.values(checks))
    expect(priority).toBeGreaterThanOrEqual(AspectPriority.READONLY);
});
