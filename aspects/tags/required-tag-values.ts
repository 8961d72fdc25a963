import type { IConstruct } from 'constructs';
import { COST_CENTER_PATTERN } from '../../lib/config/constants';
import type { RequiredTags } from '../../lib/config/types';
import { type RuleInfo, TapRule } from '../rule';
import { resourceTags } from './resource-tags';

/** TAP-TAG-2: the required tags carry the policy values. */
export class RequiredTagValuesRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-TAG-2',
    area: 'TAG',
    title:
      'Required tags carry valid values: CostCenter CC-nnnn(nn) of this deployment, Project TradingPlatform, Service OrderBroker',
    rationale:
      'A wrong value books the cost to another team or hides the resource from the OrderBroker dashboards.',
    fix: 'Do not override the policy tags with Tags.of(); change the cost center with -c costCenter=CC-nnnn.',
    level: 'error',
  };

  /** @param expected the policy tags of this deployment (from the validated configuration). */
  constructor(private readonly expected: RequiredTags) {
    super();
  }

  public visit(node: IConstruct): void {
    const tags = resourceTags(node);
    if (!tags) return;
    const wrong: string[] = [];
    const costCenter = tags.CostCenter;
    if (
      costCenter !== undefined &&
      (!COST_CENTER_PATTERN.test(costCenter) || costCenter !== this.expected.costCenter)
    ) {
      wrong.push(`CostCenter=${costCenter} (expected ${this.expected.costCenter})`);
    }
    if (tags.Project !== undefined && tags.Project !== this.expected.project) {
      wrong.push(`Project=${tags.Project} (expected ${this.expected.project})`);
    }
    if (tags.Service !== undefined && tags.Service !== this.expected.service) {
      wrong.push(`Service=${tags.Service} (expected ${this.expected.service})`);
    }
    if (wrong.length > 0) this.report(node, `has invalid tag value(s) ${wrong.join(', ')}`);
  }
}
