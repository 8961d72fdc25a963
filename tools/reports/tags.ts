import { stringify } from 'csv-stringify/sync';
import { REQUIRED_TAG_KEYS } from '../../aspects/required-tags';
import type { ProfileAssembly } from './assembly';
import { cmp } from './findings';
import { tagsOf } from '../../aspects/tags/resource-tags';
import { TAGGABLE_SOURCE } from '../../aspects/tags/taggable-types';

/** Tags the inventory shows: the three the tag policy requires, then `Environment` (set by the same Aspect). */
export const INVENTORY_TAG_KEYS: readonly string[] = [...REQUIRED_TAG_KEYS, 'Environment'];

/** One resource of one stack in the tag inventory. */
export interface TagRow {
  readonly stack: string;
  readonly profile: string;
  readonly logicalId: string;
  readonly type: string;
  readonly constructPath: string;
  /** The resource type accepts tags (see TAGGABLE_SOURCE). */
  readonly taggable: boolean;
  /** Value of each of INVENTORY_TAG_KEYS, null when absent. */
  readonly tags: Readonly<Record<string, string | null>>;
  /** Required tags the resource lacks (empty for a resource that cannot be tagged). */
  readonly missing: readonly string[];
  /** Every required tag present with a value; null when the type cannot carry tags. */
  readonly fullyTagged: boolean | null;
}

/** Coverage of one stack (or of all, `stack` = `*`). */
export interface TagCoverage {
  readonly stack: string;
  readonly profile: string;
  readonly resources: number;
  readonly taggable: number;
  readonly fullyTagged: number;
  /** fullyTagged / taggable in percent, one decimal; null when nothing is taggable. */
  readonly percent: number | null;
}

/** The tag inventory of every profile. */
export interface TagInventory {
  readonly requiredTags: readonly string[];
  readonly reportedTags: readonly string[];
  readonly taggableSource: string;
  readonly coverage: readonly TagCoverage[];
  readonly total: TagCoverage;
  readonly resources: readonly TagRow[];
}

/** The tags of a template resource (`Tags` as a `{ Key, Value }` list or as a map); non-string values as JSON. */
export function resourceTags(properties: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  return tagsOf(properties?.Tags);
}

function coverageOf(stack: string, profile: string, rows: readonly TagRow[]): TagCoverage {
  const taggable = rows.filter((r) => r.taggable).length;
  const fullyTagged = rows.filter((r) => r.fullyTagged === true).length;
  return {
    stack,
    profile,
    resources: rows.length,
    taggable,
    fullyTagged,
    percent: taggable === 0 ? null : Math.round((fullyTagged / taggable) * 1000) / 10,
  };
}

/**
 * One row per resource of every profile's template, with each required tag's value, and the coverage: taggable
 * resources (the type accepts tags according to `taggableTypes`), fully tagged ones, percentage.
 */
export function tagInventory(
  assemblies: readonly ProfileAssembly[],
  taggableTypes: ReadonlyMap<string, boolean>,
): TagInventory {
  const resources: TagRow[] = [];
  const coverage: TagCoverage[] = [];
  for (const assembly of assemblies) {
    const rows = Object.entries(assembly.resources).map(([logicalId, resource]): TagRow => {
      const taggable = taggableTypes.get(resource.Type) ?? false;
      const tags = resourceTags(resource.Properties);
      const missing = taggable ? REQUIRED_TAG_KEYS.filter((k) => !tags[k]) : [];
      return {
        stack: assembly.stackName,
        profile: assembly.profile,
        logicalId,
        type: resource.Type,
        constructPath: assembly.pathByLogicalId.get(logicalId) ?? '',
        taggable,
        tags: Object.fromEntries(INVENTORY_TAG_KEYS.map((k) => [k, tags[k] ?? null])),
        missing,
        fullyTagged: taggable ? missing.length === 0 : null,
      };
    });
    rows.sort((a, b) => cmp(a.constructPath, b.constructPath) || cmp(a.logicalId, b.logicalId));
    resources.push(...rows);
    coverage.push(coverageOf(assembly.stackName, assembly.profile, rows));
  }
  return {
    requiredTags: [...REQUIRED_TAG_KEYS],
    reportedTags: INVENTORY_TAG_KEYS,
    taggableSource: TAGGABLE_SOURCE,
    coverage,
    total: coverageOf('*', '*', resources),
    resources,
  };
}

/** `reports/tags.csv`: a header and one row per resource, nothing else (dashboards load it as a table). */
export function tagsCsv(inventory: TagInventory): string {
  const header = [
    'stack',
    'profile',
    'logicalId',
    'type',
    'constructPath',
    'taggable',
    ...INVENTORY_TAG_KEYS,
    'fullyTagged',
    'missingTags',
  ];
  const rows = inventory.resources.map((r) => [
    r.stack,
    r.profile,
    r.logicalId,
    r.type,
    r.constructPath,
    String(r.taggable),
    ...INVENTORY_TAG_KEYS.map((k) => r.tags[k] ?? ''),
    r.fullyTagged === null ? '' : String(r.fullyTagged),
    r.missing.join(';'),
  ]);
  return stringify([header, ...rows], { record_delimiter: '\n' });
}

/** `reports/tags.json`: coverage first, then every resource. */
export function tagsJson(inventory: TagInventory): string {
  return JSON.stringify(inventory, undefined, 2) + '\n';
}
