import * as path from 'path';
import { Aws, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { notifyOnAlarmAndOk } from './alarm-actions';
import { HOOK_ENV } from '../../lambda/validation-hook/settings';

/** Entry of the hook's handler. */
export const VALIDATION_HOOK_ENTRY = path.join(
  __dirname,
  '..',
  '..',
  'lambda',
  'validation-hook',
  'index.ts',
);

/** Thresholds green must meet on the test listener before any production traffic moves. */
export interface ValidationThresholds {
  /**
   * Synthetic orders sent through the test listener and judged. More than 100, so that the nearest-rank p99 is
   * not the single slowest order (at 200 it is the third slowest).
   *
   * @default 200
   */
  readonly orders?: number;
  /**
   * Synthetic orders sent first over the same keep-alive connections and left out of the verdict: the first
   * requests to a JVM that has just started are slow (class loading, JIT) whatever the version.
   *
   * @default 20
   */
  readonly warmupOrders?: number;
  /**
   * Orders in flight at once (and keep-alive connections to the test listener).
   *
   * @default 10
   */
  readonly concurrency?: number;
  /**
   * A request without a complete response after this long counts as failed.
   *
   * @default Duration.seconds(2)
   */
  readonly requestTimeout?: Duration;
  /**
   * Highest acceptable p99 latency of acknowledged orders (the production p99 alarm is 250 ms).
   *
   * @default Duration.millis(250)
   */
  readonly maxP99Latency?: Duration;
  /**
   * Lowest acceptable share of acknowledged orders, in percent. A trading service must acknowledge every one.
   *
   * @default 100
   */
  readonly minSuccessPercent?: number;
}

/** Properties of {@link ValidationHook}. */
export interface ValidationHookProps {
  readonly vpc: ec2.IVpc;
  /** Subnets the function runs in (the app subnets, next to the ALB). */
  readonly subnets: ec2.SubnetSelection;
  /** The only group the test listener admits (`OrderBrokerLoadBalancing.testTrafficClientSecurityGroup`). */
  readonly testTrafficClientSecurityGroup: ec2.ISecurityGroup;
  /** The ALB whose test listener serves the green task set. */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** Port of the test listener. */
  readonly testListenerPort: number;
  /** Protocol of the test listener (HTTPS when the ALB has a certificate). */
  readonly testListenerProtocol: elbv2.ApplicationProtocol;
  /**
   * Name the test listener's certificate must match, when it is not the ALB's DNS name.
   *
   * @default - the ALB's DNS name
   */
  readonly tlsServerName?: string;
  /** The deployment group whose lifecycle events this hook reports on (the role is scoped to it). */
  readonly deploymentGroup: codedeploy.IEcsDeploymentGroup;
  /** CodeDeploy's service role of that deployment group: it is allowed to invoke this function. */
  readonly deploymentRole: iam.IRole;
  /** Readiness path of the service. */
  readonly healthCheckPath: string;
  /**
   * Path synthetic orders are posted to.
   *
   * @default '/orders'
   */
  readonly orderPath?: string;
  /**
   * Thresholds of the validation.
   *
   * @default - see {@link ValidationThresholds}
   */
  readonly thresholds?: ValidationThresholds;
  /**
   * Function timeout. Must cover the worst case of the validation plus the reporting margin; checked at
   * construction.
   *
   * @default Duration.seconds(60)
   */
  readonly timeout?: Duration;
  /**
   * Reserved concurrency (opt-in). Off by default: Lambda refuses a reservation that would leave the account
   * fewer than 10 unreserved executions, and a fresh account starts with a quota of 10, so a default
   * reservation fails the first create. Set it (e.g. 2: one deployment plus an overlapping rollback) only in
   * accounts whose quota leaves room.
   *
   * @default - no reservation (the function draws from the account's unreserved pool)
   */
  readonly reservedConcurrency?: number;
  /**
   * The CodeDeploy interface endpoint the function reports through (the test-traffic group has no other
   * egress than the test listener). Pass the existing one of an imported VPC that already has it with private DNS.
   *
   * @default - an interface endpoint in `subnets`, open on 443 to the test-traffic group only
   */
  readonly codeDeployEndpoint?: ec2.IInterfaceVpcEndpoint;
  /** Key of the function's log group (the platform logs key). */
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** Where every alarm of this construct notifies (the SRE topic). */
  readonly alarmAction: cloudwatch.IAlarmAction;
  /** Name prefix of the function, e.g. `orderbroker-dev`. */
  readonly namePrefix: string;
}

/** Defaults of {@link ValidationThresholds}. */
export const VALIDATION_DEFAULTS = {
  orders: 200,
  warmupOrders: 20,
  concurrency: 10,
  requestTimeoutMs: 2000,
  maxP99LatencyMs: 250,
  minSuccessPercent: 100,
  timeoutSeconds: 60,
  /** Sending stops this long before the function times out, so the verdict is always reported. */
  reportMarginMs: 10000,
} as const;

/** Fewest judged orders: above 100, the nearest-rank p99 is not the maximum (ceil(0.99 x n) < n). */
export const MIN_JUDGED_ORDERS = 101;

/** Name prefix CodeDeploy's managed ECS policy allows to invoke. */
export const HOOK_FUNCTION_PREFIX = 'CodeDeployHook_';

/** The duration alarm fires when an invocation takes this share of the timeout. */
export const DURATION_ALARM_SHARE = 0.8;

/**
 * The CodeDeploy `AfterAllowTestTraffic` hook of the OrderBroker deployment group: a Lambda function in the
 * app subnets, in the only security group the test listener (9090) admits, that sends synthetic orders to the
 * green task set and reports `Succeeded` or `Failed` before any production traffic moves.
 *
 * Least privilege: its role may report hook status on this deployment group only, write to its own
 * KMS-encrypted log group, and manage the network interfaces Lambda needs in the VPC (the two EC2 Describe
 * actions are the only `Resource: *`: they support no resource-level permissions). Errors, throttles and
 * durations near the timeout alarm to the SRE topic.
 */
export class ValidationHook extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  /** Where the function reaches CodeDeploy from inside the VPC. */
  public readonly codeDeployEndpoint: ec2.IInterfaceVpcEndpoint;
  public readonly errorsAlarm: cloudwatch.Alarm;
  public readonly throttlesAlarm: cloudwatch.Alarm;
  public readonly durationAlarm: cloudwatch.Alarm;
  /** The function's timeout. */
  public readonly timeout: Duration;
  private readonly alarmAction: cloudwatch.IAlarmAction;

  constructor(scope: Construct, id: string, props: ValidationHookProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.alarmAction = props.alarmAction;
    const t = props.thresholds ?? {};
    const orders = t.orders ?? VALIDATION_DEFAULTS.orders;
    const warmupOrders = t.warmupOrders ?? VALIDATION_DEFAULTS.warmupOrders;
    const concurrency = t.concurrency ?? VALIDATION_DEFAULTS.concurrency;
    const requestTimeoutMs = t.requestTimeout?.toMilliseconds() ?? VALIDATION_DEFAULTS.requestTimeoutMs;
    const maxP99LatencyMs = t.maxP99Latency?.toMilliseconds() ?? VALIDATION_DEFAULTS.maxP99LatencyMs;
    const minSuccessPercent = t.minSuccessPercent ?? VALIDATION_DEFAULTS.minSuccessPercent;
    this.timeout = props.timeout ?? Duration.seconds(VALIDATION_DEFAULTS.timeoutSeconds);
    const reservedConcurrency = props.reservedConcurrency;
    validateProps({
      orders,
      warmupOrders,
      concurrency,
      requestTimeoutMs,
      maxP99LatencyMs,
      minSuccessPercent,
      timeoutMs: this.timeout.toMilliseconds(),
      reservedConcurrency,
    });

    // The hook's only egress besides the test listener: HTTPS to CodeDeploy through a private endpoint
    // (no route to the internet needed, nothing else reachable).
    this.codeDeployEndpoint =
      props.codeDeployEndpoint ??
      new ec2.InterfaceVpcEndpoint(this, 'CodeDeployEndpoint', {
        vpc: props.vpc,
        service: ec2.InterfaceVpcEndpointAwsService.CODEDEPLOY,
        subnets: props.subnets,
        privateDnsEnabled: true,
        open: false,
        // An endpoint opens no connection: its group has no egress (TAP-NET-5, tap_network_egress_allow_list).
        securityGroups: [
          new ec2.SecurityGroup(this, 'CodeDeployEndpointSecurityGroup', {
            vpc: props.vpc,
            description: 'OrderBroker CodeDeploy interface endpoint: HTTPS from the validation hook only',
            allowAllOutbound: false,
          }),
        ],
      });
    props.testTrafficClientSecurityGroup.connections.allowTo(
      this.codeDeployEndpoint,
      ec2.Port.tcp(443),
      'Validation hook: report to CodeDeploy',
    );

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    this.role = new iam.Role(this, 'Role', {
      description: 'OrderBroker validation hook: report hook status on one deployment group, write its logs.',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    this.logGroup.grantWrite(this.role);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReportHookStatusOnThisDeploymentGroup',
        actions: ['codedeploy:PutLifecycleEventHookExecutionStatus'],
        resources: [props.deploymentGroup.deploymentGroupArn],
      }),
    );
    this.addVpcNetworkingStatements(stack, props);

    const base = `${props.testListenerProtocol.toLowerCase()}://${props.loadBalancer.loadBalancerDnsName}:${props.testListenerPort}`;
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      // AWSCodeDeployRoleForECS may invoke `CodeDeployHook_*` functions; the explicit grant below does not
      // depend on that managed policy staying attached.
      functionName: `${HOOK_FUNCTION_PREFIX}${props.namePrefix}-validation`,
      description: 'CodeDeploy AfterAllowTestTraffic: synthetic orders to green through the test listener',
      entry: VALIDATION_HOOK_ENTRY,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: this.timeout,
      reservedConcurrentExecutions: reservedConcurrency,
      // CodeDeploy invokes asynchronously; a retry would report twice on one hook execution. A crash is
      // caught by the Errors alarm instead, a rollback alarm of the deployment group.
      retryAttempts: 0,
      role: this.role,
      logGroup: this.logGroup,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [props.testTrafficClientSecurityGroup],
      allowPublicSubnet: false,
      environment: {
        [HOOK_ENV.testListenerUrl]: base,
        ...(props.tlsServerName ? { [HOOK_ENV.tlsServerName]: props.tlsServerName } : {}),
        [HOOK_ENV.healthPath]: props.healthCheckPath,
        [HOOK_ENV.orderPath]: props.orderPath ?? '/orders',
        [HOOK_ENV.orders]: String(orders),
        [HOOK_ENV.warmupOrders]: String(warmupOrders),
        [HOOK_ENV.concurrency]: String(concurrency),
        [HOOK_ENV.requestTimeoutMs]: String(requestTimeoutMs),
        [HOOK_ENV.maxP99LatencyMs]: String(maxP99LatencyMs),
        [HOOK_ENV.minSuccessPercent]: String(minSuccessPercent),
        [HOOK_ENV.reportMarginMs]: String(VALIDATION_DEFAULTS.reportMarginMs),
      },
      bundling: {
        // Local esbuild (a pinned devDependency): no Docker, no network. Unminified and without source maps
        // to keep every synth fast; the handler is small and readable in the console as it is.
        forceDockerBundling: false,
        // esbuild's per-bundle size summary is noise in every synth; its warnings and errors still print.
        logLevel: nodejs.LogLevel.WARNING,
        minify: false,
        sourceMap: false,
        target: 'node24',
        format: nodejs.OutputFormat.CJS,
        // The Node.js 24 runtime ships the AWS SDK v3.
        externalModules: ['@aws-sdk/*', '@smithy/*'],
      },
    });
    // The ENI statements must exist before Lambda validates the VPC configuration.
    this.function.node.addDependency(this.role);
    props.deploymentRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeValidationHook',
        actions: ['lambda:InvokeFunction'],
        resources: [this.function.functionArn],
      }),
    );

    // Errors and throttles together: a throttled hook does not run either, and this is the rollback alarm (the
    // deployment group has room for one: CodeDeploy's limit is 10). FILL: no invocation is 0, not missing data.
    this.errorsAlarm = this.alarm('ErrorsAlarm', {
      alarmDescription:
        'Validation hook crashed, timed out or was throttled without reporting: this is a rollback alarm of the deployment group, so CodeDeploy stops the deployment and rolls it back.',
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(errors, 0) + FILL(throttles, 0)',
        usingMetrics: {
          errors: this.function.metricErrors({
            period: Duration.minutes(1),
            statistic: cloudwatch.Stats.SUM,
          }),
          throttles: this.function.metricThrottles({
            period: Duration.minutes(1),
            statistic: cloudwatch.Stats.SUM,
          }),
        },
        period: Duration.minutes(1),
        label: 'Validation hook errors + throttles',
      }),
      threshold: 1,
    });
    this.throttlesAlarm = this.alarm('ThrottlesAlarm', {
      alarmDescription:
        'Validation hook throttled (account concurrency or the opt-in reservation exhausted): a deployment hook did not run.',
      metric: this.function.metricThrottles({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
    });
    this.durationAlarm = this.alarm('DurationAlarm', {
      alarmDescription: `Validation hook ran for ${DURATION_ALARM_SHARE * 100}% of its timeout: green is slow or the timeout is too short.`,
      metric: this.function.metricDuration({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: Math.floor(this.timeout.toMilliseconds() * DURATION_ALARM_SHARE),
    });
  }

  /**
   * The network-interface permissions of AWSLambdaVPCAccessExecutionRole, as inline statements scoped as far
   * as EC2 allows: Describe* has no resource-level permissions (`*` is required); creating an interface is
   * limited to the hook's subnets and security group; the rest to network interfaces of this account and region.
   */
  private addVpcNetworkingStatements(stack: Stack, props: ValidationHookProps): void {
    // The account as a pseudo-parameter even when the stack's account is known: the wildcard ARN then reads the
    // same in every profile, so its one acknowledgement in the compliance register covers them all.
    const ec2Arn = (resource: string, resourceName: string) =>
      stack.formatArn({ service: 'ec2', resource, resourceName, account: Aws.ACCOUNT_ID });
    const subnetIds = props.vpc.selectSubnets(props.subnets).subnetIds;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeNetworkInterfacesNoResourceLevelPermissions',
        actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
        resources: ['*'],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CreateNetworkInterfaceInHookSubnets',
        actions: ['ec2:CreateNetworkInterface'],
        resources: [
          ec2Arn('network-interface', '*'),
          ...subnetIds.map((subnetId) => ec2Arn('subnet', subnetId)),
          ec2Arn('security-group', props.testTrafficClientSecurityGroup.securityGroupId),
        ],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ManageNetworkInterfacesOfThisAccount',
        actions: [
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: [ec2Arn('network-interface', '*')],
      }),
    );
  }

  private alarm(id: string, props: Omit<cloudwatch.AlarmProps, 'comparisonOperator' | 'evaluationPeriods'>) {
    const alarm = new cloudwatch.Alarm(this, id, {
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // The hook runs a few times a day; no invocation is healthy, not missing.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...props,
    });
    return notifyOnAlarmAndOk(alarm, this.alarmAction);
  }
}

