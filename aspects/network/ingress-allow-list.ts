import type { IConstruct } from 'constructs';
import type { NetworkContract } from '../../lib/compliance/network-contract';
import { type RuleInfo, TapRule } from '../rule';
import { flowFindings } from './security-group-rules';

/**
 * TAP-NET-4: every ingress rule matches the network contract (lib/compliance/network-contract.ts): the production
 * ports from clientCidr, 9090 from the validation hook's group, the container port from the ALB, 5432 from the
 * tasks and the database bootstrap, 443 to the endpoints from the VPC. Nothing else, and no token CIDR.
 */
export class IngressAllowListRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-NET-4',
    area: 'NET',
    title: 'Every ingress rule is on the network allow-list (port, group role and source)',
    rationale:
      'The test listener, the database and the tasks are reachable only by the groups that need them: a private CIDR is not a boundary.',
    fix: 'Remove the rule; a new path goes into lib/compliance/network-contract.ts (a role path or a flow) and policies/tap_network_ingress_allow_list.guard, reviewed.',
    level: 'error',
  };

  /** @param contract the allow-list of this deployment (networkContract(config)). */
  constructor(private readonly contract: NetworkContract) {
    super();
  }

  public visit(node: IConstruct): void {
    for (const finding of flowFindings(node, this.contract, 'ingress')) this.report(node, finding);
  }
}
