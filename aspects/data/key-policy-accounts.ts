import type { IConstruct } from 'constructs';
import { awsPrincipals, principalAccount, resourcePolicyStatements } from '../iam/resource-policy-principals';
import { resolverOf } from '../resolved';
import { type RuleInfo, TapRule } from '../rule';
import { resourceOfType } from '../template';

/**
 * TAP-DAT-6: a KMS key policy allows only principals of the stack's account (and AWS services): no principal of
 * another account unless configured (FOREIGN_PRINCIPALS_ALLOWED), and `*` only when a condition pins
 * `kms:CallerAccount` or `aws:PrincipalAccount` to the stack's account.
 */
export class KeyPolicyAccountsRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-DAT-6',
    area: 'DAT',
    title: 'KMS key policies grant no foreign account',
    rationale:
      'A key policy that names another account lets it decrypt the trades and orders data the key protects, whatever IAM says here.',
    fix: 'Remove the statement; a cross-account need goes into FOREIGN_PRINCIPALS_ALLOWED (lib/compliance/access-matrix.ts) with a security review.',
    level: 'error',
  };

  constructor(private readonly foreignPrincipalsAllowed: readonly string[]) {
    super();
  }

  public visit(node: IConstruct): void {
    if (!resourceOfType(node, 'AWS::KMS::Key')) return;
    const account = resolverOf(node).pseudo.account;
    const problems: string[] = [];
    for (const s of resourcePolicyStatements(node) ?? []) {
      if (s.Effect !== 'Allow') continue;
      for (const principal of awsPrincipals(s)) {
        if (principal === '*') {
          const pinned = ['kms:CallerAccount', 'aws:PrincipalAccount'].some(
            (key) => s.Condition?.StringEquals?.[key] === account,
          );
          if (!pinned) problems.push('allows principal "*" without pinning kms:CallerAccount to the account');
          continue;
        }
        const other = principalAccount(principal);
        if (other && other !== account && !this.foreignPrincipalsAllowed.includes(principal))
          problems.push(`allows ${principal} of foreign account ${other}`);
      }
    }
    if (problems.length > 0) this.report(node, `key policy ${[...new Set(problems)].join('; ')}`);
  }
}
