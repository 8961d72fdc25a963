import { CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Properties of a rendered resource: untyped CloudFormation JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rendered CloudFormation is untyped JSON
export type CfnProperties = Record<string, any>;

/** A resource as CloudFormation will receive it (overrides and escape hatches included), tokens resolved. */
export interface RenderedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: CfnProperties;
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
}

/**
 * Renders a resource the way it lands in the template, so rules also see `addPropertyOverride` escape
 * hatches (which L1 props do not show).
 */
export function render(node: CfnResource): RenderedResource {
  const stack = Stack.of(node);
  const rendered = stack.resolve(
    (node as unknown as { _toCloudFormation(): object })._toCloudFormation(),
  ) as {
    Resources: Record<string, CfnProperties>;
  };
  const [logicalId, resource] = Object.entries(rendered.Resources)[0];
  return {
    logicalId,
    type: resource.Type as string,
    properties: (resource.Properties ?? {}) as CfnProperties,
    deletionPolicy: resource.DeletionPolicy as string | undefined,
    updateReplacePolicy: resource.UpdateReplacePolicy as string | undefined,
  };
}

/** The resource when `node` is a CfnResource of one of `types`. */
export function resourceOfType(node: IConstruct, ...types: string[]): CfnResource | undefined {
  return CfnResource.isCfnResource(node) && types.includes(node.cfnResourceType) ? node : undefined;
}

/** All CfnResources of `types` in the stack of `node`, rendered. */
export function stackResources(
  node: IConstruct,
  ...types: string[]
): Array<{ node: CfnResource } & RenderedResource> {
  return Stack.of(node)
    .node.findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && types.includes(c.cfnResourceType))
    .map((c) => ({ node: c, ...render(c) }));
}

/** A value as a list (CloudFormation accepts a scalar where it means a list of one). */
export function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * A resolved value as readable text: literals as they are, `Fn::Join` concatenated, `Fn::Sub` as written,
 * other intrinsics as `${...}`. Used to match ARNs such as `arn:${AWS::Partition}:iam::aws:policy/...`.
 */
export function flatten(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    if (Array.isArray(obj['Fn::Join'])) {
      const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
      return asList(parts).map(flatten).join(sep);
    }
    if (obj['Fn::Sub'] !== undefined) return flatten(asList(obj['Fn::Sub'])[0]);
    if (typeof obj.Ref === 'string') return '${' + obj.Ref + '}';
    if (obj['Fn::GetAtt'] !== undefined) return `\${${asList(obj['Fn::GetAtt'] as string[]).join('.')}}`;
  }
  return '${?}';
}

/** Logical IDs a resolved value refers to (`Ref` and `Fn::GetAtt`), anywhere inside it. */
export function referencedLogicalIds(value: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      if (typeof obj.Ref === 'string') found.push(obj.Ref);
      if (Array.isArray(obj['Fn::GetAtt'])) found.push(String(obj['Fn::GetAtt'][0]));
      if (typeof obj['Fn::GetAtt'] === 'string') found.push(obj['Fn::GetAtt'].split('.')[0]);
      Object.values(obj).forEach(walk);
    }
  };
  walk(value);
  return found;
}
