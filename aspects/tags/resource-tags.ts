import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { isRawCfnResource, tagManagerOf } from '../required-tags';
import { asList, render } from '../template';
import { TAGGABLE_RESOURCE_TYPES } from './taggable-types';

/**
 * The tags of a taggable resource, or undefined when the resource cannot carry tags. L1s report through their
 * tag manager (either tag interface); raw `CfnResource`s of a taggable type through their rendered `Tags`.
 */
export function resourceTags(node: IConstruct): Record<string, string> | undefined {
  if (!CfnResource.isCfnResource(node)) return undefined;
  const manager = tagManagerOf(node);
  if (manager) return manager.tagValues();
  if (isRawCfnResource(node) && TAGGABLE_RESOURCE_TYPES.has(node.cfnResourceType)) {
    const tags = asList(render(node).properties.Tags as Array<{ Key: string; Value: unknown }>);
    return Object.fromEntries(
      tags.map((t) => [t.Key, typeof t.Value === 'string' ? t.Value : JSON.stringify(t.Value)]),
    );
  }
  return undefined;
}
