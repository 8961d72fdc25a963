import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as sarif from 'sarif';
import { parse } from 'csv-parse/sync';
import { ReportInputError } from '../../../tools/reports/assembly';
import { generateReports, REPORT_FILES } from '../../../tools/reports/generate';
import { compileSchema, SARIF_SCHEMA } from '../../helpers/json-schema';
import { fixtureOptions, makeFixtureRoot, stampFixture } from '../../helpers/reports-fixture';

const root = makeFixtureRoot();
const first = generateReports(fixtureOptions(root));
const second = generateReports(fixtureOptions(root));
const file = (name: (typeof REPORT_FILES)[number]) => first.files.get(name)!;
const compliance = JSON.parse(file('compliance.json'));
const sarifLog = JSON.parse(file('compliance.sarif')) as sarif.Log;
const results = sarifLog.runs[0].results!;
const dev = compliance.profiles.find((p: { profile: string }) => p.profile === 'dev');

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('npm run reports on a fixture cdk.out', () => {
  test('writes every report file', () => {
    expect([...first.files.keys()].sort()).toEqual([...REPORT_FILES].sort());
  });

  test.each([...REPORT_FILES])('%s is byte-identical on two runs', (name) => {
    expect(file(name).length).toBeGreaterThan(0);
    expect(second.files.get(name)).toBe(file(name));
  });

  test('no report carries an absolute path or a timestamp', () => {
    for (const [name, text] of first.files) {
      expect({ name, leaks: text.includes(root) || text.includes(os.tmpdir()) }).toEqual({ name, leaks: false });
      expect({ name, timestamp: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) }).toEqual({ name, timestamp: false });
    }
  });

  test('the cfn-lint SARIF and JUnit are copied as the lint wrapper wrote them', () => {
    expect(file('cfn-lint.sarif')).toBe(fs.readFileSync(path.join(root, 'cdk.out/lint/cfn-lint.sarif'), 'utf8'));
    expect(file('cfn-lint.junit.xml')).toBe(
      fs.readFileSync(path.join(root, 'cdk.out/lint/cfn-lint.junit.xml'), 'utf8'),
    );
  });
});

