import type * as ecs from 'aws-cdk-lib/aws-ecs';
import { isoDay, REGISTER, type RegisterEntry } from '../../../lib/compliance/acknowledgements';
import { blocking, suppressed, synthWithGate } from '../../helpers/gate';

const IMPORTED = {
  vpcId: 'vpc-0123456789abcdef0',
  vpcCidr: '10.50.0.0/16',
  clientCidr: '10.50.0.0/16',
  availabilityZones: 'us-east-2a,us-east-2b,us-east-2c',
  privateSubnetIds: 'subnet-0a000000000000001,subnet-0a000000000000002,subnet-0a000000000000003',
  isolatedSubnetIds: 'subnet-0b000000000000001,subnet-0b000000000000002,subnet-0b000000000000003',
  tradesStreamArn: 'arn:aws:kinesis:us-east-2:111111111111:stream/trades',
  tradesStreamKeyArn: 'arn:aws:kms:us-east-2:111111111111:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
  ordersDbClusterIdentifier: 'orders-shared',
  ordersDbClusterResourceId: 'cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ordersDbEndpoint: 'orders-shared.cluster-abc.us-east-2.rds.amazonaws.com',
  ordersDbPort: 5432,
  ordersDbSecurityGroupId: 'sg-0123456789abcdef0',
  architecture: 'X86_64',
  alarmEmail: 'sre@example.com',
};

test('dev with an imported VPC, stream and database on X86_64 passes the gate (unmatched entries only warn)', () => {
  const { report, error } = synthWithGate(IMPORTED);
  expect(error).toBeUndefined();
  expect(blocking(report)).toEqual([]);
  const warnings = report.pluginReports
    .find((p) => p.pluginName === 'Construct Annotations')!
    .violations.filter((v) => v.ruleName === 'Annotation::TAP-EXC-2');
  expect(warnings.length).toBeGreaterThan(0);
  expect(warnings.every((v) => v.severity === 'warning')).toBe(true);
});

test('an exemption from a project rule in the register lands in suppressedViolations with its reason', () => {
  const exemption: RegisterEntry = {
    layer: 'tap',
    rule: 'TAP-CAP-5',
    path: 'Platform/TaskDefinitions/X8664',
    reason: 'Load test LT-2291 measured 3100 CPU units per task on x86 at the close; ARM64 stays at 2048.',
    owner: 'platform-team',
    approvedBy: 'a.reviewer',
    reference: 'SEC-1001',
    expires: isoDay(new Date(Date.now() + 60 * 86_400_000)),
  };
  // Every invariant has two layers: the same decision is recorded for the Guard twin of TAP-CAP-5 too.
  const guardTwin: RegisterEntry = { ...exemption, layer: 'tap-guard', rule: 'tap_task_definitions' };
  const { report, error } = synthWithGate({}, { register: [...REGISTER, exemption, guardTwin] }, (tap) => {
    const taskDefinition = tap.stack.platform.taskDefinitions.byArchitecture.X86_64.node
      .defaultChild as ecs.CfnTaskDefinition;
    taskDefinition.cpu = '4096';
    taskDefinition.memory = '8192';
  });
  expect(error).toBeUndefined();
  expect(blocking(report)).toEqual([]);
  expect(suppressed(report).filter((s) => s.acknowledgedId === 'Annotation::TAP-CAP-5')).toEqual([
    expect.objectContaining({
      plugin: 'Construct Annotations',
      ruleName: 'Annotation::TAP-CAP-5',
      acknowledgedAt: 'OrderBroker-dev/Platform/TaskDefinitions/X8664',
      reason: exemption.reason,
    }),
  ]);
});
