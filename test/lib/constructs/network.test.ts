import { Match, type Template } from 'aws-cdk-lib/assertions';
import { synthTemplate } from '../../helpers/synth';
import { IMPORTED_VPC } from '../../helpers/imports';

let dev: Template;
let prod: ReturnType<typeof synthTemplate>;
beforeAll(() => {
  dev = synthTemplate();
  prod = synthTemplate({ profile: 'prod' });
});

function subnetsByTier(template: Template): Record<string, string[]> {
  const tiers: Record<string, string[]> = {};
  for (const subnet of Object.values(template.findResources('AWS::EC2::Subnet'))) {
    const tags = Object.fromEntries(subnet.Properties.Tags.map((t: any) => [t.Key, t.Value]));
    (tiers[tags['aws-cdk:subnet-name']] ??= []).push(subnet.Properties.AvailabilityZone);
  }
  for (const azs of Object.values(tiers)) azs.sort();
  return tiers;
}

test('the VPC spans three AZs with public, private-with-egress and isolated subnets', () => {
  dev.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.40.0.0/16' });
  const azs = ['us-east-2a', 'us-east-2b', 'us-east-2c'];
  expect(subnetsByTier(dev)).toEqual({ public: azs, app: azs, data: azs });
});

test('dev shares one NAT gateway; prod has one per AZ', () => {
  dev.resourceCountIs('AWS::EC2::NatGateway', 1);
  prod.resourceCountIs('AWS::EC2::NatGateway', 3);
});

test('flow logs capture all traffic into the encrypted flow-log group', () => {
  dev.hasResourceProperties('AWS::EC2::FlowLog', {
    ResourceType: 'VPC',
    TrafficType: 'ALL',
    LogDestinationType: 'cloud-watch-logs',
    LogGroupName: { Ref: 'NetworkFlowLogGroup4F8CEEEF' },
  });
});

test('tasks reach ECR, S3, CloudWatch Logs and Kinesis through VPC endpoints', () => {
  const services = Object.values(dev.findResources('AWS::EC2::VPCEndpoint')).map((e) =>
    JSON.stringify(e.Properties.ServiceName),
  );
  for (const service of ['ecr.api', 'ecr.dkr', 'logs', 'kinesis-streams', '.s3']) {
    expect(services.some((s) => s.includes(service))).toBe(true);
  }
  dev.hasResourceProperties('AWS::EC2::VPCEndpoint', {
    VpcEndpointType: 'Interface',
    PrivateDnsEnabled: true,
    SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^NetworkVpcappSubnet1') }]),
  });
});

test('an imported VPC is used as it is: nothing network-level is created', () => {
  const template = synthTemplate(IMPORTED_VPC);
  for (const type of ['AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::NatGateway', 'AWS::EC2::FlowLog']) {
    template.resourceCountIs(type, 0);
  }
  template.hasResourceProperties('AWS::ECS::Service', {
    NetworkConfiguration: {
      AwsvpcConfiguration: Match.objectLike({
        Subnets: ['subnet-00000001', 'subnet-00000002', 'subnet-00000003'],
      }),
    },
  });
  template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
    SubnetIds: ['subnet-00000004', 'subnet-00000005', 'subnet-00000006'],
  });
});

test('prod synthesizes offline: the cloud assembly needs no context lookup', () => {
  const assembly = prod.tapApp.app.synth();
  expect(assembly.manifest.missing).toBeUndefined();
});