describe('compliance.json', () => {
  const validate = compileSchema(JSON.parse(file('compliance.schema.json')));

  test('validates against compliance.schema.json', () => {
    expect(validate(compliance)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  test('the schema rejects a report whose finding has an unknown level or an absolute source path', () => {
    const broken = structuredClone(compliance);
    broken.profiles[0].findings[0].level = 'critical';
    broken.profiles[0].findings[1].source = { uri: '/abs/lib/x.ts', line: 1, column: 1 };
    expect(validate(broken)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    expect(paths).toContain('/profiles/0/findings/0/level');
    expect(paths).toContain('/profiles/0/findings/1/source/uri');
  });

  test('counts rules per layer: evaluated, passed, failed, acknowledged', () => {
    const tap = dev.layers.find((l: { id: string }) => l.id === 'tap');
    expect(tap).toMatchObject({ evaluated: 3, passed: 1, failed: 1, acknowledged: 1, openFindings: 1 });
    const ct = dev.layers.find((l: { id: string }) => l.id === 'control-tower');
    // ct-s3-pr-4 is disabled in the register: not evaluated.
    expect(ct).toMatchObject({ evaluated: 1, passed: 0, failed: 0, acknowledged: 1 });
    const lint = dev.layers.find((l: { id: string }) => l.id === 'cfn-lint');
    expect(lint).toMatchObject({ evaluated: null, passed: null, acknowledged: 1 });
  });

  test('a register entry lists the resources it suppresses, with owner and expiry', () => {
    const iam5 = dev.acknowledgements.find((a: { rule: string }) => a.rule === 'AwsSolutions-IAM5[Resource::*]');
    expect(iam5).toMatchObject({
      kind: 'acknowledgement',
      constructPath: 'OrderBroker-dev/Service/Role/DefaultPolicy',
      owner: 'platform-team',
      expires: '2099-01-31',
      suppressedFindings: 1,
      resources: [
        {
          constructPath: 'OrderBroker-dev/Service/Role/DefaultPolicy/Resource',
          logicalId: 'ServiceRoleDefaultPolicy5E6F7A8B',
          findings: 1,
        },
      ],
    });
    const exemption = dev.acknowledgements.find((a: { rule: string }) => a.rule === 'TAP-CAP-5');
    expect(exemption).toMatchObject({ kind: 'exemption', owner: 'sre-team', suppressedFindings: 1 });
  });

  test('disabled rules are listed with their justification, and an acknowledgement outside the register is flagged', () => {
    expect(dev.disabledRules).toEqual([
      expect.objectContaining({ kind: 'disabled-rule', rule: 'ct-s3-pr-4', owner: 'security-engineering' }),
    ]);
    expect(dev.unregisteredAcknowledgements).toEqual([
      {
        acknowledgedId: 'cfn-guard-control-tower::lambda_inside_vpc_check',
        at: 'OrderBroker-dev/RestrictDefaultSg',
        reason: 'suppressed outside the register',
      },
    ]);
  });
});

describe('compliance.sarif', () => {
  const validate = compileSchema(SARIF_SCHEMA);

  test('validates against the SARIF 2.1.0 schema, and so does the copied cfn-lint SARIF', () => {
    expect(validate(sarifLog)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    expect(validate(JSON.parse(file('cfn-lint.sarif')))).toBe(true);
  });

  test('the SARIF schema rejects a result with an invalid level', () => {
    const broken = structuredClone(sarifLog);
    (broken.runs[0].results![0] as { level: string }).level = 'fatal';
    expect(validate(broken)).toBe(false);
  });

  test('holds every finding of every layer; acknowledged ones are suppressed with the register reason, owner and expiry', () => {
    expect(results.map((r) => r.ruleId).sort()).toEqual([
      'cdk-nag-aws-solutions/AwsSolutions-IAM5',
      'cfn-lint/E3002',
      'cfn-validate/W3010',
      'control-tower/lambda_inside_vpc_check',
      'tap/TAP-CAP-5',
      'tap/TAP-EXC-2',
    ]);
    const iam5 = results.find((r) => r.ruleId === 'cdk-nag-aws-solutions/AwsSolutions-IAM5')!;
    expect(iam5.suppressions).toEqual([
      expect.objectContaining({
        kind: 'external',
        status: 'accepted',
        justification: expect.stringMatching(/^Fixture: the only Resource \* statement.*owner platform-team; expires 2099-01-31\)$/),
      }),
    ]);
    const open = results.find((r) => r.ruleId === 'tap/TAP-EXC-2')!;
    expect(open.suppressions).toBeUndefined();
    expect(open.level).toBe('warning');
  });

  test('a finding points at the TypeScript line that created the resource, with its construct path and logical ID', () => {
    const cap5 = results.find((r) => r.ruleId === 'tap/TAP-CAP-5')!;
    expect(cap5.locations![0]).toEqual({
      physicalLocation: {
        artifactLocation: { uri: 'lib/constructs/demo.ts' },
        region: { startLine: 13, startColumn: 5 },
      },
      logicalLocations: [
        {
          name: 'ServiceTaskDef9C0D1E2F',
          fullyQualifiedName: 'OrderBroker-dev/Service/TaskDef/Resource',
          kind: 'resource',
        },
      ],
    });
    expect(cap5.stacks![0].frames.map((f) => f.location!.physicalLocation!.region!.startLine)).toEqual([13, 5]);
  });

  test('a resource whose creation stack never reaches the repository points at the template', () => {
    const w3010 = results.find((r) => r.ruleId === 'cfn-validate/W3010')!;
    expect(w3010.locations![0].physicalLocation).toEqual({
      artifactLocation: { uri: 'cdk.out/dev/OrderBroker-dev.template.json' },
      region: { startLine: 27 },
    });
  });

  test('rule metadata carries the layer, level and description', () => {
    const rule = sarifLog.runs[0].tool.driver.rules!.find((r) => r.id === 'control-tower/lambda_inside_vpc_check')!;
    expect(rule).toMatchObject({
      name: 'lambda_inside_vpc_check',
      shortDescription: { text: expect.stringContaining('CT.LAMBDA.PR.3') },
      defaultConfiguration: { level: 'error' },
      properties: expect.objectContaining({ layer: 'control-tower' }),
    });
  });
});

describe('tags.csv and tags.json', () => {
  const tags = JSON.parse(file('tags.json'));
  const rows = parse<Record<string, string>>(file('tags.csv'), { columns: true });

  test('one CSV row per resource of every profile, with each required tag value', () => {
    expect(rows).toHaveLength(6);
    expect(rows.find((r) => r.logicalId === 'ServiceTaskDef9C0D1E2F')).toEqual({
      stack: 'OrderBroker-dev',
      profile: 'dev',
      logicalId: 'ServiceTaskDef9C0D1E2F',
      type: 'AWS::ECS::TaskDefinition',
      constructPath: 'OrderBroker-dev/Service/TaskDef/Resource',
      taggable: 'true',
      CostCenter: 'CC-4100',
      Project: 'TradingPlatform',
      Service: '',
      Environment: '',
      fullyTagged: 'false',
      missingTags: 'Service',
    });
  });

  test('values with commas, quotes or intrinsics survive the CSV round trip', () => {
    const subnet = rows.find((r) => r.logicalId === 'NetworkSubnet1ABCDEF12')!;
    expect(subnet.Project).toBe('TradingPlatform, "core"');
    expect(JSON.parse(subnet.CostCenter)).toEqual({ Ref: 'CostCenterParameter' });
  });

  test('coverage counts taggable and fully tagged resources per stack and in total', () => {
    expect(tags.coverage).toEqual([
      { stack: 'OrderBroker-dev', profile: 'dev', resources: 5, taggable: 3, fullyTagged: 2, percent: 66.7 },
      { stack: 'OrderBroker-prod', profile: 'prod', resources: 1, taggable: 1, fullyTagged: 1, percent: 100 },
    ]);
    expect(tags.total).toMatchObject({ resources: 6, taggable: 4, fullyTagged: 3, percent: 75 });
  });
});

describe('compliance.md', () => {
  const md = file('compliance.md');

  test('has one section per profile, a table per layer, the register and the disabled rules', () => {
    expect(md).toContain('## Profile `dev`: stack `OrderBroker-dev`');
    expect(md).toContain('## Profile `prod`: stack `OrderBroker-prod`');
    // One table per layer and profile (9 layers with the IAM evaluation layer) x 2 profiles.
    expect(md.match(/^#### /gm)).toHaveLength(18);
    expect(md).toContain(
      '| exemption | Project rules (READONLY Aspects, aspects/) | `TAP-CAP-5` | `OrderBroker-dev/Service/TaskDef/Resource` → `ServiceTaskDef9C0D1E2F` | (unbound) | Fixture: a load test needs 4096 CPU units for one week; the gate \\| pipes and \\*stars\\* stay literal. | sre-team | a.reviewer (SEC-1001) | 2099-02-28 |  |',
    );
    // Expiring soon, as of the day the gate recorded in cdk.out/dev/compliance-gate.json (2099-01-15); an entry
    // already past that day is not "expiring", and prod's assembly records no day.
    expect(md).toContain(
      '### Register entries expiring within 30 days\n\nAs of 2099-01-15, the day the gate evaluated the register on',
    );
    expect(md).toMatch(/\| 2099-01-31 \| cdk-nag-aws-solutions \| `AwsSolutions-IAM5\[Resource::\*\]` \| `OrderBroker-dev\/Service\/Role\/DefaultPolicy` \| platform-team \|/);
    expect(md).not.toMatch(/^\| 2099-01-01 \|/m);
    expect(md).toContain('The cloud assembly does not record the day the gate evaluated the register on');
    expect(md).toContain('`ct-s3-pr-4` | `*` (the rule does not run on this profile)');
  });

  test('links every decision of docs/decisions.md, and not a heading inside a code block', () => {
    expect(md).toContain(
      '- [Container Insights: `enabled`, not `enhanced`](../docs/decisions.md#container-insights-enabled-not-enhanced)',
    );
    expect(md).toContain(
      '  - [dev serves HTTP inside the VPC; prod is HTTPS](../docs/decisions.md#dev-serves-http-inside-the-vpc-prod-is-https)',
    );
    expect(md).not.toContain('not a heading');
  });
});

describe('a missing or stale cdk.out is refused with the reason and the fix', () => {
  const fresh = () => makeFixtureRoot();
  const problemsOf = (r: string): string => {
    try {
      generateReports(fixtureOptions(r));
    } catch (e) {
      expect(e).toBeInstanceOf(ReportInputError);
      return (e as Error).message;
    }
    throw new Error('generateReports accepted the inputs');
  };

  test('cdk.out missing', () => {
    const r = fresh();
    fs.rmSync(path.join(r, 'cdk.out'), { recursive: true });
    const message = problemsOf(r);
    expect(message).toContain('cdk.out/dev is missing (no cdk.out/dev/manifest.json)');
    expect(message).toContain('cdk.out/prod is missing');
    expect(message).toContain('npm run synth:all && npm run lint:cfn');
  });

  test('an assembly not produced by npm run synth:all', () => {
    const r = fresh();
    fs.rmSync(path.join(r, 'cdk.out/prod/synth-inputs.json'));
    expect(problemsOf(r)).toContain('cdk.out/prod has no synth-inputs.json: it was not produced by npm run synth:all');
  });

  test('a source changed since synthesis (another commit, or an edit): names the file', () => {
    const r = fresh();
    fs.appendFileSync(path.join(r, 'lib/constructs/demo.ts'), '// a new resource\n');
    fs.writeFileSync(path.join(r, 'lib/constructs/extra.ts'), 'export {};\n');
    const message = problemsOf(r);
    expect(message).toContain('cdk.out/dev is stale: it was synthesized from other sources than the working tree');
    expect(message).toContain('changed: lib/constructs/demo.ts');
    expect(message).toContain('added:   lib/constructs/extra.ts');
  });

  test('cfn-lint output from other templates', () => {
    const r = fresh();
    const template = path.join(r, 'cdk.out/prod/OrderBroker-prod.template.json');
    fs.writeFileSync(template, fs.readFileSync(template, 'utf8').replace('CC-4100', 'CC-4200'));
    expect(problemsOf(r)).toContain(
      'cdk.out/lint/cfn-lint.sarif is stale: it linted another version of cdk.out/prod/OrderBroker-prod.template.json',
    );
  });

  test('cfn-lint never ran', () => {
    const r = fresh();
    fs.rmSync(path.join(r, 'cdk.out/lint'), { recursive: true });
    expect(problemsOf(r)).toContain('cfn-lint has not run on these templates (npm run lint:cfn)');
  });

  test('re-stamping after a new synthesis makes it current again', () => {
    const r = fresh();
    fs.appendFileSync(path.join(r, 'lib/constructs/demo.ts'), '// edit\n');
    stampFixture(r);
    expect(generateReports(fixtureOptions(r)).files.get('compliance.json')).toBe(file('compliance.json'));
  });
});
