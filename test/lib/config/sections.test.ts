import {
  CREATED_SUBNET_MASKS,
  PLATFORM_AZ_COUNT,
  ROLLBACK_BUDGET_MINUTES,
} from '../../../lib/config/constants';
import { ConfigError, nearestKey, resolveConfig } from '../../../lib/config/resolve-config';
import { subnetsFit } from '../../../lib/config/sections';
import { synthTemplate } from '../../helpers/synth';

/** The problems resolveConfig reports for these context values (fails the test if it does not throw). */
function problemsFor(context: Record<string, unknown>): string[] {
  try {
    resolveConfig(context);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(context)}`);
}

const PROD_CERT = 'arn:aws:acm:us-east-2:123456789012:certificate/6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f';

describe('configuration mistakes get one line naming the key, the value and what is allowed', () => {
  test('a VPC CIDR too small for its subnets (CDK would throw a stack trace at synthesis)', () => {
    expect(problemsFor({ vpcCidr: '10.40.0.0/18' })).toEqual([
      'vpcCidr = "10.40.0.0/18": too small for the created subnets (3 AZs x /24, /20, /24); expected /17 or larger, e.g. 10.40.0.0/16',
    ]);
    expect(resolveConfig({ vpcCidr: '10.40.0.0/17' }).network).toEqual({
      mode: 'create',
      cidr: '10.40.0.0/17',
      natGateways: 1,
    });
  });

  test('a VPC CIDR outside the /16../28 AWS allows', () => {
    expect(problemsFor({ vpcCidr: '10.0.0.0/8' })).toEqual([
      'vpcCidr = "10.0.0.0/8": a VPC CIDR must be /16 to /28 (AWS limit); expected e.g. 10.40.0.0/16',
    ]);
  });

  test('a stream name and a stream ARN that disagree', () => {
    expect(
      problemsFor({
        tradesStreamName: 'orders',
        tradesStreamArn: 'arn:aws:kinesis:us-east-2:123456789012:stream/trades',
      }),
    ).toEqual([
      'tradesStreamName = "orders": disagrees with tradesStreamArn (stream "trades"); expected "trades" or leave tradesStreamName unset',
    ]);
    expect(
      resolveConfig({
        tradesStreamName: 'trades',
        tradesStreamArn: 'arn:aws:kinesis:us-east-2:123456789012:stream/trades',
      }).tradesStream,
    ).toMatchObject({ mode: 'import', streamName: 'trades' });
  });

  test('a certificate in another account than `account`', () => {
    expect(problemsFor({ profile: 'prod', account: '210987654321' })).toEqual([
      `certificateArn = "${PROD_CERT}": is in account 123456789012, not in account 210987654321: a listener uses a certificate of its own account`,
    ]);
  });

  test(`canaryMinutes shorter than the ${ROLLBACK_BUDGET_MINUTES}-minute rollback budget`, () => {
    expect(problemsFor({ canaryMinutes: '3' })).toEqual([
      'canaryMinutes = 3: shorter than the 5-minute rollback budget (the rest of the traffic would move before the rollback alarms decide); expected an integer from 5 to 10',
    ]);
    expect(resolveConfig({ canaryMinutes: '5' }).deployment.canaryMinutes).toBe(5);
  });

  test.each(['latest', 'LATEST', 'stable'])('a mutable image tag such as %s', (tag) => {
    expect(problemsFor({ imageTag: tag })).toEqual([
      `imageTag = "${tag}": a moving tag (it names a different image after every push); expected an immutable version tag such as 2026.11.3 or a digest sha256:<64 hex>`,
    ]);
  });

  test('clientCidr=0.0.0.0/0 is refused before synthesis', () => {
    expect(problemsFor({ clientCidr: '0.0.0.0/0' })).toEqual([
      'clientCidr = "0.0.0.0/0": must not be the whole internet: the load balancer is internal; expected the clients\' network, e.g. 10.40.0.0/16',
    ]);
  });

  test('an unknown key suggests the nearest known one', () => {
    const [problem] = problemsFor({ canaryMinute: '5' });
    expect(problem).toMatch(
      /^canaryMinute = "5": unknown configuration key; did you mean canaryMinutes\? Known keys: /,
    );
    expect(problem).not.toContain('\n');
    expect(nearestKey('vpccidr')).toBe('vpcCidr');
    expect(nearestKey('imagetag')).toBe('imageTag');
  });

  test('cpu=4096 names cpu and the right-sizing limit, not memoryMiB', () => {
    expect(problemsFor({ cpu: '4096' })).toEqual([
      'cpu = 4096: above the right-sized 2048 CPU units (TAP-CAP-5); expected one of 256, 512, 1024, 2048 (scale out with maxTasks instead)',
    ]);
  });
});

describe('derived values are explicit', () => {
  test('burstTasks is max(1, warmTasks), computed by the configuration (not reused from warmTasks by the stack)', () => {
    expect(resolveConfig({ warmTasks: '0' }).capacity.burstTasks).toBe(1);
    expect(resolveConfig({ warmTasks: '3', maxTasks: '8' }).capacity.burstTasks).toBe(3);
  });
});

describe('the subnet check agrees with what the network construct lays out', () => {
  test('subnetsFit aligns each subnet to its size, as CDK does', () => {
    expect(subnetsFit('10.0.0.0/16', CREATED_SUBNET_MASKS, PLATFORM_AZ_COUNT)).toBe(true);
    expect(subnetsFit('10.0.0.0/17', CREATED_SUBNET_MASKS, PLATFORM_AZ_COUNT)).toBe(true);
    expect(subnetsFit('10.0.0.0/18', CREATED_SUBNET_MASKS, PLATFORM_AZ_COUNT)).toBe(false);
    expect(subnetsFit('10.0.0.0/24', [26], 4)).toBe(true);
    expect(subnetsFit('10.0.0.0/24', [26], 5)).toBe(false);
  });

  test('the created VPC has one subnet of each CREATED_SUBNET_MASKS size per AZ, inside the smallest CIDR allowed', () => {
    const template = synthTemplate({ vpcCidr: '10.40.0.0/17' });
    const masks = Object.values(template.findResources('AWS::EC2::Subnet')).map((s: any) =>
      Number(String(s.Properties.CidrBlock).split('/')[1]),
    );
    const expected = CREATED_SUBNET_MASKS.flatMap((m) => Array<number>(PLATFORM_AZ_COUNT).fill(m));
    expect([...masks].sort()).toEqual([...expected].sort());
  });
});
