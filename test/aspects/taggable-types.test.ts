import {
  loadTaggableTypes,
  TAGGABLE_RESOURCE_TYPES,
  taggableTypesOf,
} from '../../aspects/tags/taggable-types';
import { synthTemplate } from '../helpers/synth';

describe('taggable types from a jsii assembly', () => {
  test('an L1 class implementing ITaggable or ITaggableV2 makes its CloudFormation type taggable', () => {
    const types = taggableTypesOf({
      'x.CfnA': {
        kind: 'class',
        interfaces: ['aws-cdk-lib.IInspectable', 'aws-cdk-lib.ITaggable'],
        docs: { custom: { cloudformationResource: 'AWS::X::A' } },
      },
      'x.CfnB': {
        kind: 'class',
        interfaces: ['aws-cdk-lib.ITaggableV2'],
        docs: { custom: { cloudformationResource: 'AWS::X::B' } },
      },
      'x.CfnC': {
        kind: 'class',
        interfaces: ['aws-cdk-lib.IInspectable'],
        docs: { custom: { cloudformationResource: 'AWS::X::C' } },
      },
      'x.CProps': { kind: 'interface', docs: { custom: { cloudformationResource: 'AWS::X::D' } } },
      'x.Helper': { kind: 'class', interfaces: ['aws-cdk-lib.ITaggable'] },
    });
    expect([...types.entries()]).toEqual([
      ['AWS::X::A', true],
      ['AWS::X::B', true],
      ['AWS::X::C', false],
    ]);
  });
});

describe('taggable types of the installed aws-cdk-lib', () => {
  const types = loadTaggableTypes();

  test.each([
    ['AWS::EC2::VPC', true],
    ['AWS::ElasticLoadBalancingV2::Listener', true],
    ['AWS::ApplicationAutoScaling::ScalableTarget', true],
    ['AWS::EC2::Route', false],
    ['AWS::IAM::Policy', false],
    ['AWS::KMS::Alias', false],
  ])('%s taggable: %s', (type, taggable) => {
    expect(types.get(type)).toBe(taggable);
  });

  test('custom resources are unknown to it (not taggable)', () => {
    expect(types.has('Custom::VpcRestrictDefaultSG')).toBe(false);
  });

  test("agrees with the project rules' list of taggable types (aspects/tags/taggable-types.ts)", () => {
    const disagree = [...TAGGABLE_RESOURCE_TYPES].filter((t) => types.get(t) !== true);
    expect(disagree).toEqual([]);
  });

  test.each(['dev', 'prod'])(
    "on every type the %s stacks create, the rules' list and the definition agree",
    (profile) => {
      // The Lambda bundles are not under test: CDK's documented switch skips bundling for every stack.
      const { tapApp } = synthTemplate({ profile, 'aws:cdk:bundling-stacks': [] });
      const templateTypes = new Set<string>();
      for (const stack of [tapApp.stack, tapApp.governance]) {
        const resources = tapApp.app.synth().getStackArtifact(stack.artifactId).template.Resources as Record<
          string,
          { Type: string }
        >;
        for (const r of Object.values(resources)) templateTypes.add(r.Type);
      }
      const disagree = [...templateTypes].filter(
        (t) => TAGGABLE_RESOURCE_TYPES.has(t) !== (types.get(t) === true),
      );
      expect(disagree).toEqual([]);
      expect(templateTypes.size).toBeGreaterThan(20);
    },
    60_000,
  );
});
