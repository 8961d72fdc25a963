import { CfnResource, type IAspect, TagManager } from 'aws-cdk-lib';
import { compareCodeUnits } from '../lib/order';
import type { IConstruct } from 'constructs';
import type { RequiredTags } from '../lib/config/types';
import { TAGGABLE_RESOURCE_TYPES } from './tags/taggable-types';

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
 * Raw `CfnResource`s of a taggable type (CDK's own custom-resource providers create their role and function
 * that way) have no tag manager: their `Tags` property is written directly.
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
    if (manager) {
      for (const [key, value] of Object.entries(this.tags)) manager.setTag(key, value, TAG_PRIORITY);
      return;
    }
    if (isRawCfnResource(node) && TAGGABLE_RESOURCE_TYPES.has(node.cfnResourceType)) {
      const own = rawTags(node).filter((t) => !(t.Key in this.tags));
      const tags = [...own, ...Object.entries(this.tags).map(([Key, Value]) => ({ Key, Value }))];
      tags.sort((a, b) => compareCodeUnits(a.Key, b.Key));
      node.addPropertyOverride('Tags', tags);
    }
  }
}

/** The tag manager of a construct through either tag interface, or undefined when it is not taggable. */
export function tagManagerOf(node: IConstruct): TagManager | undefined {
  if (TagManager.isTaggableV2(node)) return node.cdkTagManager;
  if (TagManager.isTaggable(node)) return node.tags;
  return undefined;
}

/** True for a `CfnResource` created directly (`new CfnResource(...)`), not through a generated L1 class. */
export function isRawCfnResource(node: IConstruct): node is CfnResource {
  return CfnResource.isCfnResource(node) && Object.getPrototypeOf(node) === CfnResource.prototype;
}

/** The `Tags` a raw `CfnResource` was created with. */
function rawTags(node: CfnResource): Array<{ Key: string; Value: string }> {
  const props = (node as unknown as { _cfnProperties?: { Tags?: unknown } })._cfnProperties;
  return Array.isArray(props?.Tags) ? (props.Tags as Array<{ Key: string; Value: string }>) : [];
}
