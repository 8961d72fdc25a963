import { AspectPriority, Aspects, CfnResource, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { RequiredTagsAspect, tagManagerOf } from '../../aspects/required-tags';
import type { TapApp } from '../../lib/app';
import { buildApp } from '../helpers/synth';
import { IMPORTED_ALL } from '../helpers/imports';
import { ruleTestStack } from '../helpers/rules';

/**
 * Each configuration is built once per file: the default dev app is both a `describe.each` row and the app whose
 * Aspect registration is checked, and building it costs seconds.
 */
const built = new Map<string, TapApp>();
function appFor(overrides: Record<string, unknown> = {}): TapApp {
  const key = JSON.stringify(overrides);
  let tapApp = built.get(key);
  if (!tapApp) {
    tapApp = buildApp(overrides);
    built.set(key, tapApp);
  }
  return tapApp;
}

const EXPECTED = { CostCenter: 'CC-4100', Project: 'TradingPlatform', Service: 'OrderBroker' };

/** The tags of a rendered resource as a map, whatever format the resource type uses. */
function renderedTags(properties: Record<string, any> | undefined): Record<string, string> {
  const tags = properties?.Tags ?? properties?.tags;
  if (!tags) return {};
  if (Array.isArray(tags)) return Object.fromEntries(tags.map((t: any) => [t.Key, t.Value]));
  return tags as Record<string, string>;
}

/** Every L1 in the stack whose resource type supports tags (through either tag interface). */
function taggableResources(tapApp: TapApp): CfnResource[] {
  return tapApp.stack.node
    .findAll()
    .filter(
      (c: IConstruct): c is CfnResource => CfnResource.isCfnResource(c) && tagManagerOf(c) !== undefined,
    );
}

/** Types that use either tag interface; the created data stores and network only when not imported. */
const CORE_TYPES = [
  'AWS::CloudWatch::Alarm',
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::ECS::Service',
  'AWS::ECS::TaskDefinition',
  'AWS::KMS::Key',
];
const CREATED_TYPES = [
  ...CORE_TYPES,
  'AWS::EC2::VPC',
  'AWS::EC2::Subnet',
  'AWS::RDS::DBCluster',
  'AWS::Kinesis::Stream',
];

describe.each([
  ['dev', {}, CREATED_TYPES],
  ['prod', { profile: 'prod' }, CREATED_TYPES],
  ['dev with imported VPC, stream and database', IMPORTED_ALL, CORE_TYPES],
])('%s: the tag Aspect', (_name, overrides, expectedTypes) => {
  let tapApp: TapApp;
  let resources: Record<string, any>;
  beforeAll(() => {
    tapApp = appFor(overrides);
    resources = Template.fromStack(tapApp.stack).toJSON().Resources;
  });

  test('tags 100% of the taggable resources with CostCenter, Project and Service', () => {
    const taggable = taggableResources(tapApp);
    expect(taggable.length).toBeGreaterThan(20);
    const untagged = taggable
      .map((r) => tapApp.stack.getLogicalId(r))
      .filter((id) => {
        const tags = renderedTags(resources[id]?.Properties);
        return Object.entries(EXPECTED).some(([k, v]) => tags[k] !== v);
      });
    expect(untagged).toEqual([]);
  });

  test('reaches the VPC, its subnets and the L1s that use the newer tag interface', () => {
    const types = new Set(
      Object.values(resources)
        .filter((r: any) => renderedTags(r.Properties).Project === 'TradingPlatform')
        .map((r: any) => r.Type as string),
    );
    for (const type of expectedTypes) expect(types).toContain(type);
  });
});

describe('RequiredTagsAspect on fixtures', () => {
  const tags = {
    costCenter: 'CC-9999',
    project: 'TradingPlatform',
    service: 'OrderBroker',
    environment: 'test',
  } as const;

  test('tags an ITaggable L1 (queue) and an ITaggableV2 L1 (alarm)', () => {
    const { app, stack } = ruleTestStack();
    new sqs.Queue(stack, 'Queue');
    new cloudwatch.Alarm(stack, 'Alarm', {
      metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    Aspects.of(app).add(new RequiredTagsAspect(tags), { priority: AspectPriority.MUTATING });
    const template = Template.fromStack(stack);
    const expected = [
      { Key: 'CostCenter', Value: 'CC-9999' },
      { Key: 'Environment', Value: 'test' },
      { Key: 'Project', Value: 'TradingPlatform' },
      { Key: 'Service', Value: 'OrderBroker' },
    ];
    template.hasResourceProperties('AWS::SQS::Queue', { Tags: expected });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Tags: expected });
  });

  test('without the Aspect the same fixture is untagged (the Aspect is what tags)', () => {
    const { stack } = ruleTestStack();
    new sqs.Queue(stack, 'Queue');
    expect(Template.fromStack(stack).toJSON().Resources.Queue4A7E3555.Properties).toBeUndefined();
  });

  test('the policy values win over a conflicting Tags.of() at default priority', () => {
    const { app, stack } = ruleTestStack();
    new sqs.Queue(stack, 'Queue');
    Tags.of(stack).add('Project', 'SomethingElse');
    Aspects.of(app).add(new RequiredTagsAspect(tags), { priority: AspectPriority.MUTATING });
    const queueTags = renderedTags(
      Object.values(Template.fromStack(stack).findResources('AWS::SQS::Queue'))[0].Properties,
    );
    expect(queueTags.Project).toBe('TradingPlatform');
  });

  test('is registered on the app with MUTATING priority', () => {
    const tapApp = appFor();
    const applied = Aspects.of(tapApp.app).applied.filter((a) => a.aspect instanceof RequiredTagsAspect);
    expect(applied).toHaveLength(1);
    expect(applied[0].priority).toBe(AspectPriority.MUTATING);
  });
});
