import type { RenderedResource } from '../template';

/** Resource types that hold data the platform cannot recreate: they must be retained and encrypted. */
export const STATEFUL_RESOURCE_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::ECR::Repository',
  'AWS::EFS::FileSystem',
  'AWS::KMS::Key',
  'AWS::Kinesis::Stream',
  'AWS::Logs::LogGroup',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBInstance',
  'AWS::S3::Bucket',
] as const;

/**
 * True for a stateful resource. An instance of an Aurora cluster holds no data of its own (the cluster
 * volume does), so it is not one.
 */
export function isStateful(resource: RenderedResource): boolean {
  if (!(STATEFUL_RESOURCE_TYPES as readonly string[]).includes(resource.type)) return false;
  return !(resource.type === 'AWS::RDS::DBInstance' && resource.properties.DBClusterIdentifier !== undefined);
}
