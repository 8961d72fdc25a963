import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { asList, render, resourceOfType } from '../template';

const ANYWHERE = ['0.0.0.0/0', '::/0'];

/** TAP-NET-1: no security group admits traffic from the internet. */
export class NoInternetIngressRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-NET-1',
    area: 'NET',
    title: 'No security group admits traffic from 0.0.0.0/0 or ::/0',
    rationale:
      'The order path is internal: clients reach it from the VPC or peered networks only (PCI DSS 1.3).',
    fix: 'Allow the client CIDR (clientCidr) or a security group instead of anywhere; never call allowDefaultPortFromAnyIpv4/connections.allowFromAnyIpv4.',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const resource = resourceOfType(node, 'AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress');
    if (!resource) return;
    const { type, properties: p } = render(resource);
    const rules =
      type === 'AWS::EC2::SecurityGroup'
        ? asList(p.SecurityGroupIngress as Array<Record<string, unknown>>)
        : [p];
    for (const rule of rules) {
      const source = [rule.CidrIp, rule.CidrIpv6].find(
        (c): c is string => typeof c === 'string' && ANYWHERE.includes(c),
      );
      if (source) {
        this.report(node, `admits ${source} on ${portRange(rule)}`);
      }
    }
  }
}

function portRange(rule: Record<string, unknown>): string {
  const protocol = typeof rule.IpProtocol === 'string' ? rule.IpProtocol : 'tcp';
  if (protocol === '-1') return 'all ports';
  return rule.FromPort === rule.ToPort
    ? `${protocol}/${String(rule.FromPort)}`
    : `${protocol}/${String(rule.FromPort)}-${String(rule.ToPort)}`;
}
