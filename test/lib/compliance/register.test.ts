import {
  acknowledgementId,
  bindingViolations,
  describeEntry,
  expiringSoon,
  fingerprintOf,
  mustBeBound,
  RULES_THAT_MUST_BE_BOUND,
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
  approvedBy: 'a.reviewer',
  reference: 'SEC-1001',
  expires: '2027-03-31',
  accepts: [
    { kind: 'values', property: 'ContainerDefinitions[*].Environment[*].Name', values: ['APP_MODE'] },
  ],
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
      accepts: undefined,
    };
    expect(validateRegister([disabled], TODAY)).toEqual([]);
    expect(validateRegister([{ ...disabled, rule: 's3_event_notifications_enabled_check' }], TODAY)).toEqual([
      expect.stringContaining('named by its file'),
    ]);
    expect(validateRegister([{ ...valid, disable: true, path: '*', accepts: undefined }], TODAY)).toEqual([
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
    expect(rows.length).toBe(
      REGISTER.filter(
        (e) => (!e.profiles || e.profiles.includes('prod')) && (e.stack ?? 'platform') === 'platform',
      ).length,
    );
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
        approvedBy: 'security-engineering',
        reference: 'ISSUE-11',
      }),
    );
    const keys = rows.map((r) => `${r.layer}|${r.rule}|${r.constructPath}`);
    expect(JSON.stringify(rows)).toBe(
      JSON.stringify(listRegister({ profile: 'prod', stackName: 'OrderBroker-prod' })),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('rejects an entry without an approver or a ticket, or with a placeholder', () => {
    expect(problems({ approvedBy: '' })).toEqual([
      'cdk-nag-aws-solutions AwsSolutions-ECS2 on Platform/TaskDefinitions/Arm64: approvedBy = "": expected the handle of the security reviewer who approved the entry or its renewal (e.g. j.doe)',
    ]);
    expect(problems({ reference: 'ticket 12' })).toEqual([
      expect.stringContaining('reference = "ticket 12": expected the ticket of the approval, e.g. SEC-1234'),
    ]);
    expect(problems({ reason: '<why the finding is acceptable, checkable in the template>' })).toEqual([
      expect.stringContaining('no <placeholder>'),
    ]);
  });

  test('every entry of the production register records who approved it and the ticket', () => {
    for (const entry of REGISTER) {
      expect({ entry: describeEntry(entry), approvedBy: entry.approvedBy }).toEqual({
        entry: describeEntry(entry),
        approvedBy: expect.stringMatching(/^[a-z][a-z0-9.-]{2,}$/),
      });
      expect(entry.reference).toMatch(/^[A-Z][A-Z0-9]+-\d+$/);
    }
  });

  test('an entry of a rule whose acceptance is a value must say which value (accepts)', () => {
    expect(problems({ accepts: undefined })).toEqual([
      'cdk-nag-aws-solutions AwsSolutions-ECS2 on Platform/TaskDefinitions/Arm64: accepts is required for AwsSolutions-ECS2 (say which values are accepted: a value list, a minimum or a fingerprint)',
    ]);
    const retention: RegisterEntry = {
      ...valid,
      layer: 'control-tower',
      rule: 'cloudwatch_log_group_retention_period_check',
      path: 'Network/FlowLogGroup',
      accepts: undefined,
    };
    expect(validateRegister([retention], TODAY)).toEqual([expect.stringContaining('accepts is required')]);
    // The rules that must be bound, pinned: dropping one from the list is a reviewed change.
    expect(RULES_THAT_MUST_BE_BOUND.map(String)).toEqual([
      '/^AwsSolutions-ECS2$/',
      '/^cloudwatch_log_group_retention_period_check$/',
      '/-RDSInBackupPlan$/',
      '/^AwsSolutions-IAM5\\[/',
      '/-IAMNoInlinePolicy$/',
      '/^AwsSolutions-IAM4\\[/',
      '/-ALBWAFEnabled$/',
      '/-ALBHttpToHttpsRedirection$/',
      '/^alb_http_to_https_redirection_check$/',
      '/-ELBv2ACMCertificateRequired$/',
      '/^AwsSolutions-KDS3$/',
      '/^ecs_task_definition_nonroot_user_check$/',
    ]);
    const bound = REGISTER.filter(mustBeBound);
    expect(bound.length).toBeGreaterThan(20);
    for (const entry of bound)
      expect({ entry: describeEntry(entry), bound: !!entry.accepts?.length }).toEqual({
        entry: describeEntry(entry),
        bound: true,
      });
  });

  test('rejects a malformed binding: bad property path, fingerprint or minimum', () => {
    expect(
      problems({ accepts: [{ kind: 'values', property: 'Container Definitions', values: [] }] }),
    ).toEqual([expect.stringContaining('accepts property "Container Definitions": expected Key.Key[*].Key')]);
    expect(problems({ accepts: [{ kind: 'fingerprint', properties: ['Roles'], sha256: 'abc' }] })).toEqual([
      expect.stringContaining('accepts fingerprint "abc": expected 64 lowercase hex digits'),
    ]);
  });

  test('bindings: a value list accepts a subset, a minimum refuses less or nothing, a fingerprint any change', () => {
    const env = (...names: string[]) => ({
      ContainerDefinitions: [{ Environment: names.map((Name) => ({ Name, Value: 'x' })) }],
    });
    const names = {
      kind: 'values',
      property: 'ContainerDefinitions[*].Environment[*].Name',
      values: ['A', 'B'],
    } as const;
    expect(bindingViolations(names, env('A'))).toEqual([]);
    expect(bindingViolations(names, env('A', 'DB_PASSWORD'))).toEqual([
      'ContainerDefinitions[*].Environment[*].Name has "DB_PASSWORD", which the entry does not accept (accepted: "A", "B")',
    ]);
    const minimum = { kind: 'minimum', property: 'RetentionInDays', minimum: 30 } as const;
    expect(bindingViolations(minimum, { RetentionInDays: 30 })).toEqual([]);
    expect(bindingViolations(minimum, { RetentionInDays: 1 })).toEqual([
      'RetentionInDays is 1, below the accepted minimum 30',
    ]);
    expect(bindingViolations(minimum, {})).toEqual([
      'RetentionInDays is not set (the entry accepts at least 30)',
    ]);
    const props = { Roles: [{ Ref: 'RoleA' }] };
    const fp = {
      kind: 'fingerprint',
      properties: ['Roles'],
      sha256: fingerprintOf(props, ['Roles']),
    } as const;
    expect(bindingViolations(fp, { Roles: [{ Ref: 'RoleA' }], Tags: [] })).toEqual([]);
    expect(bindingViolations(fp, { Roles: [{ Ref: 'RoleA' }, { Ref: 'RoleB' }] })).toEqual([
      expect.stringContaining('Roles changed since the entry was approved (fingerprint '),
    ]);
  });

  test('expiringSoon lists the entries of the profile expiring within 30 days, soonest first', () => {
    const soon = [
      { ...valid, path: 'A', expires: '2026-12-22' },
      { ...valid, path: 'B', expires: '2026-11-30' },
      { ...valid, path: 'C', expires: '2026-12-23' },
      { ...valid, path: 'D', expires: '2026-11-21' },
      { ...valid, path: 'E', expires: '2026-11-25', profiles: ['prod' as const] },
    ];
    expect(expiringSoon(soon, 'dev', TODAY).map((e) => `${e.path} ${e.expires}`)).toEqual([
      'B 2026-11-30',
      'A 2026-12-22',
    ]);
  });

  test('an entry whose path is a grouping construct (Platform) is refused before synthesis', () => {
    let error: unknown;
    try {
      createApp({
        context: cdkJsonContext(),
        register: [{ ...valid, path: 'Platform' }],
        today: TODAY,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RegisterError);
    expect((error as Error).message).toContain(
      'cdk-nag-aws-solutions AwsSolutions-ECS2 on Platform: path "Platform" names a grouping construct',
    );
    expect((error as Error).message).toContain('not one resource or one L2 construct');
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
