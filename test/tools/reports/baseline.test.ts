import type * as sarif from 'sarif';
import {
  complianceDiff,
  FINGERPRINT_KEY,
  frameworkTags,
  type ReportSet,
  SECURITY_SEVERITY,
  withBaseline,
} from '../../../tools/reports/baseline';

const result = (fp: string, rule: string, text: string, suppressed = false): sarif.Result => ({
  ruleId: rule,
  level: 'error',
  message: { text },
  partialFingerprints: { [FINGERPRINT_KEY]: fp },
  ...(suppressed ? { suppressions: [{ kind: 'external', status: 'accepted', justification: 'ok' }] } : {}),
});
const log = (rules: string[], results: sarif.Result[]): sarif.Log => ({
  version: '2.1.0',
  runs: [{ tool: { driver: { name: 'gate', rules: rules.map((id) => ({ id })) } }, results }],
});

describe('baselineState against the base commit', () => {
  const base = log(['a/R1', 'a/R2', 'a/R3'], [result('f1', 'a/R1', 'kept'), result('f2', 'a/R2', 'gone'), result('f3', 'a/R3', 'x')]);
  const head = log(['a/R1', 'a/R3', 'a/R4'], [result('f1', 'a/R1', 'kept'), result('f3', 'a/R3', 'x', true), result('f4', 'a/R4', 'added')]);
  const marked = withBaseline(head, base).runs[0];

  test('a change that adds one finding and removes another: new, absent, unchanged, updated', () => {
    expect(marked.results!.map((r) => [r.partialFingerprints![FINGERPRINT_KEY], r.baselineState])).toEqual([
      ['f1', 'unchanged'],
      ['f3', 'updated'],
      ['f4', 'new'],
      ['f2', 'absent'],
    ]);
  });

  test('an absent result points at its rule, copied from the base run', () => {
    const absent = marked.results!.find((r) => r.baselineState === 'absent')!;
    expect(marked.tool.driver.rules![absent.ruleIndex!].id).toBe('a/R2');
  });

  test('a result without the stable fingerprint is refused, not matched by chance', () => {
    const bare = log(['a/R1'], [{ ruleId: 'a/R1', message: { text: 'x' } }]);
    expect(() => withBaseline(bare, base)).toThrow(`SARIF result for a/R1 has no ${FINGERPRINT_KEY} fingerprint`);
  });
});

describe('rule metadata for code scanning', () => {
  test('security-severity follows the documented mapping of levels', () => {
    expect(SECURITY_SEVERITY).toEqual({ error: '8.0', warning: '5.0', note: '2.0' });
  });

  test('NIST and PCI control IDs come from the pack message; Control Tower IDs from the rule text', () => {
    expect(frameworkTags('cdk-nag-nist-800-53-r5', 'No logs - (Control IDs: AC-3, AU-12(3)).')).toEqual([
      'NIST-800-53-r5',
      'NIST-800-53-r5/AC-3',
      'NIST-800-53-r5/AU-12(3)',
    ]);
    expect(frameworkTags('cdk-nag-pci-dss-321', 'Replication - (Control IDs: 2.2, 10.5.3).')).toEqual([
      'PCI-DSS-3.2.1',
      'PCI-DSS-3.2.1/10.5.3',
      'PCI-DSS-3.2.1/2.2',
    ]);
    expect(frameworkTags('control-tower', '[CT.S3.PR.2]: Require logging')).toEqual([
      'control-tower',
      'control-tower/CT.S3.PR.2',
    ]);
    expect(frameworkTags('tap', 'x', ['NIST SC-8(1)', 'PCI DSS 10.2', 'CT.ELB.PR.1'])).toEqual([
      'NIST-800-53-r5',
      'NIST-800-53-r5/SC-8(1)',
      'PCI-DSS-3.2.1',
      'PCI-DSS-3.2.1/10.2',
      'control-tower',
      'control-tower/CT.ELB.PR.1',
    ]);
  });
});

describe('the compliance diff a pull request carries', () => {
  const finding = (rule: string, status: string, constructPath = 'S/Res') => ({
    layer: 'tap',
    rule,
    level: 'error',
    constructPath,
    status,
    message: rule,
  });
  const ack = { layer: 'tap', rule: 'TAP-X-2', constructPath: 'S/Res', reason: 'because', owner: 'sec', expires: '2027-01-31' };
  const set = (findings: ReturnType<typeof finding>[], acks: (typeof ack)[], percent: number, tasks: number): ReportSet => ({
    compliance: { profiles: [{ profile: 'dev', summary: { tagCoverage: { percent } }, acknowledgements: acks, findings }] },
    plan: { profiles: [{ tasksAt0925: tasks }] },
  });

  test('adds one finding, removes another, acknowledges a third, and moves a plan figure', () => {
    const base = set([finding('TAP-X-1', 'open'), finding('TAP-X-2', 'open')], [], 100, 4);
    const head = set([finding('TAP-X-2', 'acknowledged'), finding('TAP-X-3', 'open')], [ack], 98, 6);
    const md = complianceDiff(base, head, 'origin/main');
    expect(md).toContain('## Compliance diff against `origin/main`');
    expect(md).toContain('**New findings** (1)\n\n| Layer | Rule | Level | Status | Resource |\n| --- | --- | --- | --- | --- |\n| tap | TAP-X-3 | error | open | S/Res |');
    expect(md).toContain('**Findings no longer reported** (1)');
    expect(md).toContain('| tap | TAP-X-1 | error | open | S/Res |');
    expect(md).toContain('**Newly acknowledged** (1)');
    expect(md).toContain('**Register entries added** (1)');
    expect(md).toContain('| tap | TAP-X-2 | S/Res | sec | 2027-01-31 | because |');
    expect(md).toContain('**Tag coverage**: 100% -> 98%');
    expect(md).toContain('| `profiles[0].tasksAt0925` | 4 | 6 |');
  });

  test('says so when nothing changed', () => {
    const same = set([finding('TAP-X-1', 'open')], [ack], 100, 4);
    expect(complianceDiff(same, same, 'HEAD~1')).toContain('No change in findings, register entries, tag coverage or plan figures.');
  });
});
