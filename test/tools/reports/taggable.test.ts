import { TAGGABLE_RESOURCE_TYPES } from '../../../aspects/tags/taggable-types';
import { loadTaggableTypes, taggableTypesOf } from '../../../tools/reports/taggable';

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
});