/** Checks the validation settings at construction; the message names the prop and the fix. */
function validateProps(v: {
  orders: number;
  warmupOrders: number;
  concurrency: number;
  requestTimeoutMs: number;
  maxP99LatencyMs: number;
  minSuccessPercent: number;
  timeoutMs: number;
  reservedConcurrency?: number;
}): void {
  const check = (ok: boolean, message: string) => {
    if (!ok) throw new Error(`ValidationHook: ${message}`);
  };
  const int = (n: number) => Token.isUnresolved(n) || Number.isInteger(n);
  check(
    int(v.orders) && v.orders >= MIN_JUDGED_ORDERS && v.orders <= 1000,
    `thresholds.orders = ${v.orders}: expected an integer from ${MIN_JUDGED_ORDERS} to 1000 (with 100 or fewer, the nearest-rank p99 is the slowest single order)`,
  );
  check(
    int(v.warmupOrders) && v.warmupOrders >= 0 && v.warmupOrders <= 200,
    `thresholds.warmupOrders = ${v.warmupOrders}: expected an integer from 0 to 200`,
  );
  check(
    int(v.concurrency) && v.concurrency >= 1 && v.concurrency <= 50,
    `thresholds.concurrency = ${v.concurrency}: expected an integer from 1 to 50`,
  );
  check(
    v.requestTimeoutMs >= 100 && v.requestTimeoutMs <= 30000,
    `thresholds.requestTimeout = ${v.requestTimeoutMs} ms: expected 100 ms to 30 s`,
  );
  check(
    v.maxP99LatencyMs >= 1 && v.maxP99LatencyMs < v.requestTimeoutMs,
    `thresholds.maxP99Latency = ${v.maxP99LatencyMs} ms: expected at least 1 ms and below requestTimeout (${v.requestTimeoutMs} ms)`,
  );
  check(
    v.minSuccessPercent >= 0 && v.minSuccessPercent <= 100,
    `thresholds.minSuccessPercent = ${v.minSuccessPercent}: expected 0 to 100`,
  );
  check(
    v.reservedConcurrency === undefined ||
      (int(v.reservedConcurrency) && v.reservedConcurrency >= 1 && v.reservedConcurrency <= 10),
    `reservedConcurrency = ${v.reservedConcurrency}: expected an integer from 1 to 10`,
  );
  const worstCaseMs = validationWorstCaseMs(v);
  check(
    v.timeoutMs >= worstCaseMs && v.timeoutMs <= 900000,
    `timeout = ${v.timeoutMs / 1000} s: the worst case of the validation is ${worstCaseMs / 1000} s ` +
      `((1 + ceil(warmupOrders / concurrency) + ceil(orders / concurrency)) x requestTimeout + ${VALIDATION_DEFAULTS.reportMarginMs / 1000} s report margin); ` +
      'raise timeout (at most 900 s) or concurrency, or lower orders, warmupOrders or requestTimeout',
  );
}

/**
 * The longest a validation can run (pure): the health probe, then the warm-up and the judged orders in rounds of
 * `concurrency`, every request taking its full timeout, then the report margin. The function timeout must cover
 * it; the plan takes the timeout from the template as the hook's share of the deployment-start clock.
 */
export function validationWorstCaseMs(v: {
  orders: number;
  warmupOrders: number;
  concurrency: number;
  requestTimeoutMs: number;
}): number {
  const rounds = 1 + Math.ceil(v.warmupOrders / v.concurrency) + Math.ceil(v.orders / v.concurrency);
  return rounds * v.requestTimeoutMs + VALIDATION_DEFAULTS.reportMarginMs;
}
