import type * as sarif from 'sarif';
import { layer } from '../../../lib/compliance/layers';
import { FINGERPRINT_KEY } from '../../../tools/reports/baseline';
import type { Finding } from '../../../tools/reports/findings';
import { findingFingerprint, renderSarif } from '../../../tools/reports/sarif';
import { compileSchema, SARIF_SCHEMA } from '../../helpers/json-schema';

const nist: Finding = {
  profile: 'dev',
  stackName: 'OrderBroker-dev',
  layer: 'cdk-nag-nist-800-53-r5',
  rule: 'NIST.800.53.R5-IAMNoInlinePolicy',
  ruleId: 'NIST.800.53.R5-IAMNoInlinePolicy',
  level: 'error',
  message: 'The IAM Group, User, or Role contains an inline policy - (Control IDs: AC-2(1), AC-3, AC-6).',
  constructPath: 'OrderBroker-dev/Service/Role/Resource',
  logicalId: 'ServiceRole1234',
  resourceType: 'AWS::IAM::Role',
  source: {
    location: { uri: 'lib/constructs/service.ts', line: 40, column: 5 },
    frames: [{ uri: 'lib/constructs/service.ts', line: 40, column: 5 }],
  },
  template: { uri: 'cdk.out/dev/OrderBroker-dev.template.json', line: 120 },
};
const controlTower: Finding = {
  ...nist,
  layer: 'control-tower',
  rule: 'lambda_inside_vpc_check',
  ruleId: 'lambda_inside_vpc_check',
  level: 'warning',
  message: 'Require Lambda functions in a VPC',
  constructPath: 'OrderBroker-dev/Fn/Resource',
  logicalId: 'Fn1234',
};

const render = (findings: Finding[]): sarif.Log =>
  renderSarif({
    findings,
    catalog: [
      {
        layer: layer('control-tower'),
        rules: [{ id: 'lambda_inside_vpc_check', level: 'error', control: 'CT.LAMBDA.PR.3' }],
      },
    ],
    tools: [],
    templates: [],
    registerSource: '',
  });
const log = render([nist, controlTower]);
const rules = log.runs[0].tool.driver.rules!;
const rule = (id: string) => rules.find((r) => r.id === id)!;

describe('compliance.sarif rules for code scanning', () => {
  test('each rule carries security-severity from its level and the security tag code scanning requires', () => {
    // The catalog's level wins over the finding's: the Control Tower rule is an error rule.
    expect(rule('control-tower/lambda_inside_vpc_check').properties).toMatchObject({ 'security-severity': '8.0' });
    expect(rule('cdk-nag-nist-800-53-r5/NIST.800.53.R5-IAMNoInlinePolicy').properties).toMatchObject({
      'security-severity': '8.0',
    });
    const warning = render([{ ...nist, layer: 'tap', rule: 'TAP-EXC-2', ruleId: 'TAP-EXC-2', level: 'warning' }]);
    expect(warning.runs[0].tool.driver.rules![0].properties).toMatchObject({ 'security-severity': '5.0' });
    for (const r of rules) expect(r.properties!.tags!.slice(0, 2)).toEqual(['security', 'compliance']);
  });

  test('tags name the frameworks: NIST control IDs from the pack message, the Control Tower control from the catalog', () => {
    expect(rule('cdk-nag-nist-800-53-r5/NIST.800.53.R5-IAMNoInlinePolicy').properties!.tags).toEqual([
      'security',
      'compliance',
      'cdk-nag-nist-800-53-r5',
      'NIST-800-53-r5',
      'NIST-800-53-r5/AC-2(1)',
      'NIST-800-53-r5/AC-3',
      'NIST-800-53-r5/AC-6',
    ]);
    expect(rule('control-tower/lambda_inside_vpc_check').properties!.tags).toEqual([
      'security',
      'compliance',
      'control-tower',
      'control-tower/CT.LAMBDA.PR.3',
    ]);
  });

  test('the log with the new properties validates against the SARIF 2.1.0 schema', () => {
    const validate = compileSchema(SARIF_SCHEMA);
    expect(validate(log)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });
});

describe('partialFingerprints are stable across code moves', () => {
  const fp = (f: Finding) => render([f]).runs[0].results![0].partialFingerprints![FINGERPRINT_KEY];

  test('moving the source line, the template line or rewording the message leaves the fingerprint unchanged', () => {
    const moved: Finding = {
      ...nist,
      message: `${nist.message} (reworded)`,
      source: {
        location: { uri: 'lib/constructs/service.ts', line: 97, column: 9 },
        frames: [{ uri: 'lib/constructs/service.ts', line: 97, column: 9 }],
      },
      template: { uri: nist.template.uri, line: 480 },
    };
    expect(fp(moved)).toBe(fp(nist));
    expect(fp(nist)).toBe(findingFingerprint(nist));
  });

  test('another resource, profile or rule is another finding', () => {
    expect(fp({ ...nist, constructPath: 'OrderBroker-dev/Other/Resource' })).not.toBe(fp(nist));
    expect(fp({ ...nist, logicalId: 'Other1234' })).not.toBe(fp(nist));
    expect(fp({ ...nist, profile: 'prod' })).not.toBe(fp(nist));
    expect(fp({ ...nist, rule: 'NIST.800.53.R5-IAMNoInlinePolicy[x]' })).not.toBe(fp(nist));
  });
});
