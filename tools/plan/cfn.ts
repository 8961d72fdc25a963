/**
 * Minimal, read-only access to a synthesized CloudFormation template: resources by type, and the references
 * (`Ref`, `Fn::GetAtt`) that connect them. The plan finds every resource through these relationships, never
 * through a logical ID string, so a refactor that renames constructs does not break it. The template's shape is
 * lib/cfn-template.ts's, the one template reader.
 */
import type { CfnTemplate, TemplateResource } from '../../lib/cfn-template';

export type { CfnTemplate };

/** A resource together with its logical ID. */
export interface FoundResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  /** The construct path (`aws:cdk:path` metadata), when the template carries it. */
  readonly path?: string;
}

/** Raised when the template lacks something the plan needs; says what was looked for and where. */
export class PlanInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanInputError';
  }
}

function toFound(logicalId: string, resource: TemplateResource): FoundResource {
  const path = resource.Metadata?.['aws:cdk:path'];
  return {
    logicalId,
    type: resource.Type,
    properties: resource.Properties ?? {},
    path: typeof path === 'string' ? path : undefined,
  };
}

/** Every resource of `type`, in logical-ID order (stable output). */
export function resourcesOfType(template: CfnTemplate, type: string): FoundResource[] {
  return Object.entries(template.Resources ?? {})
    .filter(([, r]) => r.Type === type)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, r]) => toFound(id, r));
}

/** The resource with this logical ID, or undefined. */
export function resourceById(template: CfnTemplate, logicalId: string): FoundResource | undefined {
  const r = template.Resources?.[logicalId];
  return r ? toFound(logicalId, r) : undefined;
}

/**
 * The logical ID a value points at when it is exactly `{ Ref: X }` or `{ "Fn::GetAtt": [X, attr] }`
 * (pseudo parameters such as `AWS::AccountId` excluded).
 */
export function referencedLogicalId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length !== 1) return undefined;
  if (keys[0] === 'Ref' && typeof obj.Ref === 'string' && !obj.Ref.startsWith('AWS::')) return obj.Ref;
  const getAtt = obj['Fn::GetAtt'];
  if (keys[0] === 'Fn::GetAtt' && Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

/** True when `value` contains a `Ref`/`Fn::GetAtt` to `logicalId` anywhere inside it (e.g. in an `Fn::Join`). */
export function mentions(value: unknown, logicalId: string): boolean {
  if (referencedLogicalId(value) === logicalId) return true;
  if (Array.isArray(value)) return value.some((v) => mentions(v, logicalId));
  if (typeof value === 'object' && value !== null) {
    return Object.values(value as Record<string, unknown>).some((v) => mentions(v, logicalId));
  }
  return false;
}

/** Resolves a reference to the resource it points at, checking its type. */
export function dereference(
  template: CfnTemplate,
  value: unknown,
  expectedType: string,
  what: string,
): FoundResource {
  const id = referencedLogicalId(value);
  const found = id === undefined ? undefined : resourceById(template, id);
  if (!found || found.type !== expectedType) {
    throw new PlanInputError(
      `${what}: expected a Ref/Fn::GetAtt to an ${expectedType}, found ${JSON.stringify(value)}`,
    );
  }
  return found;
}

/** A numeric property (CloudFormation accepts numbers as strings too); throws naming the resource and key. */
export function numberProp(resource: FoundResource, key: string, fallback?: number): number {
  const raw = resource.properties[key];
  if (raw === undefined && fallback !== undefined) return fallback;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n)) {
    throw new PlanInputError(
      `${resource.type} ${resource.logicalId}: ${key} = ${JSON.stringify(raw ?? null)}; expected a number` +
        ' (the plan cannot evaluate unresolved tokens)',
    );
  }
  return n;
}

/** A nested property by path (`['A', 'B']`), or undefined. */
export function getPath(value: unknown, path: readonly (string | number)[]): unknown {
  let cur: unknown = value;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}
