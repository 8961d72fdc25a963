import * as fs from 'fs';
import * as path from 'path';
import { TAP_RULE_IDS } from '../../../aspects';
import { guardRuleFiles, POLICIES_DIR } from '../../../lib/compliance/guard';

const DOC = path.join(__dirname, '..', '..', '..', 'docs', 'compliance-gate.md');

/** The rows of the "Every invariant in two layers" table: TAP rule, Guard twin (or `none: reason`). */
function twinTable(): Array<{ invariant: string; tap: string; guard: string }> {
  const text = fs.readFileSync(DOC, 'utf8');
  const section = text.split('### Every invariant in two layers')[1] ?? '';
  return section
    .split('\n')
    .filter((line) => /^\| .* \| TAP-[A-Z]+-\d+ \|/.test(line))
    .map((line) => line.split('|').map((c) => c.trim()))
    .map((cells) => ({ invariant: cells[1], tap: cells[2], guard: cells[3] }));
}

const guardRules = guardRuleFiles(POLICIES_DIR).map((f) => path.basename(f, '.guard'));
const guardText = (rule: string) => fs.readFileSync(path.join(POLICIES_DIR, `${rule}.guard`), 'utf8');

describe('every invariant rests on two layers (docs/compliance-gate.md)', () => {
  const rows = twinTable();

  test('the table lists every project rule exactly once', () => {
    expect(rows.map((r) => r.tap).sort()).toEqual([...TAP_RULE_IDS].sort());
  });

  test.each(rows.map((r) => [r.tap, r.guard] as const))(
    '%s: its Guard twin %s exists and names it, or the row says why there is none',
    (tap, guard) => {
      const verdict = guard.startsWith('none')
        ? { guard, reasoned: /^none( yet| in policies\/)?: .{20,}/.test(guard) }
        : { guard, reasoned: guardRules.includes(guard) && guardText(guard).includes(tap) };
      expect(verdict).toEqual({ guard, reasoned: true });
    },
  );

  test('the invariants that rested on one layer now have a Guard twin', () => {
    const twin = (tap: string) => rows.find((r) => r.tap === tap)?.guard;
    expect({
      internetFacingAlb: twin('TAP-NET-2'),
      publicTaskIp: twin('TAP-NET-3'),
      rollbackAlarms: twin('TAP-ALM-3'),
      tagsEscapeHatch: twin('TAP-TAG-1'),
    }).toEqual({
      internetFacingAlb: 'tap_alb_internal',
      publicTaskIp: 'tap_ecs_no_public_ip',
      rollbackAlarms: 'tap_codedeploy_rollback_alarms',
      tagsEscapeHatch: 'tap_required_tags',
    });
  });
});
