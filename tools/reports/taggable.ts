import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

/** How the reports decide that a resource type can carry tags. */
export const TAGGABLE_SOURCE =
  'aws-cdk-lib jsii assembly: the type\'s generated L1 class (@cloudformationResource) implements ITaggable or ITaggableV2';

interface JsiiType {
  readonly kind?: string;
  readonly interfaces?: readonly string[];
  readonly docs?: { readonly custom?: Readonly<Record<string, string>> };
}

/**
 * CloudFormation resource types that accept tags, according to aws-cdk-lib itself.
 *
 * aws-cdk-lib generates one L1 class per CloudFormation resource type from the CloudFormation registry schemas,
 * and gives it a tag manager (`ITaggable` or `ITaggableV2`) exactly when the type's schema has tags. The library
 * ships its type information as a jsii assembly (`node_modules/aws-cdk-lib/.jsii`, gzipped), where each L1 class
 * carries `@cloudformationResource AWS::Service::Type` and its interfaces: reading it answers "can this type be
 * tagged" for every type in a template, including resources created as raw `CfnResource`s (which have no tag
 * manager of their own), without instantiating anything. Types absent from it (custom resources `Custom::*`,
 * `AWS::CDK::Metadata`) cannot carry tags.
 *
 * Returns a map type -> taggable for every type the library knows.
 */
export function loadTaggableTypes(
  cdkLibDir: string = path.dirname(require.resolve('aws-cdk-lib/package.json')),
): Map<string, boolean> {
  const redirect = JSON.parse(fs.readFileSync(path.join(cdkLibDir, '.jsii'), 'utf8')) as {
    schema?: string;
    filename?: string;
    compression?: string;
    types?: Record<string, JsiiType>;
  };
  let assembly = redirect;
  if (redirect.schema === 'jsii/file-redirect' && redirect.filename) {
    const raw = fs.readFileSync(path.join(cdkLibDir, redirect.filename));
    assembly = JSON.parse(
      (redirect.compression === 'gzip' ? zlib.gunzipSync(raw) : raw).toString('utf8'),
    ) as typeof redirect;
  }
  return taggableTypesOf(assembly.types ?? {});
}

/** Type -> taggable from the `types` of a jsii assembly (see {@link loadTaggableTypes}). */
export function taggableTypesOf(types: Readonly<Record<string, JsiiType>>): Map<string, boolean> {
  const result = new Map<string, boolean>();
  for (const type of Object.values(types)) {
    const cfnType = type.kind === 'class' ? type.docs?.custom?.cloudformationResource : undefined;
    if (!cfnType) continue;
    const taggable = (type.interfaces ?? []).some(
      (i) => i === 'aws-cdk-lib.ITaggable' || i === 'aws-cdk-lib.ITaggableV2',
    );
    result.set(cfnType, (result.get(cfnType) ?? false) || taggable);
  }
  return result;
}
