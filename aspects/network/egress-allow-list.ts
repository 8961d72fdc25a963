import type { IConstruct } from 'constructs';
import type { NetworkContract } from '../../lib/compliance/network-contract';
import { type RuleInfo, TapRule } from '../rule';
import { flowFindings } from './security-group-rules';

/**
 * TAP-NET-5: every egress rule matches the network contract: the ALB only to the tasks, the tasks only to the
 * database, the interface endpoints and S3, the database nowhere. Interface-endpoint groups are not checked
 * (they never open a connection).
 */
export class EgressAllowListRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-NET-5',
    area: 'NET',
    title: 'Every egress rule is on the network allow-list (no allow-all egress)',
    rationale:
      'A compromised task or load balancer must not reach anything the order path does not need (PCI DSS 1.3.4: restrict outbound traffic).',
    fix: 'Create the group with allowAllOutbound: false and add exact egress rules; a new path goes into lib/compliance/network-contract.ts and policies/tap_network_egress_allow_list.guard.',
    level: 'error',
  };

  /** @param contract the allow-list of this deployment (networkContract(config)). */
  constructor(private readonly contract: NetworkContract) {
    super();
  }

  public visit(node: IConstruct): void {
    for (const finding of flowFindings(node, this.contract, 'egress')) this.report(node, finding);
  }
}
