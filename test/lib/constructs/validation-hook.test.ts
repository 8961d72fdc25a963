import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  VALIDATION_DEFAULTS,
  ValidationHook,
  type ValidationHookProps,
  validationWorstCaseMs,
} from '../../../lib/constructs/validation-hook';
import { BUNDLE_ALL, SKIP_BUNDLING, synthTemplate } from '../../helpers/synth';

// One synth of the real stack for the whole file.
// The bundle is under test here (see 'the bundle is built locally'): bundle as cdk synth does.
const template: Template & { tapApp: ReturnType<typeof synthTemplate>['tapApp'] } = synthTemplate(BUNDLE_ALL);
const { stack } = template.tapApp;
const hook = stack.platform.validationHook;
/** Logical ID of an L2's default child (or of an L1). */
const id = (c: unknown) =>
  stack.getLogicalId(((c as { node: { defaultChild?: unknown } }).node.defaultChild ?? c) as never);
const ref = (c: unknown) => ({ Ref: id(c) });
const arnOf = (c: unknown) => ({ 'Fn::GetAtt': [id(c), 'Arn'] });
const ec2Arn = (resource: string, name: unknown) => ({
  'Fn::Join': [
    '',
    [
      'arn:aws:ec2:us-east-2:',
      { Ref: 'AWS::AccountId' },
      ...(name === '*' ? [`:${resource}/*`] : [`:${resource}/`, name]),
    ],
  ],
});
const appSubnetRefs = stack.network.vpc.privateSubnets.map((s) => ref(s));
const testSg = stack.platform.loadBalancing.testTrafficClientSecurityGroup;
const testSgId = { 'Fn::GetAtt': [id(testSg), 'GroupId'] };

