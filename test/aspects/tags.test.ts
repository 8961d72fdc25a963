import { CfnResource, RemovalPolicy, Tags } from 'aws-cdk-lib';
import { Aspects, AspectPriority } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RequiredTagsAspect } from '../../aspects/required-tags';
import { RequiredTagValuesRule } from '../../aspects/tags/required-tag-values';
import { RequiredTagsPresentRule } from '../../aspects/tags/required-tags-present';
import type { RequiredTags } from '../../lib/config/types';
import { findingsOf, ids, ruleTestStack } from '../helpers/rules';

const POLICY: RequiredTags = {
  costCenter: 'CC-4100',
  project: 'TradingPlatform',
  service: 'OrderBroker',
  environment: 'dev',
};

function tagged() {
  const t = ruleTestStack();
  Aspects.of(t.app).add(new RequiredTagsAspect(POLICY), { priority: AspectPriority.MUTATING });
  return t;
}

describe('TAP-TAG-1 required tags present', () => {
  test('passes when the tagging Aspect tags a bucket', () => {
    const { app, stack } = tagged();
    new s3.Bucket(stack, 'Bucket', { removalPolicy: RemovalPolicy.RETAIN });
    expect(ids(findingsOf(app, new RequiredTagsPresentRule()))).toEqual([]);
  });

  test('fails with TAP-TAG-1 when a bucket carries none of the tags', () => {
    const { app, stack } = ruleTestStack();
    new s3.Bucket(stack, 'Bucket');
    const findings = findingsOf(app, new RequiredTagsPresentRule());
    expect(ids(findings)).toEqual(['TAP-TAG-1 @ Bucket/Resource']);
    expect(findings[0].level).toBe('error');
    expect(findings[0].message).toContain('lacks tag(s) CostCenter, Project, Service');
  });

  test('fails with TAP-TAG-1 when one tag was removed from a tagged resource', () => {
    const { app, stack } = tagged();
    const bucket = new s3.Bucket(stack, 'Bucket');
    Tags.of(bucket).remove('Service', { priority: 300 });
    expect(findingsOf(app, new RequiredTagsPresentRule()).map((f) => f.message)).toEqual([
      expect.stringContaining('lacks tag(s) Service'),
    ]);
  });

  test('fails with TAP-TAG-1 for an untagged raw CfnResource of a taggable type', () => {
    const { app, stack } = ruleTestStack();
    new CfnResource(stack, 'RawRole', {
      type: 'AWS::IAM::Role',
      properties: { AssumeRolePolicyDocument: {} },
    });
    expect(ids(findingsOf(app, new RequiredTagsPresentRule()))).toEqual(['TAP-TAG-1 @ RawRole']);
  });

  test('passes for a raw CfnResource tagged by the Aspect, and ignores raw non-taggable types', () => {
    const { app, stack } = tagged();
    new CfnResource(stack, 'RawRole', {
      type: 'AWS::IAM::Role',
      properties: { Tags: [{ Key: 'Owner', Value: 'sre' }] },
    });
    new CfnResource(stack, 'RawPolicy', { type: 'AWS::IAM::Policy', properties: {} });
    expect(ids(findingsOf(app, new RequiredTagsPresentRule()))).toEqual([]);
    const tags = (
      stack.resolve((stack.node.findChild('RawRole') as CfnResource)._toCloudFormation()) as {
        Resources: Record<string, { Properties: { Tags: Array<{ Key: string }> } }>;
      }
    ).Resources.RawRole.Properties.Tags;
    expect(tags.map((t) => t.Key)).toEqual(['CostCenter', 'Environment', 'Owner', 'Project', 'Service']);
  });
});

describe('TAP-TAG-2 required tag values', () => {
  test('passes when the tags carry the policy values', () => {
    const { app, stack } = tagged();
    new s3.Bucket(stack, 'Bucket');
    expect(ids(findingsOf(app, new RequiredTagValuesRule(POLICY)))).toEqual([]);
  });

  test('fails with TAP-TAG-2 when Project is overridden above the Aspect', () => {
    const { app, stack } = tagged();
    const bucket = new s3.Bucket(stack, 'Bucket');
    Tags.of(bucket).add('Project', 'Sandbox', { priority: 300 });
    const findings = findingsOf(app, new RequiredTagValuesRule(POLICY));
    expect(ids(findings)).toEqual(['TAP-TAG-2 @ Bucket/Resource']);
    expect(findings[0].message).toContain('Project=Sandbox (expected TradingPlatform)');
  });

  test("fails with TAP-TAG-2 when CostCenter is not this deployment's cost center", () => {
    const { app, stack } = tagged();
    const bucket = new s3.Bucket(stack, 'Bucket');
    Tags.of(bucket).add('CostCenter', 'marketing', { priority: 300 });
    expect(findingsOf(app, new RequiredTagValuesRule(POLICY)).map((f) => f.message)).toEqual([
      expect.stringContaining('CostCenter=marketing (expected CC-4100)'),
    ]);
  });
});

describe('TAP-TAG-1 / TAP-TAG-2 read the tags CloudFormation receives', () => {
  test('fails with TAP-TAG-1 and TAP-TAG-2 when an addPropertyOverride on Tags replaces the tagged values', () => {
    const { app, stack } = tagged();
    const bucket = new s3.Bucket(stack, 'Bucket', { removalPolicy: RemovalPolicy.RETAIN });
    (bucket.node.defaultChild as CfnResource).addPropertyOverride('Tags', [
      { Key: 'CostCenter', Value: 'CC-9999' },
    ]);
    const findings = findingsOf(app, new RequiredTagsPresentRule(), new RequiredTagValuesRule(POLICY));
    expect(ids(findings)).toEqual(['TAP-TAG-1 @ Bucket/Resource', 'TAP-TAG-2 @ Bucket/Resource']);
    expect(findings.map((f) => f.message.split('. Why')[0]).sort()).toEqual([
      'TAP-TAG-1: lacks tag(s) Project, Service',
      'TAP-TAG-2: has invalid tag value(s) CostCenter=CC-9999 (expected CC-4100)',
    ]);
  });

  test('passes when an override keeps the policy tags', () => {
    const { app, stack } = tagged();
    const bucket = new s3.Bucket(stack, 'Bucket', { removalPolicy: RemovalPolicy.RETAIN });
    (bucket.node.defaultChild as CfnResource).addPropertyOverride('Tags', [
      { Key: 'CostCenter', Value: 'CC-4100' },
      { Key: 'Project', Value: 'TradingPlatform' },
      { Key: 'Service', Value: 'OrderBroker' },
    ]);
    expect(ids(findingsOf(app, new RequiredTagsPresentRule(), new RequiredTagValuesRule(POLICY)))).toEqual(
      [],
    );
  });
});
