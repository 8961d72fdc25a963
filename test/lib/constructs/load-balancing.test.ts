import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT, resourceByPrefix, synthTemplate } from '../../helpers/synth';
import { LIVE_TARGET_GROUP_PARAMETER } from '../../../lib/tap-stack';
import { resolveParameters } from '../../helpers/cfn-parameters';

let dev: Template;
let prod: Template;
// Listeners as CloudFormation creates them on the first deployment (LiveTargetGroup = blue); the other color
// is covered by test/live-target-group.test.ts.
let devFirst: Template;
let prodFirst: Template;
beforeAll(() => {
  dev = synthTemplate();
  prod = synthTemplate({ profile: 'prod' });
  devFirst = resolveParameters(dev, { [LIVE_TARGET_GROUP_PARAMETER]: 'blue' });
  prodFirst = resolveParameters(prod, { [LIVE_TARGET_GROUP_PARAMETER]: 'blue' });
});

const ref = (prefix: string) => ({ Ref: Match.stringLikeRegexp(`^${prefix}`) });
const groupId = (prefix: string) => ({ 'Fn::GetAtt': [Match.stringLikeRegexp(`^${prefix}`), 'GroupId'] });

describe('load balancer', () => {
  test('is internal, deletion-protected, drops invalid headers and logs access to S3', () => {
    dev.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      Type: 'application',
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'deletion_protection.enabled', Value: 'true' },
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.bucket', Value: ref('PlatformLoadBalancingAccessLogs') },
      ]),
    });
  });

  test('the access-log bucket is private, TLS-only, versioned and retained', () => {
    dev.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      }),
    });
    dev.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('dev listeners', () => {
  test('production listens on HTTP 80 and forwards to blue on the first deployment', () => {
    devFirst.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: ref('PlatformLoadBalancingBlueTargetGroup') }],
    });
  });

  test('the test listener listens on 9090 and forwards to green', () => {
    devFirst.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 9090,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: ref('PlatformLoadBalancingGreenTargetGroup') }],
    });
  });

  test('there are exactly these two listeners', () => {
    dev.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
  });
});

describe('prod listeners', () => {
  test('production listens on HTTPS 443 with the configured certificate and a TLS 1.2+ policy', () => {
    prodFirst.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [
        { CertificateArn: Match.stringLikeRegexp('^arn:aws:acm:us-east-2:123456789012:certificate/') },
      ],
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: ref('PlatformLoadBalancingBlueTargetGroup') }],
    });
  });

  test('HTTP 80 only redirects to HTTPS', () => {
    prod.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [
        { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
      ],
    });
  });

  test('the test listener on 9090 is HTTPS too', () => {
    prodFirst.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 9090,
      Protocol: 'HTTPS',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: ref('PlatformLoadBalancingGreenTargetGroup') }],
    });
  });
});

describe('who can reach which listener', () => {
  test('clients reach the production port from the configured CIDR only', () => {
    const alb = resourceByPrefix(dev, 'AWS::EC2::SecurityGroup', 'PlatformLoadBalancingAlbSecurityGroup');
    expect(alb.Properties.SecurityGroupIngress).toEqual([
      {
        CidrIp: '10.40.0.0/16',
        Description: 'Clients: production listener',
        FromPort: 80,
        IpProtocol: 'tcp',
        ToPort: 80,
      },
    ]);
  });

  test('port 9090 is open only to the deployment-validation security group', () => {
    dev.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: groupId('PlatformLoadBalancingAlbSecurityGroup'),
      FromPort: 9090,
      ToPort: 9090,
      SourceSecurityGroupId: groupId('PlatformLoadBalancingTestTrafficClientSecurityGroup'),
    });
    const ingress = Object.values(dev.findResources('AWS::EC2::SecurityGroupIngress')).filter(
      (r) => r.Properties.FromPort === 9090,
    );
    expect(ingress).toHaveLength(1);
    for (const sg of Object.values(dev.findResources('AWS::EC2::SecurityGroup'))) {
      for (const rule of sg.Properties.SecurityGroupIngress ?? []) expect(rule.FromPort).not.toBe(9090);
    }
  });

  test('nothing is open to the internet', () => {
    for (const sg of Object.values(prod.findResources('AWS::EC2::SecurityGroup'))) {
      for (const rule of sg.Properties.SecurityGroupIngress ?? []) expect(rule.CidrIp).not.toBe('0.0.0.0/0');
    }
  });

  test('in prod clients reach 443 and the redirect on 80', () => {
    const alb = resourceByPrefix(prod, 'AWS::EC2::SecurityGroup', 'PlatformLoadBalancingAlbSecurityGroup');
    expect(alb.Properties.SecurityGroupIngress.map((r: any) => r.FromPort).sort()).toEqual([443, 80]);
  });
});

describe('target groups', () => {
  test.each(['blue', 'green'])('%s: IP targets with a health check that passes in 10 s', (color) => {
    dev.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Name: `ob-dev-${color}`,
      TargetType: 'ip',
      Port: 8080,
      Protocol: 'HTTP',
      HealthCheckPath: '/actuator/health/readiness',
      HealthCheckIntervalSeconds: 5,
      HealthCheckTimeoutSeconds: 3,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      Matcher: { HttpCode: '200' },
    });
  });

  test('a task survives two failed checks (a JVM pause) and a new task is healthy within 30 s of start', () => {
    const appStartSeconds = (
      JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'data', 'plan-assumptions.json'), 'utf8')) as {
        fargateColdStart: Array<{ id: string; seconds: number }>;
      }
    ).fargateColdStart.find((a) => a.id === 'appStart')!.seconds;
    for (const tg of Object.values(dev.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'))) {
      const p = tg.Properties;
      expect(p.UnhealthyThresholdCount).toBeGreaterThanOrEqual(3);
      expect(appStartSeconds + p.HealthCheckIntervalSeconds * p.HealthyThresholdCount).toBeLessThanOrEqual(
        30,
      );
    }
  });

  test.each(['blue', 'green'])(
    '%s: drains in-flight orders for 30 s and balances on outstanding requests',
    (color) => {
      dev.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Name: `ob-dev-${color}`,
        TargetGroupAttributes: Match.arrayWith([
          { Key: 'deregistration_delay.timeout_seconds', Value: '30' },
          { Key: 'load_balancing.algorithm.type', Value: 'least_outstanding_requests' },
        ]),
      });
    },
  );
});

describe('the name clients use', () => {
  test('in prod the validation hook checks TLS against the certificate host name, not the ALB DNS name', () => {
    prod.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ TLS_SERVER_NAME: 'orderbroker.trading.example.com' }) },
    });
    prod.hasOutput('ProductionUrl', { Value: 'https://orderbroker.trading.example.com' });
  });

  test('in dev clients use the ALB on HTTP 80 and the hook needs no TLS name', () => {
    dev.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ TLS_SERVER_NAME: Match.absent() }) },
    });
    dev.hasOutput('ProductionUrl', {
      Value: {
        'Fn::Join': [
          '',
          [
            'http://',
            { 'Fn::GetAtt': [Match.stringLikeRegexp('^PlatformLoadBalancingAlb'), 'DNSName'] },
            ':80',
          ],
        ],
      },
    });
  });
});