describe('ValidationHook in the platform stack', () => {
  test("the group its role reports on by name is the stack's deployment group, by those names", () => {
    const group = template.toJSON().Resources[id(stack.platform.blueGreen.deploymentGroup)];
    const application = template.toJSON().Resources[id(stack.platform.blueGreen.application)];
    expect({
      group: group.Properties.DeploymentGroupName,
      application: application.Properties.ApplicationName,
      groupApplication: group.Properties.ApplicationName,
    }).toEqual({
      group: 'orderbroker-dev',
      application: 'orderbroker-dev',
      groupApplication: ref(stack.platform.blueGreen.application),
    });
  });

  test('the role allows exactly: its log group, hook status on its deployment group, Lambda VPC networking', () => {
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [ref(hook.role)] } });
    expect(Object.values(policies).map((p) => (p as { Properties: unknown }).Properties)).toEqual([
      {
        PolicyName: expect.any(String),
        Roles: [ref(hook.role)],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              Effect: 'Allow',
              Resource: arnOf(hook.logGroup),
            },
            {
              Sid: 'ReportHookStatusOnThisDeploymentGroup',
              Action: 'codedeploy:PutLifecycleEventHookExecutionStatus',
              Effect: 'Allow',
              Resource: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':codedeploy:us-east-2:',
                    { Ref: 'AWS::AccountId' },
                    // By name, not by reference (the group refers to the hook's Errors alarm): the names of the
                    // stack's application and group, checked below.
                    ':deploymentgroup:orderbroker-dev/orderbroker-dev',
                  ],
                ],
              },
            },
            {
              Sid: 'DescribeNetworkInterfacesNoResourceLevelPermissions',
              Action: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
              Effect: 'Allow',
              Resource: '*',
            },
            {
              Sid: 'CreateNetworkInterfaceInHookSubnets',
              Action: 'ec2:CreateNetworkInterface',
              Effect: 'Allow',
              Resource: [
                ec2Arn('network-interface', '*'),
                ec2Arn('security-group', testSgId),
                ...appSubnetRefs.map((s) => ec2Arn('subnet', s)),
              ],
            },
            {
              Sid: 'ManageNetworkInterfacesOfThisAccount',
              Action: [
                'ec2:AssignPrivateIpAddresses',
                'ec2:DeleteNetworkInterface',
                'ec2:UnassignPrivateIpAddresses',
              ],
              Effect: 'Allow',
              Resource: ec2Arn('network-interface', '*'),
            },
          ],
        },
      },
    ]);
  });

  test('only the Describe actions, which have no resource-level permissions, use Resource "*"', () => {
    const policy = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [ref(hook.role)] } });
    const statements = Object.values(policy).flatMap(
      (p) =>
        (
          p as {
            Properties: {
              PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> };
            };
          }
        ).Properties.PolicyDocument.Statement,
    );
    const star = statements.filter(
      (s) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')),
    );
    expect(star.flatMap((s) => s.Action)).toEqual(['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets']);
    expect(statements.flatMap((s) => s.Action).some((a) => a.includes('*'))).toBe(false);
  });

  test('the role is assumed by Lambda only and has no managed policy', () => {
    const roles = template.findResources('AWS::IAM::Role');
    const role = roles[id(hook.role)] as { Properties: Record<string, unknown> };
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
      ],
    });
  });

  test('its log group is encrypted with the platform logs key, has retention and is retained', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: arnOf(stack.keys.logsKey), RetentionInDays: 30 },
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
    const groups = template.findResources('AWS::Logs::LogGroup');
    expect((groups[id(hook.logGroup)] as { Properties: { KmsKeyId: unknown } }).Properties.KmsKeyId).toEqual(
      arnOf(stack.keys.logsKey),
    );
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'CodeDeployHook_orderbroker-dev-validation',
      LoggingConfig: { LogGroup: ref(hook.logGroup) },
    });
  });

  test('the log group keeps its logical ID (stateful: a rename would replace it and lose the verdicts)', () => {
    expect(id(hook.logGroup)).toBe('PlatformValidationHookLogGroupC6E5DA64');
    expect(Object.keys(template.findResources('AWS::Logs::LogGroup'))).toContain(
      'PlatformValidationHookLogGroupC6E5DA64',
    );
  });

  test('runs Node.js 24 on ARM64 in the app subnets with the test-traffic client group only', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'CodeDeployHook_orderbroker-dev-validation',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 60,
      VpcConfig: { SubnetIds: appSubnetRefs, SecurityGroupIds: [testSgId] },
    });
  });

  test('reserves no concurrency by default: a reservation fails to create in an account with the starting quota of 10', () => {
    const fns = template.findResources('AWS::Lambda::Function', {
      Properties: { FunctionName: 'CodeDeployHook_orderbroker-dev-validation' },
    });
    expect(Object.keys(fns)).toHaveLength(1);
    expect(Object.values(fns)[0].Properties).not.toHaveProperty('ReservedConcurrentExecutions');
  });

  test('is invoked without retries: a retry would report twice on one hook execution', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(hook.function),
      MaximumRetryAttempts: 0,
      Qualifier: '$LATEST',
    });
  });

  test('targets the test listener of the ALB with the default thresholds', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'CodeDeployHook_orderbroker-dev-validation',
      Environment: {
        Variables: {
          TEST_LISTENER_URL: {
            'Fn::Join': [
              '',
              [
                'http://',
                { 'Fn::GetAtt': [id(stack.platform.loadBalancing.loadBalancer), 'DNSName'] },
                ':9090',
              ],
            ],
          },
          HEALTH_PATH: '/actuator/health/readiness',
          ORDER_PATH: '/orders',
          SYNTHETIC_ORDERS: '200',
          WARMUP_ORDERS: '20',
          CONCURRENCY: '10',
          REQUEST_TIMEOUT_MS: '2000',
          MAX_P99_LATENCY_MS: '250',
          MIN_SUCCESS_PERCENT: '100',
          REPORT_MARGIN_MS: '10000',
        },
      },
    });
  });

  test('the test-traffic group reaches only the test listener and CodeDeploy endpoint', () => {
    const egress = template.findResources('AWS::EC2::SecurityGroupEgress', {
      Properties: { GroupId: testSgId },
    });
    const rules = Object.values(egress).map((r) => {
      const p = (r as { Properties: Record<string, unknown> }).Properties;
      return [p.FromPort, p.ToPort, p.DestinationSecurityGroupId];
    });
    expect(rules).toHaveLength(2);
    expect(rules.find((r) => r[0] === 9090)?.[2]).toEqual({
      'Fn::GetAtt': [id(stack.platform.loadBalancing.loadBalancer.connections.securityGroups[0]), 'GroupId'],
    });
    expect(rules.map((r) => r[0]).sort()).toEqual([443, 9090]);
    const endpointSg = (hook.codeDeployEndpoint as ec2.InterfaceVpcEndpoint).connections.securityGroups[0];
    expect(rules.find((r) => r[0] === 443)?.[2]).toEqual({ 'Fn::GetAtt': [id(endpointSg), 'GroupId'] });
    // No inline egress either (allowAllOutbound is false and the rules above are the only ones).
    const groups = template.findResources('AWS::EC2::SecurityGroup');
    expect(
      (groups[id(testSg)] as { Properties: { SecurityGroupEgress?: unknown } }).Properties
        .SecurityGroupEgress,
    ).toBeUndefined();
  });

  test('the CodeDeploy endpoint is private-DNS and admits HTTPS from the test-traffic group only', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: 'com.amazonaws.us-east-2.codedeploy',
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: true,
      SubnetIds: appSubnetRefs,
    });
    const endpointSg = (hook.codeDeployEndpoint as ec2.InterfaceVpcEndpoint).connections.securityGroups[0];
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [id(endpointSg), 'GroupId'] },
      SourceSecurityGroupId: testSgId,
      FromPort: 443,
      ToPort: 443,
      IpProtocol: 'tcp',
    });
    const ingress = template.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: { GroupId: { 'Fn::GetAtt': [id(endpointSg), 'GroupId'] } },
    });
    expect(Object.keys(ingress)).toHaveLength(1);
    const groups = template.findResources('AWS::EC2::SecurityGroup');
    expect(
      (groups[id(endpointSg)] as { Properties: { SecurityGroupIngress?: unknown } }).Properties
        .SecurityGroupIngress,
    ).toBeUndefined();
  });

  test('CodeDeploy may invoke exactly this function', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [ref(stack.platform.blueGreen.deploymentGroup.role)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'InvokeValidationHook',
            Action: 'lambda:InvokeFunction',
            Effect: 'Allow',
            Resource: arnOf(hook.function),
          },
        ]),
      },
    });
  });

  test('ErrorsAlarm (the rollback alarm) counts errors and throttles, a missing datapoint as 0, and notifies on ALARM and OK', () => {
    const topic = ref(stack.platform.observability.topic);
    const alarm = template.toJSON().Resources[id(hook.node.findChild('ErrorsAlarm'))].Properties;
    const metric = (name: string) => ({
      Namespace: 'AWS/Lambda',
      MetricName: name,
      Dimensions: [{ Name: 'FunctionName', Value: ref(hook.function) }],
    });
    expect(alarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
    });
    expect(alarm.Metrics).toEqual([
      {
        Id: 'expr_1',
        Expression: 'FILL(errors, 0) + FILL(throttles, 0)',
        Label: 'Validation hook errors + throttles',
        ReturnData: true,
      },
      { Id: 'errors', MetricStat: { Metric: metric('Errors'), Period: 60, Stat: 'Sum' }, ReturnData: false },
      {
        Id: 'throttles',
        MetricStat: { Metric: metric('Throttles'), Period: 60, Stat: 'Sum' },
        ReturnData: false,
      },
    ]);
  });

  test.each([
    ['ThrottlesAlarm', 'Throttles', 'Sum', 1],
    ['DurationAlarm', 'Duration', 'Maximum', 48000],
  ])('%s notifies the SRE topic on ALARM and OK', (alarmId, metricName, statistic, threshold) => {
    const topic = ref(stack.platform.observability.topic);
    const alarm = hook.node.findChild(alarmId);
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    expect((alarms[id(alarm)] as { Properties: unknown }).Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: metricName,
      Statistic: statistic,
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      Dimensions: [{ Name: 'FunctionName', Value: ref(hook.function) }],
      AlarmActions: [topic],
      OKActions: [topic],
    });
  });

  test('outputs the function name and ARN; the timeout is read from the template through the name', () => {
    const outputs = template.findOutputs('*');
    expect(outputs.ValidationHookFunctionName.Value).toEqual(ref(hook.function));
    expect(outputs.ValidationHookFunctionArn.Value).toEqual(arnOf(hook.function));
    const logicalId = (outputs.ValidationHookFunctionName.Value as { Ref: string }).Ref;
    const fn = template.findResources('AWS::Lambda::Function')[logicalId] as {
      Properties: { Timeout: number };
    };
    expect(fn.Properties.Timeout).toBe(60);
  });

  test('outputs what the AppSpec must carry: capacity-provider strategy and task networking', () => {
    const outputs = template.findOutputs('*');
    expect(JSON.parse(outputs.CapacityProviderStrategy.Value as string)).toEqual([
      { capacityProvider: 'FARGATE', weight: 1 },
    ]);
    expect(outputs.TaskSubnetIds.Value).toEqual({
      'Fn::Join': ['', [appSubnetRefs[0], ',', appSubnetRefs[1], ',', appSubnetRefs[2]]],
    });
    expect(outputs.TaskSecurityGroupIds.Value).toEqual({
      'Fn::GetAtt': [id(stack.platform.orderBroker.securityGroup), 'GroupId'],
    });
    expect(outputs.PreOpenTasks.Value).toBe('4');
  });

  test('the bundle is built locally and leaves the AWS SDK to the runtime', () => {
    const fn = template.findResources('AWS::Lambda::Function')[id(hook.function)] as {
      Properties: { Code: { S3Key: string } };
    };
    const assetDir = path.join(
      template.tapApp.app.outdir,
      `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`,
    );
    const bundle = fs.readFileSync(path.join(assetDir, 'index.js'), 'utf8');
    expect(bundle).toContain('require("@aws-sdk/client-codedeploy")');
    expect(bundle).not.toMatch(/class PutLifecycleEventHookExecutionStatusCommand/);
    expect(bundle).toContain('"x-synthetic-order"');
    expect(fs.readdirSync(assetDir)).toEqual(['index.js']);
  });
});

