import type { IConstruct } from 'constructs';
import { logicalIdOf, resolverOf } from '../resolved';
import { type RuleInfo, TapRule } from '../rule';
import { asList, render, resourceOfType } from '../template';

/** Resource-policy carriers and the property that holds the policy document. */
export const RESOURCE_POLICY_DOCUMENTS: Readonly<Record<string, string>> = {
  'AWS::Kinesis::ResourcePolicy': 'ResourcePolicy',
  'AWS::KMS::Key': 'KeyPolicy',
  'AWS::SNS::TopicPolicy': 'PolicyDocument',
  'AWS::SQS::QueuePolicy': 'PolicyDocument',
  'AWS::S3::BucketPolicy': 'PolicyDocument',
  'AWS::SecretsManager::ResourcePolicy': 'ResourcePolicy',
};

/** A statement of a resolved policy document. */
export interface ResolvedStatement {
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** The AWS principals (ARNs, account IDs or `*`) of a resolved statement; `*` for `Principal: "*"`. */
export function awsPrincipals(statement: ResolvedStatement): string[] {
  const principal = statement.Principal;
  if (principal === '*') return ['*'];
  if (!principal || typeof principal !== 'object') return [];
  return asList((principal as Record<string, unknown>).AWS as string | string[]).map(String);
}

/** The account of an AWS principal (`123456789012`, `arn:...:iam::123456789012:...`), or undefined. */
export function principalAccount(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

/** The resolved statements of a resource-policy carrier, or undefined when `node` is none. */
export function resourcePolicyStatements(node: IConstruct): ResolvedStatement[] | undefined {
  const resource = resourceOfType(node, ...Object.keys(RESOURCE_POLICY_DOCUMENTS));
  if (!resource) return undefined;
  const document = render(resource).properties[
    RESOURCE_POLICY_DOCUMENTS[resource.cfnResourceType]
  ] as unknown;
  const resolved = resolverOf(node).resolve(document) as { Statement?: unknown } | undefined;
  return asList(resolved?.Statement) as ResolvedStatement[];
}

/**
 * TAP-IAM-7: resource policies (Kinesis, KMS, SNS, SQS, S3, Secrets Manager) grant the task role nothing beyond
 * its allow-listed actions, and allow no `*` principal and no principal of another account unless the account
 * principal is configured (FOREIGN_PRINCIPALS_ALLOWED in lib/compliance/access-matrix.ts). A resource policy
 * grants a same-account role without any identity policy, so the task role's boundary includes them.
 */
export class ResourcePolicyPrincipalsRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-IAM-7',
    area: 'IAM',
    title: 'Resource policies grant the task role only allow-listed actions, and no one outside the account',
    rationale:
      'A resource policy that names the task role widens it without touching the role; "*" or a foreign account opens the data to others (least privilege, NIST AC-3).',
    fix: 'Remove the statement; grant the task role through lib/constructs/task-role.ts only. A foreign principal the platform needs goes into FOREIGN_PRINCIPALS_ALLOWED (lib/compliance/access-matrix.ts) with its reason.',
    level: 'error',
  };

  constructor(
    private readonly taskRoles: readonly IConstruct[],
    private readonly allowedActions: readonly string[],
    private readonly foreignPrincipalsAllowed: readonly string[],
  ) {
    super();
  }

  public visit(node: IConstruct): void {
    const statements = resourcePolicyStatements(node);
    if (!statements) return;
    const resolver = resolverOf(node);
    const account = resolver.pseudo.account;
    const roleArns = this.taskRoles
      .map(logicalIdOf)
      .filter((id): id is string => !!id)
      .map((id) => String(resolver.resolve({ 'Fn::GetAtt': [id, 'Arn'] })));
    const problems: string[] = [];
    for (const s of statements) {
      if (s.Effect !== 'Allow') continue;
      for (const principal of awsPrincipals(s)) {
        if (principal === '*') {
          problems.push('allows principal "*"');
          continue;
        }
        const principalAcct = principalAccount(principal);
        if (
          principalAcct &&
          principalAcct !== account &&
          !this.foreignPrincipalsAllowed.includes(principal)
        ) {
          problems.push(`allows ${principal} of foreign account ${principalAcct}`);
        }
        const roleName = (arn: string) => arn.split('/').pop();
        const namesRole = roleArns.some(
          (arn) =>
            principal === arn ||
            principal.startsWith(`arn:aws:sts::${account}:assumed-role/${roleName(arn)}/`),
        );
        if (namesRole) {
          const extra = asList(s.Action as string | string[])
            .map(String)
            .filter((a) => !this.allowedActions.includes(a));
          if (extra.length > 0) problems.push(`grants the task role ${extra.join(', ')}`);
        }
      }
    }
    if (problems.length > 0) this.report(node, `resource policy ${[...new Set(problems)].join('; ')}`);
  }
}
