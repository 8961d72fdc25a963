import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { tagManagerOf } from '../required-tags';
import { render } from '../template';
import { TAGGABLE_RESOURCE_TYPES } from './taggable-types';

/**
 * The tags of a taggable resource AS RENDERED in the template, or undefined when the resource cannot carry tags.
 *
 * A resource is taggable when it has a tag manager (either tag interface) or is of a type in
 * TAGGABLE_RESOURCE_TYPES. The tags are read from the rendered property (the tag manager's `tagPropertyName` in
 * PascalCase, else `Tags`), never from the tag manager: an `addPropertyOverride('Tags', ...)` escape hatch replaces what the
 * manager holds, and CloudFormation receives the override. Lists of `{ Key, Value }` and maps are read; a value
 * that is not a string (a token) is kept as its JSON.
 */
export function resourceTags(node: IConstruct): Record<string, string> | undefined {
  if (!CfnResource.isCfnResource(node)) return undefined;
  const manager = tagManagerOf(node);
  if (!manager && !TAGGABLE_RESOURCE_TYPES.has(node.cfnResourceType)) return undefined;
  // tagPropertyName is the L1 prop name (`tags`); the template property is its PascalCase form (`Tags`).
  const property = (manager?.tagPropertyName ?? 'Tags').replace(/^./, (c) => c.toUpperCase());
  return tagsOf(render(node).properties[property]);
}

/**
 * A rendered tag property as a map: a list of `{ Key, Value }` (entries without a string Key are skipped) or a map;
 * a value that is not a string (a token) is kept as its JSON. Also what the reports read from a template.
 */
export function tagsOf(rendered: unknown): Record<string, string> {
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  if (Array.isArray(rendered)) {
    return Object.fromEntries(
      (rendered as Array<{ Key?: unknown; Value?: unknown } | null>)
        .filter((t) => typeof t?.Key === 'string')
        .map((t) => [t!.Key as string, text(t!.Value)]),
    );
  }
  if (rendered && typeof rendered === 'object') {
    return Object.fromEntries(
      Object.entries(rendered as Record<string, unknown>).map(([k, v]) => [k, text(v)]),
    );
  }
  return {};
}
