import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { awsManagedPolicyName, identityPermissions, isAwsManagedPolicyArn } from './policies';

/**
 * AWS managed policies a role may carry: service-role policies that AWS maintains for one service's own use.
 * Anything else is written as a scoped policy.
 */
export const ALLOWED_AWS_MANAGED_POLICIES: Readonly<Record<string, string>> = {
  AWSCodeDeployRoleForECS: 'CodeDeploy blue/green service role (ECS task sets, ALB listeners, alarms).',
  'service-role/AmazonRDSEnhancedMonitoringRole':
    'RDS Enhanced Monitoring: writes OS metrics to RDSOSMetrics.',
  'service-role/AWSLambdaBasicExecutionRole': 'Lambda functions: write their own log streams.',
  'service-role/AWSLambdaVPCAccessExecutionRole': 'Lambda functions in a VPC: manage their ENIs.',
};

/** TAP-IAM-3: AWS managed policies only from the allow-list. */
export class ManagedPolicyAllowListRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-IAM-3',
    area: 'IAM',
    title: 'Roles, users and groups attach AWS managed policies only from the allow-list',
    rationale:
      'AWS managed policies are broad and change without review (least privilege, AwsSolutions-IAM4).',
    fix: 'Replace the managed policy with statements scoped to the resources used; a service-role policy AWS maintains for one service can be added to ALLOWED_AWS_MANAGED_POLICIES in aspects/iam/managed-policy-allow-list.ts with the reason.',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const permissions = identityPermissions(node);
    if (!permissions) return;
    const denied = permissions.managedPolicyArns
      .filter(isAwsManagedPolicyArn)
      .map(awsManagedPolicyName)
      .filter((name) => !(name in ALLOWED_AWS_MANAGED_POLICIES));
    if (denied.length > 0) this.report(node, `attaches AWS managed policy ${denied.join(', ')}`);
  }
}
