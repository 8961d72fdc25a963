import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { OrderBrokerLoadBalancing } from '../../lib/constructs/load-balancing';
import { LIVE_TARGET_GROUP_PARAMETER } from '../../lib/tap-stack';
import { resolveParameters } from '../helpers/cfn-parameters';
import { synthTemplate } from '../helpers/synth';

// Defect 5 (aws/aws-cdk#36649): CodeDeploy swaps the listeners on every deployment, and a stack update that
// re-sends a listener puts back what the template says. The template therefore takes the live color as a
// parameter; these tests resolve it the way CloudFormation does and look at where each listener forwards.

let dev: Template;
let prod: Template;
beforeAll(() => {
  dev = synthTemplate();
  prod = synthTemplate({ profile: 'prod' });
});

const asLiveColor = (template: Template, color: string) =>
  resolveParameters(template, { [LIVE_TARGET_GROUP_PARAMETER]: color });

/** Port -> the logical ID of the target group the listener on that port forwards to. */
function forwards(template: Template): Record<number, string> {
  const out: Record<number, string> = {};
  for (const l of Object.values(template.findResources('AWS::ElasticLoadBalancingV2::Listener'))) {
    const forward = (l.Properties.DefaultActions as any[]).find((a) => a.Type === 'forward');
    if (forward) out[l.Properties.Port] = forward.TargetGroupArn.Ref;
  }
  return out;
}
const blue = expect.stringMatching(/^PlatformLoadBalancingBlueTargetGroup/);
const green = expect.stringMatching(/^PlatformLoadBalancingGreenTargetGroup/);

test('the stack takes the live target group as a parameter: blue or green, blue on the first deployment', () => {
  expect(dev.toJSON().Parameters[LIVE_TARGET_GROUP_PARAMETER]).toEqual({
    Type: 'String',
    AllowedValues: ['blue', 'green'],
    Default: 'blue',
    Description: expect.stringContaining('npm run stack:deploy'),
  });
  expect(() => asLiveColor(dev, 'purple')).toThrow('not in AllowedValues blue, green');
});

describe.each([
  ['dev', () => dev, 80],
  ['prod', () => prod, 443],
])('%s listeners', (_profile, template, productionPort) => {
  test('with blue live, production forwards to blue and the test listener to green', () => {
    expect(forwards(asLiveColor(template(), 'blue'))).toEqual({ [productionPort]: blue, 9090: green });
  });

  test('with green live (after an odd number of deployments), production stays on green', () => {
    expect(forwards(asLiveColor(template(), 'green'))).toEqual({ [productionPort]: green, 9090: blue });
  });

  test('the parameter changes the two forward listeners and nothing else', () => {
    const onBlue = asLiveColor(template(), 'blue').toJSON().Resources;
    const onGreen = asLiveColor(template(), 'green').toJSON().Resources;
    const changed = Object.keys(onBlue).filter(
      (id) => JSON.stringify(onBlue[id]) !== JSON.stringify(onGreen[id]),
    );
    expect(changed.sort()).toEqual([
      expect.stringMatching(/^PlatformLoadBalancingAlbProductionListener/),
      expect.stringMatching(/^PlatformLoadBalancingAlbTestListener/),
    ]);
  });
});

test('whichever color is live, the deployment group pairs both target groups behind the same two listeners', () => {
  for (const color of ['blue', 'green']) {
    asLiveColor(dev, color).hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      LoadBalancerInfo: {
        TargetGroupPairInfoList: [
          {
            ProdTrafficRoute: {
              ListenerArns: [{ Ref: Match.stringLikeRegexp('^PlatformLoadBalancingAlbProductionListener') }],
            },
            TestTrafficRoute: {
              ListenerArns: [{ Ref: Match.stringLikeRegexp('^PlatformLoadBalancingAlbTestListener') }],
            },
            TargetGroups: [
              {
                Name: {
                  'Fn::GetAtt': [Match.stringLikeRegexp('^PlatformLoadBalancingBlue'), 'TargetGroupName'],
                },
              },
              {
                Name: {
                  'Fn::GetAtt': [Match.stringLikeRegexp('^PlatformLoadBalancingGreen'), 'TargetGroupName'],
                },
              },
            ],
          },
        ],
      },
    });
  }
});

test('the service keeps its creation-time load balancer (blue): a CODE_DEPLOY service cannot change it in an update', () => {
  const services = Object.values(asLiveColor(dev, 'green').findResources('AWS::ECS::Service'));
  expect(services).toHaveLength(1);
  expect(services[0].Properties.LoadBalancers).toEqual([
    { ContainerName: 'orderbroker', ContainerPort: 8080, TargetGroupArn: { Ref: blue } },
  ]);
});

describe('OrderBrokerLoadBalancing with a literal live color', () => {
  const build = (liveTargetGroup?: string) => {
    const stack = new Stack(undefined, 'Lb', { env: { region: 'us-east-2' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    new OrderBrokerLoadBalancing(stack, 'Lb', {
      vpc,
      subnets: { subnetType: ec2.SubnetType.PUBLIC },
      clientPeer: ec2.Peer.ipv4('10.0.0.0/16'),
      containerPort: 8080,
      healthCheckPath: '/health',
      namePrefix: 'ob-t',
      liveTargetGroup,
    });
    return Template.fromStack(stack);
  };
  const lbBlue = expect.stringMatching(/^LbBlueTargetGroup/);
  const lbGreen = expect.stringMatching(/^LbGreenTargetGroup/);

  test('renders the choice without a condition', () => {
    expect(forwards(build('green'))).toEqual({ 80: lbGreen, 9090: lbBlue });
    expect(forwards(build())).toEqual({ 80: lbBlue, 9090: lbGreen });
    expect(build('green').toJSON().Conditions).toBeUndefined();
  });

  test('refuses a color that is neither blue nor green, naming the value', () => {
    expect(() => build('purple')).toThrow('Lb: liveTargetGroup = "purple": expected blue or green');
  });
});
