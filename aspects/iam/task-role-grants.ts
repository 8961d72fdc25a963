import { CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { resolverOf } from '../resolved';
import { render } from '../template';
import { actionsOf, identityPermissions, resourcesOf } from './policies';

/** One permission a task role is declared to hold: these actions on these resources. */
export interface DeclaredGrant {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

/** A task role and the grants its construct declares. */
export interface TaskRoleContract {
  /** The role construct (an `iam.Role`; its `Resource` child is the CloudFormation role). */
  readonly role: IConstruct;
  /** What the role is meant to hold. */
  readonly grants: readonly DeclaredGrant[];
  /** The only actions such a role may ever hold, whatever is declared. */
  readonly allowedActions: readonly string[];
}

/**
 * TAP-IAM-4: the OrderBroker task role holds exactly its declared grants (write the `trades` stream, encrypt
 * with its key, connect to `orders` as the service user) and nothing else: no extra statements, no inline or
 * managed policies, no action outside the allow-list. A policy counts whichever way it names the role: by Ref,
 * by name, by a name derived from the role's ARN, or as an `AWS::IAM::RolePolicy`.
 */
export class TaskRoleGrantsRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-IAM-4',
    area: 'IAM',
    title: 'The OrderBroker task role holds only its declared grants',
    rationale:
      'A compromised task must not reach beyond the trades stream and the orders database (least privilege).',
    fix: 'Remove the extra permission; a new need is added in lib/constructs/task-role.ts (declared grant) and, for a new action, in TASK_ROLE_ALLOWED_ACTIONS, with a security review.',
    level: 'error',
  };

  constructor(private readonly contracts: readonly TaskRoleContract[]) {
    super();
  }

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    for (const contract of this.contracts) this.check(node, contract);
  }

  private check(node: CfnResource, contract: TaskRoleContract): void {
    const cfnRole = contract.role.node.defaultChild;
    if (!CfnResource.isCfnResource(cfnRole)) return;
    const stack = Stack.of(cfnRole);
    if (node === cfnRole) {
      const outside = contract.grants
        .flatMap((g) => g.actions)
        .filter((a) => !contract.allowedActions.includes(a));
      if (outside.length > 0)
        this.report(node, `declares action(s) outside the allow-list: ${outside.join(', ')}`);
      const permissions = identityPermissions(node)!;
      if (permissions.managedPolicyArns.length > 0) {
        this.report(node, `attaches managed policies ${permissions.managedPolicyArns.join(', ')}`);
      }
      if (permissions.statements.length > 0)
        this.report(node, 'carries inline policies in its Policies property');
      return;
    }
    const permissions = identityPermissions(node);
    if (!permissions) return;
    // Attached by any means: Ref, literal name, a name cut out of the role's ARN (Role.fromRoleArn).
    const resolver = resolverOf(node);
    const roleName = resolver.resolve({ Ref: render(cfnRole).logicalId }) as string;
    if (!permissions.attachedTo.some((p) => resolver.resolve(p) === roleName)) return;

    const declared = contract.grants.map((g) => ({
      actions: new Set(g.actions),
      resources: new Set((stack.resolve(g.resources) as unknown[]).map((r) => JSON.stringify(r))),
    }));
    const undeclared: string[] = [];
    for (const statement of permissions.statements) {
      if (statement.Effect !== 'Allow') continue;
      for (const action of actionsOf(statement)) {
        for (const resource of resourcesOf(statement)) {
          const key = JSON.stringify(resource);
          if (!declared.some((g) => g.actions.has(action) && g.resources.has(key))) {
            undeclared.push(`${action} on ${typeof resource === 'string' ? resource : key}`);
          }
        }
      }
      if (statement.NotAction !== undefined || statement.NotResource !== undefined) {
        undeclared.push('a NotAction/NotResource statement');
      }
    }
    if (undeclared.length > 0) {
      this.report(
        node,
        `gives the task role ${contract.role.node.path} undeclared permission(s): ${undeclared.join('; ')}`,
      );
    }
  }
}
