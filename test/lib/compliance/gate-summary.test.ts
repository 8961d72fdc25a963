import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatGateSummary, gateRecord, projectFrame } from '../../../lib/compliance/summary';
import type { RegisterEntry } from '../../../lib/compliance/register/types';

const TODAY = new Date('2026-11-22T00:00:00Z');
const ECS2: RegisterEntry = {
  layer: 'cdk-nag-aws-solutions',
  rule: 'AwsSolutions-ECS2',
  path: 'Platform/TaskDefinitions/Arm64',
  reason: 'The environment holds no secrets: endpoints and flags only; the database uses IAM authentication.',
  owner: 'platform-team',
  approvedBy: 'a.reviewer',
  reference: 'SEC-1001',
  expires: '2026-12-10',
  accepts: [{ kind: 'values', property: 'ContainerDefinitions[*].Environment[*].Name', values: ['A'] }],
};
const EXEMPTION: RegisterEntry = {
  ...ECS2,
  layer: 'tap',
  rule: 'TAP-CAP-5',
  expires: '2027-06-30',
  accepts: undefined,
};

/** A cloud assembly with a validation report and a template, as the CDK writes them. */
function assembly(report: object): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-summary-'));
  fs.writeFileSync(path.join(dir, 'validation-report.json'), JSON.stringify(report));
  const template = {
    Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', Tags: [] } } },
  };
  fs.writeFileSync(path.join(dir, 'OrderBroker-dev.template.json'), JSON.stringify(template));
  return dir;
}

const options = (outdir: string) => ({
  outdir,
  profile: 'dev' as const,
  stackName: 'OrderBroker-dev',
  register: [ECS2, EXEMPTION],
  library: [{ acknowledgedId: 'CloudFormation-Validate::W3010', source: 'Stack', reason: 'library' }],
  today: TODAY,
});

describe('the summary the gate prints after synth', () => {
  test('success: layers with rule counts, acknowledgements, the exemption in use by name, expiring entries, report path', () => {
    const outdir = assembly({
      pluginReports: [
        {
          pluginName: 'AwsSolutions',
          conclusion: 'success',
          violations: [],
          suppressedViolations: [
            {
              ruleName: 'AwsSolutions-ECS2',
              acknowledgedId: 'AwsSolutions::AwsSolutions-ECS2',
              acknowledgedAt: 'OrderBroker-dev/Platform/TaskDefinitions/Arm64',
              reason: ECS2.reason,
              violatingConstructs: [],
            },
          ],
        },
        {
          pluginName: 'Construct Annotations',
          conclusion: 'success',
          violations: [],
          suppressedViolations: [
            {
              ruleName: 'TAP-CAP-5',
              acknowledgedId: 'Annotation::TAP-CAP-5',
              acknowledgedAt: 'OrderBroker-dev/Platform/TaskDefinitions/Arm64',
              reason: ECS2.reason,
              violatingConstructs: [],
            },
          ],
        },
      ],
    });
    const record = gateRecord(options(outdir));
    expect(record.today).toBe('2026-11-22');
    expect(record.blocking).toEqual([]);
    expect(record.outsideRegister).toEqual([]);
    const text = formatGateSummary(record, {
      reportPath: 'cdk.out/validation-report.json',
      rulesByLayer: { 'cdk-nag-aws-solutions': 131 },
    }).join('\n');
    expect(text).not.toContain('FAILED');
    expect(text).toContain('Compliance gate summary (OrderBroker-dev, register evaluated on 2026-11-22):');
    expect(text).toMatch(/AwsSolutions +success +131 rules, 0 blocking, 1 acknowledged/);
    expect(text).toContain('cfn-lint                 runs after synth: npm run lint:cfn');
    expect(text).toContain('exemptions in use: TAP-CAP-5 on Platform/TaskDefinitions/Arm64');
    expect(text).toContain(
      '- 2026-12-10 cdk-nag-aws-solutions AwsSolutions-ECS2 on Platform/TaskDefinitions/Arm64 (owner platform-team)',
    );
    expect(text).toContain('validation report: cdk.out/validation-report.json');
  });

  test('failure: a header with errors per layer, and a ready-to-paste entry per finding (not the bare hint)', () => {
    const outdir = assembly({
      pluginReports: [
        {
          pluginName: 'AwsSolutions',
          conclusion: 'failure',
          violations: [
            {
              ruleName: 'AwsSolutions-EC23',
              description:
                "The Security Group allows for 0.0.0.0/0 or ::/0 inbound access.\nAcknowledge with 'AwsSolutions::AwsSolutions-EC23'",
              severity: 'error',
              violatingConstructs: [
                {
                  constructPath: 'OrderBroker-dev/Platform/Sg/Resource',
                  cloudFormationResource: { logicalId: 'Sg' },
                  stackTraces: [
                    'at new SecurityGroup (/repo/node_modules/aws-cdk-lib/aws-ec2/lib/security-group.js:1:1)',
                    `at new Network (${process.cwd()}/lib/constructs/network.ts:42:7)`,
                  ],
                },
              ],
            },
          ],
          suppressedViolations: [
            {
              ruleName: 'AwsSolutions-SNS2',
              acknowledgedId: 'AwsSolutions::AwsSolutions-SNS2',
              acknowledgedAt: 'OrderBroker-dev/Topic',
              reason: 'trust me',
              violatingConstructs: [],
            },
          ],
        },
      ],
    });
    const record = gateRecord(options(outdir));
    expect(record.outsideRegister).toEqual(['AwsSolutions::AwsSolutions-SNS2 @ OrderBroker-dev/Topic']);
    const text = formatGateSummary(record, { reportPath: 'r.json' }).join('\n');
    expect(text.split('\n')[0]).toBe(
      'COMPLIANCE GATE FAILED (OrderBroker-dev): 1 blocking finding(s) — cdk-nag-aws-solutions: 1',
    );
    expect(text).toContain(
      '[cdk-nag-aws-solutions] AwsSolutions-EC23 on Platform/Sg (added at lib/constructs/network.ts:42): The Security Group allows for 0.0.0.0/0 or ::/0 inbound access.',
    );
    expect(text).not.toContain("Acknowledge with '");
    expect(text).toContain(
      "      layer: 'cdk-nag-aws-solutions',\n      rule: 'AwsSolutions-EC23',\n      path: 'Platform/Sg',",
    );
    expect(text).toMatch(
      /accepts: \[\{ kind: 'fingerprint', properties: \['GroupDescription'\], sha256: '[0-9a-f]{64}' \}\]/,
    );
    expect(text).toContain("expires: '2027-02-20',");
    expect(text).toContain(
      'ERROR acknowledgement outside the register: AwsSolutions::AwsSolutions-SNS2 @ OrderBroker-dev/Topic',
    );
  });

  test('the source line is the project frame that added the construct, preferring lib/constructs/', () => {
    expect(
      projectFrame(
        [
          'at Object.<anonymous> (/x/node_modules/aws-cdk-lib/core/lib/construct.js:1:1)',
          `at new TapStack (${process.cwd()}/lib/tap-stack.ts:10:3)`,
          `at SecurityGroup.addIngressRule (${process.cwd()}/lib/constructs/load-balancing.ts:77:12)`,
        ],
        /lib\/constructs\//,
      ),
    ).toBe('lib/constructs/load-balancing.ts:77');
    expect(projectFrame(undefined)).toBeUndefined();
  });
});
