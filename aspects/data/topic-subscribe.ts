import type { IConstruct } from 'constructs';
import { awsPrincipals, resourcePolicyStatements } from '../iam/resource-policy-principals';
import { type RuleInfo, TapRule } from '../rule';
import { asList, resourceOfType } from '../template';

/** Condition keys that restrict who can subscribe (an account, an organization, a source, an endpoint). */
export const RESTRICTIVE_SUBSCRIBE_CONDITION_KEYS = [
  'aws:SourceAccount',
  'aws:SourceArn',
  'aws:SourceOwner',
  'aws:PrincipalAccount',
  'aws:PrincipalOrgID',
  'aws:PrincipalArn',
  'sns:Endpoint',
];

/**
 * TAP-DAT-7: no SNS topic policy lets anyone subscribe: an Allow to `*` whose actions cover `sns:Subscribe`
 * (`sns:Subscribe`, `sns:Sub*`, `sns:*`, `*`) must carry a condition on one of
 * {@link RESTRICTIVE_SUBSCRIBE_CONDITION_KEYS}. The SRE topic carries alarm details of the trading platform.
 */
export class TopicSubscribeRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-DAT-7',
    area: 'DAT',
    title: 'SNS topic policies do not let anyone subscribe',
    rationale:
      'A subscription by anyone sends every alarm (hosts, thresholds, incidents) to an endpoint outside the company.',
    fix: 'Remove the statement, or restrict it with a condition on aws:PrincipalAccount, aws:PrincipalOrgID or sns:Endpoint; subscriptions are created by the stack (alerting.email).',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    if (!resourceOfType(node, 'AWS::SNS::TopicPolicy')) return;
    for (const s of resourcePolicyStatements(node) ?? []) {
      if (s.Effect !== 'Allow' || !awsPrincipals(s).includes('*')) continue;
      const actions = asList(s.Action as string | string[]).map((a) => String(a).toLowerCase());
      const subscribe = actions.some(
        (a) =>
          a === '*' ||
          a === 'sns:*' ||
          ('sns:subscribe'.startsWith(a.replace(/\*$/, '')) && a.endsWith('*')) ||
          a === 'sns:subscribe',
      );
      if (!subscribe) continue;
      const keys = Object.values(s.Condition ?? {}).flatMap((c) => Object.keys(c ?? {}));
      if (
        !keys.some((k) =>
          RESTRICTIVE_SUBSCRIBE_CONDITION_KEYS.map((x) => x.toLowerCase()).includes(k.toLowerCase()),
        )
      ) {
        this.report(node, 'topic policy lets principal "*" subscribe without a restricting condition');
      }
    }
  }
}
