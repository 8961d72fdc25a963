import type { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { EgressAllowListRule } from '../../aspects/network/egress-allow-list';
import { IngressAllowListRule } from '../../aspects/network/ingress-allow-list';
import { NoPublicTaskIpRule } from '../../aspects/network/no-public-task-ip';
import { networkContract } from '../../lib/compliance/network-contract';
import { resolveConfig } from '../../lib/config/resolve-config';
import { findingsOf, ids, ruleTestStack } from '../helpers/rules';

// The dev profile's contract, with the groups of these small stacks in the roles.
const contract = networkContract(resolveConfig({}), {
  alb: ['Alb'],
  testClient: ['TestClient'],
  tasks: ['Tasks'],
  database: ['Database'],
  databaseBootstrap: ['Bootstrap'],
  endpoints: ['Endpoints'],
});

/** The platform's groups wired as the contract says. */
function platform(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.40.0.0/16'),
    natGateways: 0,
    maxAzs: 1,
    subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const group = (id: string) => new ec2.SecurityGroup(stack, id, { vpc, allowAllOutbound: false });
  const [alb, testClient, tasks, database, bootstrap, endpoints] = [
    'Alb',
    'TestClient',
    'Tasks',
    'Database',
    'Bootstrap',
    'Endpoints',
  ].map(group);
  alb.addIngressRule(ec2.Peer.ipv4('10.40.0.0/16'), ec2.Port.tcp(80));
  alb.connections.allowFrom(testClient, ec2.Port.tcp(9090));
  tasks.connections.allowFrom(alb, ec2.Port.tcp(8080));
  database.connections.allowFrom(tasks, ec2.Port.tcp(5432));
  database.connections.allowFrom(bootstrap, ec2.Port.tcp(5432));
  endpoints.addIngressRule(ec2.Peer.ipv4('10.40.0.0/16'), ec2.Port.tcp(443));
  tasks.addEgressRule(endpoints, ec2.Port.tcp(443));
  tasks.addEgressRule(ec2.Peer.prefixList('pl-7ba54012'), ec2.Port.tcp(443));
  return { alb, testClient, tasks, database, bootstrap, endpoints };
}

describe('TAP-NET-4 ingress allow-list', () => {
  test('passes for the contract: clients, test listener, tasks, database, endpoints', () => {
    const { app, stack } = ruleTestStack();
    platform(stack);
    expect(ids(findingsOf(app, new IngressAllowListRule(contract)))).toEqual([]);
  });

  test('fails with TAP-NET-4 for 9090 from 10.0.0.0/8, the database from a corporate range and a token CIDR', () => {
    const { app, stack } = ruleTestStack();
    const { alb, database } = platform(stack);
    alb.addIngressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(9090));
    database.addIngressRule(ec2.Peer.ipv4('172.16.0.0/12'), ec2.Port.tcp(5432));
    new ec2.CfnSecurityGroupIngress(stack, 'TokenCidr', {
      groupId: alb.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: 80,
      toPort: 80,
      cidrIp: (stack.node.findChild('Vpc') as ec2.Vpc).vpcCidrBlock,
    });
    const findings = findingsOf(app, new IngressAllowListRule(contract));
    expect(ids(findings)).toEqual([
      'TAP-NET-4 @ Alb/Resource',
      'TAP-NET-4 @ Database/Resource',
      'TAP-NET-4 @ TokenCidr',
    ]);
    const text = findings.map((f) => f.message.split('; allowed')[0].split(': a CIDR')[0]).sort();
    expect(text).toEqual([
      'TAP-NET-4: ingress rule on Alb CidrIp is a token ({"Fn::GetAtt":["Vpc8378EB38","CidrBlock"]})',
      'TAP-NET-4: the alb group (Alb) admits tcp/9090 from 10.0.0.0/8',
      'TAP-NET-4: the database group (Database) admits tcp/5432 from 172.16.0.0/12',
    ]);
  });

  test('fails with TAP-NET-4 for ingress on a group that has no role', () => {
    const { app, stack } = ruleTestStack();
    const { tasks } = platform(stack);
    const vpc = stack.node.findChild('Vpc') as ec2.Vpc;
    const stray = new ec2.SecurityGroup(stack, 'Stray', { vpc, allowAllOutbound: false });
    stray.connections.allowFrom(tasks, ec2.Port.tcp(22));
    const findings = findingsOf(app, new IngressAllowListRule(contract));
    expect(
      findings.map((f) => `${f.ruleId} @ ${f.path}: ${f.message.split('. Why')[0].split(': ')[1]}`),
    ).toEqual([
      'TAP-NET-4 @ Stray/from TestTasks4E3E2E29:22: group Stray has no role in the network contract and admits tcp/22 from the tasks group',
    ]);
  });
});

describe('TAP-NET-5 egress allow-list', () => {
  test('passes for the contract: ALB to tasks, tasks to database, endpoints and S3, nothing from the database', () => {
    const { app, stack } = ruleTestStack();
    platform(stack);
    expect(ids(findingsOf(app, new EgressAllowListRule(contract)))).toEqual([]);
  });

  test('fails with TAP-NET-5 for all egress on the ALB and a default allow-all tasks group', () => {
    const { app, stack } = ruleTestStack();
    const { alb } = platform(stack);
    alb.addEgressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.allTcp());
    const vpc = stack.node.findChild('Vpc') as ec2.Vpc;
    new ec2.CfnSecurityGroup(stack, 'Bootstrap2', { groupDescription: 'no egress rule', vpcId: vpc.vpcId });
    const findings = findingsOf(
      app,
      new EgressAllowListRule(
        networkContract(resolveConfig({}), {
          alb: ['Alb'],
          testClient: ['TestClient'],
          tasks: ['Tasks'],
          database: ['Database'],
          databaseBootstrap: ['Bootstrap', 'Bootstrap2'],
          endpoints: ['Endpoints'],
        }),
      ),
    );
    expect(ids(findings)).toEqual(['TAP-NET-5 @ Alb/Resource', 'TAP-NET-5 @ Bootstrap2']);
    expect(findings.map((f) => f.message.split('; allowed')[0].split(': create')[0]).sort()).toEqual([
      "TAP-NET-5: group Bootstrap2 has no egress rule at all, so EC2's default allow-all egress stays",
      'TAP-NET-5: the alb group (Alb) sends tcp/0-65535 to 10.0.0.0/8',
    ]);
  });
});

describe('TAP-NET-3 no public task IPs', () => {
  const service = (stack: Stack, assignPublicIp?: string) =>
    new ecs.CfnService(stack, 'Service', {
      networkConfiguration: { awsvpcConfiguration: { subnets: ['s'], assignPublicIp } },
    });

  test('passes for DISABLED and for the default', () => {
    const { app, stack } = ruleTestStack();
    service(stack, 'DISABLED');
    new ecs.CfnService(stack, 'Implicit', {
      networkConfiguration: { awsvpcConfiguration: { subnets: ['s'] } },
    });
    expect(ids(findingsOf(app, new NoPublicTaskIpRule()))).toEqual([]);
  });

  test('fails with TAP-NET-3 for AssignPublicIp ENABLED', () => {
    const { app, stack } = ruleTestStack();
    service(stack, 'ENABLED');
    const findings = findingsOf(app, new NoPublicTaskIpRule());
    expect(ids(findings)).toEqual(['TAP-NET-3 @ Service']);
    expect(findings[0].message).toContain('assigns public IPs to its tasks (AssignPublicIp "ENABLED")');
  });
});
