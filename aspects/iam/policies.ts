import type { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { asList, flatten, render, resourceOfType } from '../template';

/** An IAM policy statement as rendered in the template. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: unknown;
}

/** The identity-based permissions one IAM resource carries. */
export interface IdentityPermissions {
  readonly node: CfnResource;
  readonly logicalId: string;
  /** Statements of the policy document(s) the resource holds. */
  readonly statements: Statement[];
  /**
   * For policies: the principals they attach to, as rendered (`{ Ref: <logicalId> }`, a literal name, or a name
   * derived from an ARN); `RoleName` of an `AWS::IAM::RolePolicy` included.
   */
  readonly attachedTo: unknown[];
  /** For roles, users, groups: their managed policy ARNs, flattened to text. */
  readonly managedPolicyArns: string[];
}

const POLICY_TYPES = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy'];
const PRINCIPAL_TYPES = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'];

/**
 * The identity-based permissions of `node` when it is an IAM policy, managed policy, role, user or group;
 * undefined otherwise. Resource policies (key, bucket, topic policies) are not identity-based and not covered.
 */
export function identityPermissions(node: IConstruct): IdentityPermissions | undefined {
  const resource = resourceOfType(node, ...POLICY_TYPES, ...PRINCIPAL_TYPES);
  if (!resource) return undefined;
  const r = render(resource);
  const p = r.properties;
  if (POLICY_TYPES.includes(r.type)) {
    return {
      node: resource,
      logicalId: r.logicalId,
      statements: statementsOf(p.PolicyDocument),
      attachedTo: [
        ...asList<unknown>(p.Roles),
        ...asList<unknown>(p.RoleName),
        ...asList<unknown>(p.Users),
        ...asList<unknown>(p.Groups),
      ],
      managedPolicyArns: [],
    };
  }
  return {
    node: resource,
    logicalId: r.logicalId,
    statements: asList(p.Policies as Array<{ PolicyDocument: unknown }>).flatMap((x) =>
      statementsOf(x.PolicyDocument),
    ),
    attachedTo: [],
    managedPolicyArns: asList(p.ManagedPolicyArns).map(flatten),
  };
}

function statementsOf(document: unknown): Statement[] {
  return asList((document as { Statement?: Statement | Statement[] } | undefined)?.Statement);
}

/** The actions of a statement, as a list. */
export function actionsOf(statement: Statement): string[] {
  return asList(statement.Action);
}

/** The resources of a statement, as a list. */
export function resourcesOf(statement: Statement): unknown[] {
  return asList(statement.Resource);
}

/** True for an AWS managed policy ARN (`arn:<partition>:iam::aws:policy/...`). */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return /:iam::aws:policy\//.test(arn);
}

/** The name of an AWS managed policy (`service-role/AmazonRDSEnhancedMonitoringRole`) from its ARN. */
export function awsManagedPolicyName(arn: string): string {
  return arn.replace(/^.*:iam::aws:policy\//, '');
}