describe('ValidationHook props are checked at construction', () => {
  function fixture(overrides: Partial<ValidationHookProps>): () => ValidationHook {
    return () => {
      // The props are under test, not the bundle: no esbuild run per fixture.
      const stack = new Stack(new App({ context: SKIP_BUNDLING }), 'Fixture', {
        env: { account: '111111111111', region: 'us-east-2' },
      });
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
      return new ValidationHook(stack, 'Hook', {
        vpc,
        subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        testTrafficClientSecurityGroup: new ec2.SecurityGroup(stack, 'Sg', { vpc }),
        loadBalancer: elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'Alb', {
          loadBalancerArn:
            'arn:aws:elasticloadbalancing:us-east-2:111111111111:loadbalancer/app/ob/0123456789abcdef',
          securityGroupId: 'sg-0123456789abcdef0',
          loadBalancerDnsName: 'internal-ob-1.us-east-2.elb.amazonaws.com',
        }),
        testListenerPort: 9090,
        testListenerProtocol: elbv2.ApplicationProtocol.HTTP,
        deploymentGroup: codedeploy.EcsDeploymentGroup.fromEcsDeploymentGroupAttributes(stack, 'Dg', {
          application: codedeploy.EcsApplication.fromEcsApplicationName(stack, 'App', 'ob'),
          deploymentGroupName: 'ob',
        }),
        deploymentRole: iam.Role.fromRoleName(stack, 'DeployRole', 'codedeploy-ob'),
        healthCheckPath: '/health',
        logsKey: new kms.Key(stack, 'Key'),
        logRetention: logs.RetentionDays.ONE_MONTH,
        alarmAction: new cwActions.SnsAction(new sns.Topic(stack, 'Topic')),
        namePrefix: 'ob',
        ...overrides,
      });
    };
  }

  test('rejects a timeout shorter than the worst case of the validation', () => {
    expect(fixture({ timeout: Duration.seconds(30) })).toThrow(
      'ValidationHook: timeout = 30 s: the worst case of the validation is 56 s ((1 + ceil(warmupOrders / concurrency) + ceil(orders / concurrency)) x requestTimeout + 10 s report margin); raise timeout (at most 900 s) or concurrency, or lower orders, warmupOrders or requestTimeout',
    );
  });

  test('accepts a timeout equal to the worst case; the defaults fit the 60 s default timeout the plan reads', () => {
    // (1 probe + ceil(20 / 10) warm-up + ceil(200 / 10) judged rounds) x 2 s + 10 s margin = 56 s.
    expect(
      validationWorstCaseMs({ orders: 200, warmupOrders: 20, concurrency: 10, requestTimeoutMs: 2000 }),
    ).toBe(56000);
    expect(fixture({ timeout: Duration.seconds(56) })).not.toThrow();
    expect(fixture({ timeout: Duration.seconds(55) })).toThrow('the worst case of the validation is 56 s');
    expect(VALIDATION_DEFAULTS.timeoutSeconds * 1000).toBeGreaterThanOrEqual(
      validationWorstCaseMs({
        orders: VALIDATION_DEFAULTS.orders,
        warmupOrders: VALIDATION_DEFAULTS.warmupOrders,
        concurrency: VALIDATION_DEFAULTS.concurrency,
        requestTimeoutMs: VALIDATION_DEFAULTS.requestTimeoutMs,
      }),
    );
  });

  test('refuses 100 or fewer judged orders: the nearest-rank p99 would be the slowest one', () => {
    expect(fixture({ thresholds: { orders: 100 } })).toThrow(
      'ValidationHook: thresholds.orders = 100: expected an integer from 101 to 1000 (with 100 or fewer, the nearest-rank p99 is the slowest single order)',
    );
    expect(fixture({ thresholds: { orders: 101 } })).not.toThrow();
  });

  test('refuses a warm-up outside 0..200', () => {
    expect(fixture({ thresholds: { warmupOrders: -1 } })).toThrow(
      'ValidationHook: thresholds.warmupOrders = -1: expected an integer from 0 to 200',
    );
  });

  test('rejects a p99 threshold at or above the request timeout', () => {
    expect(fixture({ thresholds: { maxP99Latency: Duration.seconds(2) } })).toThrow(
      'ValidationHook: thresholds.maxP99Latency = 2000 ms: expected at least 1 ms and below requestTimeout (2000 ms)',
    );
  });

  test('rejects a success threshold above 100%', () => {
    expect(fixture({ thresholds: { minSuccessPercent: 101 } })).toThrow(
      'ValidationHook: thresholds.minSuccessPercent = 101: expected 0 to 100',
    );
  });

  test('reserves concurrency only when opted in', () => {
    const hook = fixture({ reservedConcurrency: 2 })();
    const functions = Template.fromStack(Stack.of(hook)).findResources('AWS::Lambda::Function', {
      Properties: { FunctionName: 'CodeDeployHook_ob-validation' },
    });
    expect(Object.values(functions).map((f) => f.Properties.ReservedConcurrentExecutions)).toEqual([2]);
  });

  test('rejects a reserved concurrency of 0 (the hook could never run)', () => {
    expect(fixture({ reservedConcurrency: 0 })).toThrow(
      'ValidationHook: reservedConcurrency = 0: expected an integer from 1 to 10',
    );
  });
});
