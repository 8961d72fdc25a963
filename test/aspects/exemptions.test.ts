import { Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AcknowledgementBindingRule } from '../../aspects/exemptions/acknowledgement-binding';
import {
  acknowledgementsOn,
  AcknowledgementOutsideRegisterRule,
} from '../../aspects/exemptions/acknowledgement-outside-register';
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
  approvedBy: 'a.reviewer',
  reference: 'SEC-1001',
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

describe('TAP-EXC-3 acknowledgement bound to what it accepts', () => {
  const retention = (days: number) => {
    const { app, stack } = ruleTestStack();
    new logs.LogGroup(stack, 'Logs', { retention: days as logs.RetentionDays });
    return { app, stack };
  };
  const bound = entry({
    layer: 'control-tower',
    rule: 'cloudwatch_log_group_retention_period_check',
    path: 'Logs',
    accepts: [{ kind: 'minimum', property: 'RetentionInDays', minimum: 30 }],
  });

  test('passes and applies the entry when the resource matches what it accepts', () => {
    const { app, stack } = retention(30);
    expect(ids(findingsOf(app, new AcknowledgementBindingRule([bound], 'dev', TODAY)))).toEqual([]);
    expect(acknowledgementsOn(stack.node.findChild('Logs'))).toEqual([
      ['cfn-guard-control-tower::cloudwatch_log_group_retention_period_check', bound.reason],
    ]);
  });

  test('fails with TAP-EXC-3 and does not apply the entry when retention drops below its minimum', () => {
    const { app, stack } = retention(1);
    const findings = findingsOf(app, new AcknowledgementBindingRule([bound], 'dev', TODAY));
    expect(ids(findings)).toEqual(['TAP-EXC-3 @ Logs']);
    expect(findings[0].message).toContain('RetentionInDays is 1, below the accepted minimum 30');
    expect(acknowledgementsOn(stack.node.findChild('Logs'))).toEqual([]);
  });

  test('fails with TAP-EXC-3 when a container gets an environment variable the entry does not list', () => {
    const { app, stack } = ruleTestStack();
    const td = new ecs.FargateTaskDefinition(stack, 'Task');
    td.addContainer('App', {
      image: ecs.ContainerImage.fromRegistry('example/app'),
      environment: { APP_MODE: 'live', DB_PASSWORD: 'hunter2' },
    });
    const ecs2 = entry({
      rule: 'AwsSolutions-ECS2',
      path: 'Task',
      accepts: [
        { kind: 'values', property: 'ContainerDefinitions[*].Environment[*].Name', values: ['APP_MODE'] },
      ],
    });
    const findings = findingsOf(app, new AcknowledgementBindingRule([ecs2], 'dev', TODAY));
    expect(ids(findings)).toEqual(['TAP-EXC-3 @ Task']);
    expect(findings[0].message).toContain('has "DB_PASSWORD", which the entry does not accept');
  });
});

describe('TAP-EXC-4 acknowledgement outside the register', () => {
  test('passes when every acknowledgement comes from the register or the library list', () => {
    const { app, stack } = ruleTestStack();
    const topic = new sns.Topic(stack, 'Topic');
    const e = entry({});
    Validations.of(topic).acknowledge({ id: 'AwsSolutions::AwsSolutions-SNS3', reason: e.reason });
    Validations.of(stack).acknowledge({ id: 'CloudFormation-Validate::W3010', reason: 'library reason' });
    const library = [
      { acknowledgedId: 'CloudFormation-Validate::W3010', source: 'Stack', reason: 'library reason' },
    ];
    expect(ids(findingsOf(app, new AcknowledgementOutsideRegisterRule([e], 'dev', TODAY, library)))).toEqual(
      [],
    );
  });

  test('fails with TAP-EXC-4 on a Validations.acknowledge() written in a construct', () => {
    const { app, stack } = ruleTestStack();
    const topic = new sns.Topic(stack, 'Topic');
    Validations.of(topic).acknowledge({ id: 'AwsSolutions::AwsSolutions-SNS2', reason: 'trust me' });
    const findings = findingsOf(app, new AcknowledgementOutsideRegisterRule([entry({})], 'dev', TODAY, []));
    expect(ids(findings)).toEqual(['TAP-EXC-4 @ Topic']);
    expect(findings[0].message).toContain(
      '"AwsSolutions::AwsSolutions-SNS2" is acknowledged on Test/Topic outside the register (reason "trust me")',
    );
  });
});
