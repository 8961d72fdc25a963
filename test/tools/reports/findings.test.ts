import type { ProfileAssembly } from '../../../tools/reports/assembly';
import { ReportInputError } from '../../../tools/reports/assembly';
import { baseRule, covers, levelOf, validationFindings } from '../../../tools/reports/findings';
import { anchor, cell, code } from '../../../tools/reports/markdown';
import { registerLine } from '../../../tools/reports/sarif';

describe('reading findings from a validation report', () => {
  test('a granular cdk-nag finding belongs to its catalogued rule', () => {
    expect(baseRule('AwsSolutions-IAM5[Resource::arn:aws:ec2:us-east-2:<AWS::AccountId>:network-interface/*]')).toBe(
      'AwsSolutions-IAM5',
    );
    expect(baseRule('TAP-CAP-5')).toBe('TAP-CAP-5');
  });

  test.each([
    [undefined, 'error'],
    ['error', 'error'],
    ['fatal', 'error'],
    ['warning', 'warning'],
    ['warn', 'warning'],
    ['info', 'note'],
  ])('severity %s is SARIF level %s (cfn-guard sets none: an error)', (severity, level) => {
    expect(levelOf(severity)).toBe(level);
  });

  test('an acknowledgement covers its construct and what is below it, not a sibling with a longer name', () => {
    expect(covers('S/Service', 'S/Service')).toBe(true);
    expect(covers('S/Service', 'S/Service/Role/Resource')).toBe(true);
    expect(covers('S/Service', 'S/ServiceRole')).toBe(false);
    expect(covers('S/Service', undefined)).toBe(false);
  });

  test("a finding on the governance stack is located in that stack's template, with its logical ID and type", () => {
    const platformTemplate = '{\n "Resources": {\n  "Queue": {\n   "Type": "AWS::SQS::Queue"\n  }\n }\n}';
    const governanceTemplate = '{\n "Resources": {\n  "Other": {},\n  "Reports65402A0A": {\n   "Type": "AWS::S3::Bucket"\n  }\n }\n}';
    const assembly = {
      profile: 'dev',
      stackName: 'OrderBroker-dev',
      dir: 'cdk.out/dev',
      templateFile: 'cdk.out/dev/OrderBroker-dev.template.json',
      templateText: platformTemplate,
      resources: { Queue: { Type: 'AWS::SQS::Queue' } },
      logicalIdByPath: new Map([['OrderBroker-dev/Queue/Resource', 'Queue']]),
      pathByLogicalId: new Map([['Queue', 'OrderBroker-dev/Queue/Resource']]),
      creationStacks: new Map(),
      companions: [
        {
          stackName: 'OrderBrokerGovernance-dev',
          templateFile: 'cdk.out/dev/OrderBrokerGovernance-dev.template.json',
          templateText: governanceTemplate,
          resources: { Reports65402A0A: { Type: 'AWS::S3::Bucket' } },
          logicalIdByPath: new Map([['OrderBrokerGovernance-dev/Reports/Resource', 'Reports65402A0A']]),
        },
      ],
      validationReport: {
        pluginReports: [
          {
            pluginName: 'AwsSolutions',
            conclusion: 'failure',
            violations: [
              {
                ruleName: 'AwsSolutions-S1',
                description: 'no access logs',
                violatingConstructs: [{ constructPath: 'OrderBrokerGovernance-dev/Reports/Resource' }],
              },
            ],
          },
        ],
      },
    } as unknown as ProfileAssembly;
    const [finding] = validationFindings(assembly, [], [], '/repo');
    expect({
      stack: finding.stackName,
      logicalId: finding.logicalId,
      type: finding.resourceType,
      template: finding.template,
    }).toEqual({
      stack: 'OrderBrokerGovernance-dev',
      logicalId: 'Reports65402A0A',
      type: 'AWS::S3::Bucket',
      template: { uri: 'cdk.out/dev/OrderBrokerGovernance-dev.template.json', line: 4 },
    });
  });

  test('a plugin that is not a layer of the gate is refused by name', () => {
    const assembly = {
      dir: 'cdk.out/dev',
      validationReport: { pluginReports: [{ pluginName: 'Mystery Checks', conclusion: 'success', violations: [] }] },
    } as unknown as ProfileAssembly;
    expect(() => validationFindings(assembly, [], [], '/repo')).toThrow(ReportInputError);
    expect(() => validationFindings(assembly, [], [], '/repo')).toThrow(
      /cdk.out\/dev\/validation-report.json has plugin "Mystery Checks", which is not a layer in lib\/compliance\/layers.ts/,
    );
  });
});

describe('Markdown and SARIF helpers', () => {
  test('a table cell keeps pipes, emphasis and HTML-looking text literal, on one line', () => {
    expect(cell('a | b *c* _d_ <AWS::Partition> [x]\nnext')).toBe(
      'a \\| b \\*c\\* \\_d\\_ \\<AWS::Partition\\> \\[x\\] next',
    );
  });

  test('a code span escapes pipes and survives backticks', () => {
    expect(code('a|b')).toBe('`a\\|b`');
    expect(code('`x`')).toBe('`` `x` ``');
  });

  test("headings become GitHub's anchors", () => {
    expect(anchor('Canary 10% for 5 minutes, blue kept for the bake window')).toBe(
      'canary-10-for-5-minutes-blue-kept-for-the-bake-window',
    );
    expect(anchor('cfn-lint 1.51 schemas lag aws-cdk-lib 2.276 on Tags')).toBe(
      'cfn-lint-151-schemas-lag-aws-cdk-lib-2276-on-tags',
    );
  });

  test('a suppression points at the register line that declares its rule', () => {
    const source = "const X = [\n  {\n    layer: 'tap',\n    rule: 'TAP-CAP-5',\n  },\n];\n";
    expect(registerLine(source, 'TAP-CAP-5')).toBe(4);
    expect(registerLine(source, 'TAP-CAP-6')).toBeUndefined();
  });
});
