import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

/**
 * What "taggable" means, in one place: a CloudFormation resource type is taggable when aws-cdk-lib's generated L1
 * class for it implements `ITaggable` or `ITaggableV2` ({@link TAGGABLE_SOURCE}, read by {@link loadTaggableTypes}).
 * The reports apply that definition to every type of a template.
 *
 * Reading it costs seconds (it parses the library's jsii assembly), too slow for every synthesis, so the rules
 * use {@link TAGGABLE_RESOURCE_TYPES}: the same definition written out for the types of this platform and those
 * likely to join it. Tests keep the two in step (test/aspects/taggable-types.test.ts): every listed type is
 * taggable by the definition, and every type of the synthesized templates is listed exactly when it is taggable.
 */

/** How a resource type is decided to be taggable (the reports print it). */
export const TAGGABLE_SOURCE =
  "aws-cdk-lib jsii assembly: the type's generated L1 class (@cloudformationResource) implements ITaggable or ITaggableV2";

/**
 * CloudFormation types of this platform (and of what is likely to join it: Lambda hooks, queues, tables) that
 * accept `Tags` as a list of `{ Key, Value }`: the definition above, precomputed for synthesis. Every resource of
 * these types must carry the required tags.
 *
 * Most L1 constructs carry their own tag manager, so the tagging Aspect and TAP-TAG-1 need no list for them.
 * The list matters for raw `CfnResource`s of taggable types (CDK's own custom-resource providers create their
 * IAM role and Lambda function that way) and for the Guard rule `tap_required_tags`, which sees only the
 * template. A test keeps this list and the Guard rule's list identical.
 */
export const TAGGABLE_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::CodeDeploy::Application',
  'AWS::CodeDeploy::DeploymentGroup',
  'AWS::DynamoDB::Table',
  'AWS::EC2::EIP',
  'AWS::EC2::FlowLog',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::NatGateway',
  'AWS::EC2::RouteTable',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::Subnet',
  'AWS::EC2::VPC',
  'AWS::EC2::VPCEndpoint',
  'AWS::ECR::Repository',
  'AWS::ECS::Cluster',
  'AWS::ECS::Service',
  'AWS::ECS::TaskDefinition',
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::Events::Rule',
  'AWS::IAM::Role',
  'AWS::KMS::Key',
  'AWS::Kinesis::Stream',
  'AWS::Lambda::Function',
  'AWS::Logs::LogGroup',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBSubnetGroup',
  'AWS::S3::Bucket',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
  'AWS::SecretsManager::Secret',
  'AWS::StepFunctions::StateMachine',
]);

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
