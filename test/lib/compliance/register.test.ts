import {
  acknowledgementId,
  listRegister,
  MAX_ACKNOWLEDGEMENT_DAYS,
  REGISTER,
  RegisterError,
  type RegisterEntry,
  validateRegister,
} from '../../../lib/compliance/acknowledgements';
import { createApp } from '../../../lib/app';
import { cdkJsonContext } from '../../helpers/synth';

const TODAY = new Date('2026-11-22T09:00:00Z');
const valid: RegisterEntry = {
  layer: 'cdk-nag-aws-solutions',
  rule: 'AwsSolutions-ECS2',
  path: 'Platform/TaskDefinitions/Arm64',
  reason: 'The environment holds no secrets: endpoints and flags only; the database uses IAM authentication.',
  owner: 'platform-team',
  expires: '2027-03-31',
};
const problems = (overrides: Partial<RegisterEntry>) => validateRegister([{ ...valid, ...overrides }], TODAY);

describe('the register', () => {
  test('the production register is valid today', () => {
    expect(validateRegister(REGISTER, new Date())).toEqual([]);
  });

  test('a valid entry has no problem', () => {
    expect(validateRegister([valid], TODAY)).toEqual([]);
  });

  test('rejects an entry without a reason, or with one a reviewer cannot check', () => {
    expect(problems({ reason: '' })).toEqual([expect.stringContaining('reason is required')]);
    expect(problems({ reason: 'accepted' })).toEqual([expect.stringContaining('reason is required')]);
  });

  test('rejects an entry without an owner', () => {
    expect(problems({ owner: '' })).toEqual([expect.stringContaining('owner is required')]);
  });

  test('rejects an entry whose expiry is not in the future', () => {
    expect(problems({ expires: '2026-11-21' })).toEqual([
      'cdk-nag-aws-solutions AwsSolutions-ECS2 on Platform/TaskDefinitions/Arm64: expired on 2026-11-21',
    ]);
    expect(problems({ expires: '2026-11-22' })).toEqual([]);
  });

  test(`rejects an expiry more than ${MAX_ACKNOWLEDGEMENT_DAYS} days ahead, or not a date`, () => {
    expect(problems({ expires: '2099-01-01' })).toEqual([
      expect.stringContaining('more than 366 days ahead'),
    ]);
    expect(problems({ expires: '31/03/2027' })).toEqual([
      expect.stringContaining('expires must be a date YYYY-MM-DD'),
    ]);
  });

  test('rejects a bare rule ID stack-wide: empty, "*" or absolute path', () => {
    for (const path of ['', '*', '/OrderBroker-dev/Platform']) {
      expect(problems({ path })).toEqual([expect.stringContaining('no bare rule ID stack-wide')]);
    }
  });

  test('rejects rules that do not belong to their layer, and duplicates', () => {
    expect(problems({ rule: 'NIST.800.53.R5-IAMNoInlinePolicy' })).toEqual([
      expect.stringContaining('a cdk-nag-aws-solutions rule starts with "AwsSolutions-"'),
    ]);
    expect(problems({ layer: 'tap', rule: 'CAP-5' })).toEqual([expect.stringContaining('TAP-<AREA>-<n>')]);
    expect(validateRegister([valid, { ...valid }], TODAY)).toEqual([
      expect.stringContaining('duplicate entry'),
    ]);
  });

  test("disables only Control Tower rules, by file name, for the whole app ('*')", () => {
    const disabled: RegisterEntry = {
      ...valid,
      layer: 'control-tower',
      rule: 'ct-s3-pr-4',
      path: '*',
      disable: true,
    };
    expect(validateRegister([disabled], TODAY)).toEqual([]);
    expect(validateRegister([{ ...disabled, rule: 's3_event_notifications_enabled_check' }], TODAY)).toEqual([
      expect.stringContaining('named by its file'),
    ]);
    expect(validateRegister([{ ...valid, disable: true, path: '*' }], TODAY)).toEqual([
      expect.stringContaining('only Control Tower rules can be disabled'),
      expect.stringContaining('named by its file'),
    ]);
  });

  test('acknowledgement IDs use the namespace the validation report records', () => {
    expect(acknowledgementId(valid)).toBe('AwsSolutions::AwsSolutions-ECS2');
    expect(acknowledgementId({ ...valid, layer: 'tap', rule: 'TAP-CAP-5' })).toBe('Annotation::TAP-CAP-5');
    expect(acknowledgementId({ ...valid, layer: 'control-tower', rule: 'lambda_inside_vpc_check' })).toBe(
      'cfn-guard-control-tower::lambda_inside_vpc_check',
    );
    expect(
      acknowledgementId({
        ...valid,
        layer: 'cdk-nag-nist-800-53-r5',
        rule: 'NIST.800.53.R5-RDSInBackupPlan',
      }),
    ).toBe('NIST.800.53.R5::NIST.800.53.R5-RDSInBackupPlan');
  });

  test('listRegister gives the reports one sorted row per entry of the profile, with full construct paths', () => {
    const rows = listRegister({ profile: 'prod', stackName: 'OrderBroker-prod' });
    expect(rows.length).toBe(REGISTER.filter((e) => !e.profiles || e.profiles.includes('prod')).length);
    expect(
      rows.some((r) => r.constructPath.endsWith('/ProductionListener') && r.layer === 'control-tower'),
    ).toBe(false);
    const redirect = rows.find(
      (r) => r.acknowledgedId === 'NIST.800.53.R5::NIST.800.53.R5-ELBv2ACMCertificateRequired',
    );
    expect(redirect).toEqual(
      expect.objectContaining({
        kind: 'acknowledgement',
        pluginName: 'NIST.800.53.R5',
        constructPath: 'OrderBroker-prod/Platform/LoadBalancing/Alb/HttpRedirectListener',
        owner: 'security-engineering',
      }),
    );
    const keys = rows.map((r) => `${r.layer}|${r.rule}|${r.constructPath}`);
    expect(JSON.stringify(rows)).toBe(
      JSON.stringify(listRegister({ profile: 'prod', stackName: 'OrderBroker-prod' })),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('createApp refuses a malformed register before synthesis, naming the entry', () => {
    const bad = { ...valid, owner: '' };
    let error: unknown;
    try {
      createApp({ context: cdkJsonContext(), register: [bad], today: TODAY });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RegisterError);
    expect((error as Error).message).toMatch(
      /AwsSolutions-ECS2 on Platform\/TaskDefinitions\/Arm64: owner is required/,
    );
  });

  test('createApp refuses to run the gate when a required feature flag is off', () => {
    const context = { ...cdkJsonContext(), '@aws-cdk/core:validateAgainstDefaultRules': false };
    expect(() => createApp({ context })).toThrow(
      /@aws-cdk\/core:validateAgainstDefaultRules: makes the bundled CloudFormation Validate linter block/,
    );
  });
});
