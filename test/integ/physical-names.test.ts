import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { cdkJsonContext, synthTemplate } from '../helpers/synth';
import { INTEG_STACKS, type IntegStackId, platformUnderTest } from './platform-under-test';

/**
 * Physical names CloudFormation creates: two stacks in one account with the same one cannot both exist (the
 * second create fails with "already exists"). Top-level `*Name`, `*Identifier` and `Family` properties with a
 * literal value, by resource type; names scoped to another resource (inline IAM policies, scaling policies of
 * one target) are not account-wide and are left out.
 */
const SCOPED_TYPES = ['AWS::IAM::Policy', 'AWS::ApplicationAutoScaling::ScalingPolicy'];
/** `*Name` properties that name something else (a metric, an AWS service, a default group, a label). */
const NOT_PHYSICAL = [
  'AWS::CloudWatch::Alarm MetricName',
  'AWS::EC2::VPCEndpoint ServiceName',
  'AWS::RDS::DBCluster DBClusterParameterGroupName',
  'AWS::RDS::DBCluster DatabaseName',
  'AWS::SNS::Topic DisplayName',
];

function physicalNames(template: Template): string[] {
  const names: string[] = [];
  for (const resource of Object.values(template.toJSON().Resources as Record<string, any>)) {
    if (SCOPED_TYPES.includes(resource.Type)) continue;
    for (const [key, value] of Object.entries((resource.Properties ?? {}) as Record<string, unknown>)) {
      if (typeof value !== 'string' || NOT_PHYSICAL.includes(`${resource.Type} ${key}`)) continue;
      if (/(Name|Identifier)$/.test(key) || key === 'Family') names.push(`${resource.Type} ${key}=${value}`);
    }
  }
  return names.sort();
}

const dev = physicalNames(synthTemplate());
const integ = Object.fromEntries(
  (Object.keys(INTEG_STACKS) as IntegStackId[]).map((id) => [
    id,
    // The assertion stack is empty until the integ app adds its assertions: skip the bundled linter here.
    physicalNames(
      Template.fromStack(
        platformUnderTest(id, new App({ context: cdkJsonContext(), builtinCloudFormationValidation: false }))
          .stack,
      ),
    ),
  ]),
);

test('the names checked include the ones that collided before (stream, database, cluster, target groups, hook)', () => {
  expect(dev).toEqual(
    expect.arrayContaining([
      'AWS::Kinesis::Stream Name=trades',
      'AWS::RDS::DBCluster DBClusterIdentifier=orders-dev',
      'AWS::ECS::Cluster ClusterName=orderbroker-dev',
      'AWS::ElasticLoadBalancingV2::TargetGroup Name=ob-dev-blue',
      'AWS::Lambda::Function FunctionName=CodeDeployHook_orderbroker-dev-validation',
    ]),
  );
  expect(integ.OrderBrokerIntegBadVersion).toEqual(
    expect.arrayContaining([
      'AWS::Kinesis::Stream Name=trades-integ-bad',
      'AWS::RDS::DBCluster DBClusterIdentifier=orders-integ-bad',
    ]),
  );
});

test('the physical names of OrderBroker-dev and of every integration-test stack are pairwise disjoint', () => {
  const stacks: Record<string, string[]> = { 'OrderBroker-dev': dev, ...integ };
  const shared: string[] = [];
  const ids = Object.keys(stacks);
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      for (const name of stacks[ids[i]].filter((n) => stacks[ids[j]].includes(n)))
        shared.push(`${ids[i]} & ${ids[j]}: ${name}`);
    }
  }
  expect(shared).toEqual([]);
  for (const names of Object.values(stacks)) expect(names.length).toBeGreaterThan(10);
});
