import { ConfigError, resolveConfig } from '../../../lib/config/resolve-config';
import { fargateMemoryOptions } from '../../../lib/config/fargate';
import { CONFIG_KEY_NAMES } from '../../../lib/config/keys';
import { PROFILES } from '../../../lib/config/profiles';
import { IMPORTED_ALL } from '../../helpers/imports';

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

describe('profiles', () => {
  test('dev is the default profile and needs no AWS account', () => {
    const config = resolveConfig({});
    expect(config.profile).toBe('dev');
    expect(config.stackName).toBe('OrderBroker-dev');
    expect(config.env).toEqual({ account: undefined, region: 'us-east-2' });
  });

  test('prod carries an account and a TLS certificate', () => {
    const config = resolveConfig({ profile: 'prod' });
    expect(config.env.account).toMatch(/^\d{12}$/);
    expect(config.loadBalancing.certificateArn).toMatch(/^arn:aws:acm:us-east-2:/);
  });

  test.each(Object.keys(PROFILES))(
    'profile %s is right-sized to 2048 CPU units with a valid Fargate memory size',
    (profile) => {
      const config = resolveConfig({ profile });
      expect(config.service.cpu).toBe(2048);
      expect(fargateMemoryOptions(2048)).toContain(config.service.memoryMiB);
    },
  );

  test('the warm floor is floor tasks plus warm tasks', () => {
    const config = resolveConfig({
      floorTasks: '3',
      warmTasks: '2',
      maxTasks: '20',
      preOpenTasks: '10',
      preCloseTasks: '10',
    });
    expect(config.capacity.warmFloor).toBe(5);
  });

  test('every key a profile sets is a documented configuration key', () => {
    for (const profile of Object.values(PROFILES)) {
      for (const key of Object.keys(profile)) expect(CONFIG_KEY_NAMES).toContain(key);
    }
  });
});

describe('overrides with -c key=value', () => {
  test('string values from the command line become typed values', () => {
    const config = resolveConfig({
      architecture: 'X86_64',
      warmTasks: '3',
      preOpenTime: '09:05',
      alarmEmail: 'sre@example.com',
      costCenter: 'CC-123456',
    });
    expect(config.service.architecture).toBe('X86_64');
    expect(config.capacity.warmTasks).toBe(3);
    expect(config.schedule.preOpen).toEqual({ hour: 9, minute: 5 });
    expect(config.alerting.email).toBe('sre@example.com');
    expect(config.tags.costCenter).toBe('CC-123456');
  });

  test('feature flags and CLI context keys are not configuration', () => {
    expect(() =>
      resolveConfig({
        '@aws-cdk/core:validateAgainstDefaultRules': true,
        'aws:cdk:enable-path-metadata': true,
      }),
    ).not.toThrow();
  });

  test('an imported VPC, stream and database replace the created ones', () => {
    const config = resolveConfig(IMPORTED_ALL);
    expect(config.network.mode).toBe('import');
    expect(config.tradesStream).toEqual({ mode: 'import', streamName: 'trades', keyArn: undefined });
    expect(config.ordersDatabase.mode).toBe('import');
  });
});

