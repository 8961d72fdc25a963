import { CfnResource, type IAspect, TagManager } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { RequiredTags } from '../lib/config/types';

/** Tag keys the tag policy requires on every taggable resource. */
export const REQUIRED_TAG_KEYS = ['CostCenter', 'Project', 'Service'] as const;

/**
 * Priority of the tags this Aspect sets. Above `Tags.of()`'s default (100), so a stray `Tags.of(x).add('Project', ...)`
 * cannot override the policy values.
 */
const TAG_PRIORITY = 200;

/** The tags the policy puts on every resource, from the validated configuration. */
export function policyTags(tags: RequiredTags): Record<string, string> {
  return {
    CostCenter: tags.costCenter,
    Project: tags.project,
    Service: tags.service,
    Environment: tags.environment,
  };
}

/**
 * MUTATING Aspect: puts `CostCenter`, `Project: TradingPlatform`, `Service: OrderBroker` (and `Environment`)
 * on every taggable CloudFormation resource of the scope it is applied to.
 *
 * It sets tags on each L1's tag manager directly instead of calling `Tags.of()` from inside an Aspect
 * (which adds Aspects while Aspects run), and it handles both tag interfaces: `ITaggable` (`.tags`) and
 * `ITaggableV2` (`.cdkTagManager`, used by newer L1s such as alarms, listeners and scalable targets).
 * Register it with `AspectPriority.MUTATING` so every READONLY check sees the tags.
 */
export class RequiredTagsAspect implements IAspect {
  private readonly tags: Record<string, string>;

  constructor(tags: RequiredTags) {
    this.tags = policyTags(tags);
  }

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const manager = tagManagerOf(node);
    if (!manager) return;
    for (const [key, value] of Object.entries(this.tags)) manager.setTag(key, value, TAG_PRIORITY);
  }
}

/** The tag manager of a construct through either tag interface, or undefined when it is not taggable. */
export function tagManagerOf(node: IConstruct): TagManager | undefined {
  if (TagManager.isTaggableV2(node)) return node.cdkTagManager;
  if (TagManager.isTaggable(node)) return node.tags;
  return undefined;
}
