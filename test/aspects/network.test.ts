import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { InternalLoadBalancersRule } from '../../aspects/network/internal-load-balancers';
import { NoInternetIngressRule } from '../../aspects/network/no-internet-ingress';
import { findingsOf, ids, ruleTestStack } from '../helpers/rules';

describe('TAP-NET-1 no ingress from the internet', () => {
  test('passes for ingress from a private CIDR and from a security group', () => {
    const { app, stack } = ruleTestStack();
    new ec2.CfnSecurityGroup(stack, 'Sg', {
      groupDescription: 'x',
      securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIp: '10.40.0.0/16' }],
    });
    new ec2.CfnSecurityGroupIngress(stack, 'FromGroup', {
      ipProtocol: 'tcp',
      fromPort: 9090,
      toPort: 9090,
      sourceSecurityGroupId: 'sg-1',
      groupId: 'sg-2',
    });
    expect(ids(findingsOf(app, new NoInternetIngressRule()))).toEqual([]);
  });

  test('fails with TAP-NET-1 for 0.0.0.0/0 inline and ::/0 in an ingress resource', () => {
    const { app, stack } = ruleTestStack();
    new ec2.CfnSecurityGroup(stack, 'Sg', {
      groupDescription: 'x',
      securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIp: '0.0.0.0/0' }],
    });
    new ec2.CfnSecurityGroupIngress(stack, 'V6', { ipProtocol: '-1', cidrIpv6: '::/0', groupId: 'sg-2' });
    const findings = findingsOf(app, new NoInternetIngressRule());
    expect(ids(findings)).toEqual(['TAP-NET-1 @ Sg', 'TAP-NET-1 @ V6']);
    expect(findings.map((f) => f.message.split('.')[0]).sort()).toEqual([
      'TAP-NET-1: admits 0',
      'TAP-NET-1: admits ::/0 on all ports',
    ]);
  });
});

describe('TAP-NET-2 internal load balancers', () => {
  test('passes for an internal load balancer', () => {
    const { app, stack } = ruleTestStack();
    new elbv2.CfnLoadBalancer(stack, 'Lb', { scheme: 'internal' });
    expect(ids(findingsOf(app, new InternalLoadBalancersRule()))).toEqual([]);
  });

  test('fails with TAP-NET-2 for an internet-facing load balancer', () => {
    const { app, stack } = ruleTestStack();
    new elbv2.CfnLoadBalancer(stack, 'Lb', { scheme: 'internet-facing' });
    expect(ids(findingsOf(app, new InternalLoadBalancersRule()))).toEqual(['TAP-NET-2 @ Lb']);
  });
});
