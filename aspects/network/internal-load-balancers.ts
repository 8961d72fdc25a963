import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { render, resourceOfType } from '../template';

/** TAP-NET-2: load balancers are internal. */
export class InternalLoadBalancersRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-NET-2',
    area: 'NET',
    title: 'Load balancers are internal',
    rationale:
      'Order gateways reach the OrderBroker over private networks; nothing on the order path faces the internet.',
    fix: 'Create the load balancer with internetFacing: false in the app subnets.',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const lb = resourceOfType(node, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    if (!lb) return;
    const scheme = render(lb).properties.Scheme as string | undefined;
    if (scheme !== 'internal') this.report(node, `has scheme ${scheme ?? 'internet-facing'}`);
  }
}