describe('configuration errors name the key, the value and what is allowed', () => {
  test('an unknown profile', () => {
    expect(() => resolveConfig({ profile: 'staging' })).toThrow(
      'profile = "staging": expected one of dev, prod',
    );
  });

  test('a region other than us-east-2', () => {
    expect(problemsFor({ region: 'us-east-1' })).toEqual(['region = "us-east-1": expected one of us-east-2']);
  });

  test('a missing CostCenter', () => {
    expect(problemsFor({ costCenter: '' })).toEqual([
      'costCenter is not set: required; expected "CC-" followed by 4 to 6 digits, e.g. CC-4100',
    ]);
  });

  test('a malformed CostCenter', () => {
    expect(problemsFor({ costCenter: 'finance' })).toEqual([
      'costCenter = "finance": expected "CC-" followed by 4 to 6 digits, e.g. CC-4100',
    ]);
  });

  test('a CPU/memory pair Fargate does not offer', () => {
    expect(problemsFor({ cpu: '2048', memoryMiB: '2048' })).toEqual([
      'memoryMiB = 2048: Fargate does not offer cpu 2048 with 2048 MiB; with cpu 2048, memoryMiB must be 4096..16384 in steps of 1024',
    ]);
  });

  test('a CPU value Fargate does not offer', () => {
    expect(problemsFor({ cpu: '3000' })).toEqual([
      'cpu = "3000": expected one of 256, 512, 1024, 2048, 4096, 8192, 16384',
    ]);
  });

  test('a minimum above the maximum', () => {
    expect(
      problemsFor({ floorTasks: '6', warmTasks: '4', maxTasks: '8', preOpenTasks: '8', preCloseTasks: '8' }),
    ).toEqual([
      'maxTasks = 8: must be >= floorTasks + warmTasks (6 + 4 = 10): the minimum is above the maximum',
      'preOpenTasks = 8: must be between floorTasks + warmTasks (10) and maxTasks (8)',
      'preCloseTasks = 8: must be between floorTasks + warmTasks (10) and maxTasks (8)',
    ]);
  });

  test('warm tasks below zero', () => {
    expect(problemsFor({ warmTasks: '-1' })).toEqual(['warmTasks = "-1": expected an integer from 0 to 500']);
  });

  test('a schedule time that is not HH:MM', () => {
    expect(problemsFor({ preOpenTime: '9:10am' })).toEqual([
      'preOpenTime = "9:10am": expected HH:MM (24-hour, America/New_York), e.g. 09:10',
    ]);
  });

  test('a pre-open time too close to the bell', () => {
    expect(problemsFor({ preOpenTime: '09:25' })).toEqual([
      'preOpenTime = "09:25": must be at or before 09:20 so capacity is serving before the 09:30 open',
    ]);
  });

  test('a malformed e-mail', () => {
    expect(problemsFor({ alarmEmail: 'sre-at-example' })).toEqual([
      'alarmEmail = "sre-at-example": expected an e-mail address such as sre@example.com',
    ]);
  });

  test('a malformed ARN', () => {
    expect(
      problemsFor({
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
        serviceHostname: 'ob.example.com',
      }),
    ).toEqual([
      'certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/abc": expected an ACM certificate ARN in us-east-2 (arn:<partition>:acm:us-east-2:<account>:certificate/<uuid>)',
    ]);
  });

  test('prod without a TLS certificate', () => {
    expect(problemsFor({ profile: 'prod', certificateArn: '' })).toEqual([
      'certificateArn is not set: required in prod (HTTPS production listener); expected an ACM certificate ARN in us-east-2 (arn:<partition>:acm:us-east-2:<account>:certificate/<uuid>)',
    ]);
  });

  test('a certificate without the host name it is for', () => {
    expect(problemsFor({ profile: 'prod', serviceHostname: '' })).toEqual([
      'serviceHostname is not set: required with certificateArn (the name on the certificate); expected a DNS host name',
    ]);
  });

  test('an architecture that is neither ARM64 nor X86_64', () => {
    expect(problemsFor({ architecture: 'arm' })).toEqual([
      'architecture = "arm": expected one of ARM64, X86_64',
    ]);
  });

  test('an imported VPC without its subnets', () => {
    expect(problemsFor({ vpcId: 'vpc-0123456789abcdef0' })).toEqual([
      'availabilityZones is not set: expected 3 comma-separated values, each us-east-2a, us-east-2b or us-east-2c',
      'privateSubnetIds is not set: expected 3 comma-separated values, each subnet- followed by 8 or 17 hex digits',
      'isolatedSubnetIds is not set: expected 3 comma-separated values, each subnet- followed by 8 or 17 hex digits',
    ]);
  });

  test('a misspelt key', () => {
    expect(problemsFor({ warmTask: '3' })[0]).toMatch(
      /^warmTask = "3": unknown configuration key; did you mean warmTasks\? Known keys: profile, region, /,
    );
  });

  test('every problem is reported at once, with how to fix it', () => {
    let message = '';
    try {
      resolveConfig({ region: 'eu-west-1', warmTasks: '-2' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(
      [
        'Invalid OrderBroker configuration (profile "dev"):',
        '  - region = "eu-west-1": expected one of us-east-2',
        '  - warmTasks = "-2": expected an integer from 0 to 500',
        'Fix the value in lib/config/profiles.ts or override it with -c <key>=<value>.',
      ].join('\n'),
    );
  });
});
