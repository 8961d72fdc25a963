import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { asList, render, resourceOfType } from '../template';

/**
 * TAP-CAP-3: no FARGATE_SPOT on the order path: not in a service's strategy, not among a cluster's capacity
 * providers or default strategy.
 */
export class NoFargateSpotRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-CAP-3',
    area: 'CAP',
    title: 'No FARGATE_SPOT on the order path',
    rationale:
      'Spot tasks are reclaimed with two minutes notice, at the moments capacity is scarcest (market spikes).',
    fix: 'Use FARGATE only, in the service strategy and in the cluster capacity-provider association.',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const resource = resourceOfType(
      node,
      'AWS::ECS::Service',
      'AWS::ECS::Cluster',
      'AWS::ECS::ClusterCapacityProviderAssociations',
    );
    if (!resource) return;
    const p = render(resource).properties;
    const providers = [
      ...asList(p.CapacityProviders as string[]),
      ...[p.CapacityProviderStrategy, p.DefaultCapacityProviderStrategy].flatMap((s) =>
        asList(s as Array<{ CapacityProvider?: string }>).map((x) => x.CapacityProvider),
      ),
    ];
    if (providers.includes('FARGATE_SPOT')) this.report(node, 'uses the FARGATE_SPOT capacity provider');
  }
}
