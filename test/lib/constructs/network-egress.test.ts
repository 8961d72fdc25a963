import type { Template } from 'aws-cdk-lib/assertions';
import { S3_PREFIX_LIST_IDS } from '../../../lib/constructs/network';
import { IMPORTED_VPC } from '../../helpers/imports';
import { synthTemplate } from '../../helpers/synth';

/**
 * The tasks' and the database's groups allow no egress beyond what the service needs. EC2 gives a new group an
 * allow-all egress rule that CloudFormation removes only once the group gets an egress rule of its own (inline
 * or an AWS::EC2::SecurityGroupEgress): a group rendered with neither would still allow everything.
 */
let dev: Template;
let imported: Template;
beforeAll(() => {
  dev = synthTemplate();
  imported = synthTemplate({ ...IMPORTED_VPC });
});

const logicalIdOf = (template: Template, prefix: string) =>
  Object.keys(template.findResources('AWS::EC2::SecurityGroup')).find((id) => id.startsWith(prefix))!;

function egressOf(template: Template, groupPrefix: string) {
  const group = logicalIdOf(template, groupPrefix);
  const inline =
    template.findResources('AWS::EC2::SecurityGroup')[group].Properties.SecurityGroupEgress ?? [];
  const separate = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress'))
    .map((r) => r.Properties)
    .filter((p) => p.GroupId?.['Fn::GetAtt']?.[0] === group)
    .map((p) => ({
      port: `${p.IpProtocol}/${p.FromPort}-${p.ToPort}`,
      to:
        p.DestinationPrefixListId ??
        String(p.DestinationSecurityGroupId?.['Fn::GetAtt']?.[0]).replace(/[0-9A-F]{8}$/, ''),
    }))
    .sort((a, b) => a.to.localeCompare(b.to));
  return { inline, separate };
}

test('the tasks send only to the database, the interface endpoints and S3 (no allow-all egress)', () => {
  expect(egressOf(dev, 'PlatformOrderBrokerSecurityGroup')).toEqual({
    inline: [],
    separate: [
      { port: 'tcp/443-443', to: 'NetworkEndpointSecurityGroup' },
      { port: 'tcp/5432-5432', to: 'OrdersDatabaseClusterSecurityGroup' },
      { port: 'tcp/443-443', to: S3_PREFIX_LIST_IDS['us-east-2'] },
    ],
  });
});

test("the database's group has only the match-nothing rule: it opens no connection", () => {
  expect(egressOf(dev, 'OrdersDatabaseClusterSecurityGroup')).toEqual({
    inline: [
      {
        CidrIp: '255.255.255.255/32',
        Description: 'Disallow all traffic',
        FromPort: 252,
        IpProtocol: 'icmp',
        ToPort: 86,
      },
    ],
    separate: [],
  });
  dev.hasResourceProperties('AWS::RDS::DBCluster', {
    VpcSecurityGroupIds: [
      { 'Fn::GetAtt': [logicalIdOf(dev, 'OrdersDatabaseClusterSecurityGroup'), 'GroupId'] },
    ],
  });
});

test("with an imported VPC the tasks reach the owner's endpoints by the VPC's literal CIDR on 443", () => {
  expect(egressOf(imported, 'PlatformOrderBrokerSecurityGroup').inline).toEqual([
    expect.objectContaining({ CidrIp: IMPORTED_VPC.vpcCidr, FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }),
  ]);
});

test("the CodeDeploy endpoint's own group has only the match-nothing rule and admits the validation hook on 443", () => {
  const group = logicalIdOf(dev, 'PlatformValidationHookCodeDeployEndpointSecurityGroup');
  expect(egressOf(dev, 'PlatformValidationHookCodeDeployEndpointSecurityGroup')).toEqual({
    inline: [
      {
        CidrIp: '255.255.255.255/32',
        Description: 'Disallow all traffic',
        FromPort: 252,
        IpProtocol: 'icmp',
        ToPort: 86,
      },
    ],
    separate: [],
  });
  dev.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
    GroupId: { 'Fn::GetAtt': [group, 'GroupId'] },
    FromPort: 443,
    ToPort: 443,
    SourceSecurityGroupId: {
      'Fn::GetAtt': [logicalIdOf(dev, 'PlatformLoadBalancingTestTrafficClientSecurityGroup'), 'GroupId'],
    },
  });
});
