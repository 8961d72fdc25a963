import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import {
  type CfnProperties,
  asList,
  referencedLogicalIds,
  render,
  resourceOfType,
  stackResources,
} from '../template';

/** The service principal CloudWatch alarms publish to SNS as. */
export const CLOUDWATCH_PRINCIPAL = 'cloudwatch.amazonaws.com';

interface Statement {
  readonly Effect?: string;
  readonly Principal?: { Service?: string | string[] } | string;
  readonly Action?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

function allowsCloudWatch(s: Statement, ...actions: string[]): boolean {
  const services = typeof s.Principal === 'object' ? asList(s.Principal.Service) : [];
  const granted = asList(s.Action);
  return (
    s.Effect === 'Allow' &&
    services.includes(CLOUDWATCH_PRINCIPAL) &&
    actions.every((a) => granted.includes(a))
  );
}

function hasCondition(s: Statement, operator: string, key: string): boolean {
  return s.Condition?.[operator]?.[key] !== undefined;
}

function statements(document: CfnProperties | undefined): Statement[] {
  return asList(document?.Statement as Statement[] | undefined);
}

/**
 * TAP-ALM-4: every SNS topic an alarm notifies lets CloudWatch publish to it (and use its key).
 *
 * A topic policy replaces the topic's default policy: `enforceSSL` writes one whose only statement is a Deny,
 * and from then on `cloudwatch.amazonaws.com` may not publish, so every alarm action fails silently.
 */
export class AlarmTopicAccessRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-ALM-4',
    area: 'ALM',
    title: 'Every topic an alarm notifies lets CloudWatch publish to it and use its KMS key',
    rationale:
      'A topic policy replaces the default one and a KMS-encrypted topic needs the key: without an explicit Allow for cloudwatch.amazonaws.com no alarm reaches the SRE.',
    fix: "Add to the topic policy an Allow for cloudwatch.amazonaws.com sns:Publish with StringEquals aws:SourceAccount and ArnLike aws:SourceArn on the account's alarms, and to the topic's key policy an Allow for cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey* with conditions.",
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const topic = resourceOfType(node, 'AWS::SNS::Topic');
    if (!topic) return;
    const self = render(topic);
    const notifies = stackResources(node, 'AWS::CloudWatch::Alarm').some((a) =>
      referencedLogicalIds(a.properties.AlarmActions).includes(self.logicalId),
    );
    if (!notifies) return;

    const policyStatements = stackResources(node, 'AWS::SNS::TopicPolicy')
      .filter((p) => referencedLogicalIds(p.properties.Topics).includes(self.logicalId))
      .flatMap((p) => statements(p.properties.PolicyDocument as CfnProperties | undefined));
    const publish = policyStatements.find((s) => allowsCloudWatch(s, 'sns:Publish'));
    if (!publish) {
      this.report(node, `is an alarm action but no topic policy allows ${CLOUDWATCH_PRINCIPAL} sns:Publish`);
    } else if (
      !hasCondition(publish, 'StringEquals', 'aws:SourceAccount') ||
      !hasCondition(publish, 'ArnLike', 'aws:SourceArn')
    ) {
      this.report(
        node,
        'lets CloudWatch publish without StringEquals aws:SourceAccount and ArnLike aws:SourceArn (confused deputy)',
      );
    }

    const keyRef: unknown = self.properties.KmsMasterKeyId;
    if (keyRef === undefined) return;
    const keyIds = referencedLogicalIds(keyRef);
    const key = stackResources(node, 'AWS::KMS::Key').find((k) => keyIds.includes(k.logicalId));
    if (!key) {
      this.report(
        node,
        `is encrypted with a key outside this stack (${typeof keyRef === 'string' ? keyRef : 'imported'}) whose policy cannot be checked; an AWS managed key cannot be opened to CloudWatch`,
      );
      return;
    }
    const keyStatements = statements(key.properties.KeyPolicy as CfnProperties | undefined);
    const decrypt = keyStatements.find((s) => allowsCloudWatch(s, 'kms:Decrypt', 'kms:GenerateDataKey*'));
    if (!decrypt) {
      this.report(
        node,
        `is encrypted with ${key.logicalId}, whose policy does not let CloudWatch kms:Decrypt and kms:GenerateDataKey*`,
      );
    } else if (!decrypt.Condition || Object.keys(decrypt.Condition).length === 0) {
      this.report(node, `lets CloudWatch use key ${key.logicalId} without a condition`);
    }
  }
}
