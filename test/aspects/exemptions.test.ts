import * as sns from 'aws-cdk-lib/aws-sns';
import { AcknowledgementExpiredRule } from '../../aspects/exemptions/acknowledgement-expired';
import { AcknowledgementUnmatchedRule } from '../../aspects/exemptions/acknowledgement-unmatched';
import type { RegisterEntry } from '../../lib/compliance/acknowledgements';
import { findingsOf, ids, ruleTestStack } from '../helpers/rules';

const TODAY = new Date('2026-11-22T12:00:00Z');
const entry = (overrides: Partial<RegisterEntry>): RegisterEntry => ({
  layer: 'cdk-nag-aws-solutions',
  rule: 'AwsSolutions-SNS3',
  path: 'Topic',
  reason: 'The topic only receives CloudWatch alarm notifications from this account.',
  owner: 'platform-team',
  expires: '2027-01-31',
  ...overrides,
});

describe('TAP-EXC-1 expired acknowledgement', () => {
  test('passes when every entry expires today or later', () => {
    const { app, stack } = ruleTestStack();
    new sns.Topic(stack, 'Topic');
    const register = [entry({ expires: '2026-11-22' })];
    expect(ids(findingsOf(app, new AcknowledgementExpiredRule(register, 'dev', TODAY)))).toEqual([]);
  });

  test('fails with TAP-EXC-1 on the acknowledged construct, naming the expired entry', () => {
    const { app, stack } = ruleTestStack();
    new sns.Topic(stack, 'Topic');
    const findings = findingsOf(
      app,
      new AcknowledgementExpiredRule([entry({ expires: '2026-11-21' })], 'dev', TODAY),
    );
    expect(ids(findings)).toEqual(['TAP-EXC-1 @ Topic']);
    expect(findings[0].message).toContain(
      'the register entry "cdk-nag-aws-solutions AwsSolutions-SNS3 on Topic" (owner platform-team) expired on 2026-11-21 (today is 2026-11-22)',
    );
  });

  test('ignores an expired entry of another profile', () => {
    const { app, stack } = ruleTestStack();
    new sns.Topic(stack, 'Topic');
    const register = [entry({ expires: '2026-01-01', profiles: ['prod'] })];
    expect(ids(findingsOf(app, new AcknowledgementExpiredRule(register, 'dev', TODAY)))).toEqual([]);
  });
});

describe('TAP-EXC-2 acknowledgement matches no construct', () => {
  test('passes when the entry names an existing construct', () => {
    const { app, stack } = ruleTestStack();
    new sns.Topic(stack, 'Topic');
    expect(ids(findingsOf(app, new AcknowledgementUnmatchedRule([entry({})], 'dev', TODAY)))).toEqual([]);
  });

  test('warns with TAP-EXC-2 on the stack when the path matches nothing', () => {
    const { app, stack } = ruleTestStack();
    new sns.Topic(stack, 'Topic');
    const findings = findingsOf(
      app,
      new AcknowledgementUnmatchedRule([entry({ path: 'Gone/Topic' })], 'dev', TODAY),
    );
    expect(findings.map((f) => [f.ruleId, f.level, f.path])).toEqual([['TAP-EXC-2', 'warning', '']]);
    expect(findings[0].message).toContain(
      '"cdk-nag-aws-solutions AwsSolutions-SNS3 on Gone/Topic" matches no construct in Test',
    );
  });
});
