import { CfnCondition, Duration, Fn, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import { TEST_LISTENER_PORT } from '../config/constants';
/** Port of the CodeDeploy test listener (defined in lib/config/constants.ts). */
export { TEST_LISTENER_PORT };

/** Target-group health check: a task is healthy after HEALTHY_THRESHOLD x INTERVAL seconds (10 s). */
export const HEALTH_CHECK = {
  intervalSeconds: 5,
  timeoutSeconds: 3,
  healthyThreshold: 2,
  // 3 failed checks (15 s) before a task is ejected: one JVM pause mid-spike (one 3 s timeout) or two must
  // not take a healthy task out. A new task is still in service 20 s (JVM ready) + 2 x 5 s = 30 s after start.
  unhealthyThreshold: 3,
} as const;

/** The two target groups CodeDeploy swaps between; production forwards to one, the test listener to the other. */
export const TARGET_GROUP_COLORS = ['blue', 'green'] as const;
export type TargetGroupColor = (typeof TARGET_GROUP_COLORS)[number];

/** In-flight orders finish within this time after a task leaves the target group. */
export const DEREGISTRATION_DELAY_SECONDS = 30;

/** Properties of {@link OrderBrokerLoadBalancing}. */
export interface OrderBrokerLoadBalancingProps {
  readonly vpc: ec2.IVpc;
  /** Subnets of the internal ALB. */
  readonly subnets: ec2.SubnetSelection;
  /** Who may reach the production listener. */
  readonly clientPeer: ec2.IPeer;
  /**
   * Certificate for HTTPS on 443 and 9090. Without one, production listens on HTTP 80 (dev only;
   * the config refuses prod without a certificate).
   *
   * @default - HTTP listeners
   */
  readonly certificate?: acm.ICertificate;
  readonly containerPort: number;
  readonly healthCheckPath: string;
  /** Name prefix of the target groups, e.g. `ob-dev` (target group names are limited to 32 characters). */
  readonly namePrefix: string;
  /**
   * The target group production forwards to: `blue` or `green`, or a token that resolves to one of them at
   * deploy time (the stack's `LiveTargetGroup` parameter). The test listener forwards to the other one.
   *
   * CodeDeploy rewrites both listeners on every deployment; a stack update that re-sends a listener puts back
   * what the template says (aws/aws-cdk#36649). The template must therefore say what is live at the time of
   * the update, which only the deployer knows: `npm run stack:deploy` reads the live listeners and passes it.
   *
   * @default 'blue' - the first deployment starts production on blue
   */
  readonly liveTargetGroup?: string;
}

/**
 * The internal ALB of the OrderBroker: production listener, CodeDeploy test listener on 9090, blue and green
 * target groups, and the access-log bucket.
 *
 * The test listener is reachable only from {@link testTrafficClientSecurityGroup}, which the deployment
 * validation hook uses: nothing else can reach a green task set before it is promoted.
 */
export class OrderBrokerLoadBalancing extends Construct {
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  public readonly productionListener: elbv2.ApplicationListener;
  public readonly testListener: elbv2.ApplicationListener;
  public readonly blueTargetGroup: elbv2.ApplicationTargetGroup;
  public readonly greenTargetGroup: elbv2.ApplicationTargetGroup;
  /** Attach this group to the clients that validate green through the test listener. */
  public readonly testTrafficClientSecurityGroup: ec2.SecurityGroup;
  public readonly accessLogBucket: s3.Bucket;
  /** Port of the production listener (443 with a certificate, 80 without). */
  public readonly productionPort: number;

  constructor(scope: Construct, id: string, props: OrderBrokerLoadBalancingProps) {
    super(scope, id);
    const https = props.certificate !== undefined;
    this.productionPort = https ? 443 : 80;

    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      // ALB access logs support only SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(400), noncurrentVersionExpiration: Duration.days(30) }],
      // Plain RETAIN, not RETAIN_ON_UPDATE_OR_DELETE: the ALB writes a test object as soon as logging is on, so a
      // create rollback could not delete the bucket (non-empty) and would end in ROLLBACK_FAILED. The bucket
      // has no fixed name, so the one it leaves behind never blocks the retry (TAP-DAT-1 allows this).
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Object events (a log deleted or overwritten) go to EventBridge, where security tooling can watch them
    // (Control Tower CT.S3.PR.4). Set on the L1: the L2's `eventBridgeEnabled` deploys a Lambda-backed
    // custom resource to do the same.
    (this.accessLogBucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };

    const albSecurityGroup = new ec2.SecurityGroup(this, 'AlbSecurityGroup', {
      vpc: props.vpc,
      description: 'OrderBroker ALB: production from clients, 9090 from deployment validation only',
      allowAllOutbound: false,
    });
    this.testTrafficClientSecurityGroup = new ec2.SecurityGroup(this, 'TestTrafficClientSecurityGroup', {
      vpc: props.vpc,
      description: 'Clients allowed on the CodeDeploy test listener (deployment validation hook)',
      allowAllOutbound: false,
    });

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      internetFacing: false,
      securityGroup: albSecurityGroup,
      deletionProtection: true,
      dropInvalidHeaderFields: true,
      idleTimeout: Duration.seconds(60),
    });
    this.loadBalancer.logAccessLogs(this.accessLogBucket, 'alb');

    const targetGroup = (tgId: string, color: string) =>
      new elbv2.ApplicationTargetGroup(this, tgId, {
        vpc: props.vpc,
        targetGroupName: `${props.namePrefix}-${color}`,
        targetType: elbv2.TargetType.IP,
        protocol: elbv2.ApplicationProtocol.HTTP,
        port: props.containerPort,
        deregistrationDelay: Duration.seconds(DEREGISTRATION_DELAY_SECONDS),
        loadBalancingAlgorithmType: elbv2.TargetGroupLoadBalancingAlgorithmType.LEAST_OUTSTANDING_REQUESTS,
        healthCheck: {
          path: props.healthCheckPath,
          healthyHttpCodes: '200',
          interval: Duration.seconds(HEALTH_CHECK.intervalSeconds),
          timeout: Duration.seconds(HEALTH_CHECK.timeoutSeconds),
          healthyThresholdCount: HEALTH_CHECK.healthyThreshold,
          unhealthyThresholdCount: HEALTH_CHECK.unhealthyThreshold,
        },
      });
    this.blueTargetGroup = targetGroup('BlueTargetGroup', 'blue');
    this.greenTargetGroup = targetGroup('GreenTargetGroup', 'green');

    // Production forwards to the live color, the test listener to the other one. Each listener registers with
    // the group it forwarded to before this choice existed (production: blue, test: green): that attaches both
    // groups to the ALB, which their metrics need, and keeps the dependencies and alarm dimensions unchanged.
    const live = props.liveTargetGroup ?? 'blue';
    let productionTarget: string;
    let testTarget: string;
    if (Token.isUnresolved(live)) {
      const greenIsLive = new CfnCondition(this, 'GreenIsLive', {
        expression: Fn.conditionEquals(live, 'green'),
      });
      productionTarget = Fn.conditionIf(
        greenIsLive.logicalId,
        this.greenTargetGroup.targetGroupArn,
        this.blueTargetGroup.targetGroupArn,
      ).toString();
      testTarget = Fn.conditionIf(
        greenIsLive.logicalId,
        this.blueTargetGroup.targetGroupArn,
        this.greenTargetGroup.targetGroupArn,
      ).toString();
    } else {
      if (!(TARGET_GROUP_COLORS as readonly string[]).includes(live)) {
        throw new Error(
          `${this.node.path}: liveTargetGroup = ${JSON.stringify(live)}: expected ${TARGET_GROUP_COLORS.join(' or ')}`,
        );
      }
      const [on, off] =
        live === 'green'
          ? [this.greenTargetGroup, this.blueTargetGroup]
          : [this.blueTargetGroup, this.greenTargetGroup];
      productionTarget = on.targetGroupArn;
      testTarget = off.targetGroupArn;
    }
    const listen = (
      listenerId: string,
      port: number,
      registerWith: elbv2.IApplicationTargetGroup,
      targetGroupArn: string,
    ) =>
      this.loadBalancer.addListener(listenerId, {
        port,
        protocol: https ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
        certificates: props.certificate ? [props.certificate] : undefined,
        sslPolicy: https ? elbv2.SslPolicy.TLS13_12_RES_PQ : undefined,
        open: false,
        defaultAction: new ForwardTo(registerWith, targetGroupArn),
      });
    this.productionListener = listen(
      'ProductionListener',
      this.productionPort,
      this.blueTargetGroup,
      productionTarget,
    );
    this.testListener = listen('TestListener', TEST_LISTENER_PORT, this.greenTargetGroup, testTarget);

    if (https) {
      // Plain HTTP only redirects (Control Tower CT.ELB.PR.1).
      this.loadBalancer.addListener('HttpRedirectListener', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        open: false,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
      });
      albSecurityGroup.addIngressRule(props.clientPeer, ec2.Port.tcp(80), 'Clients: HTTP redirect to HTTPS');
    }
    albSecurityGroup.addIngressRule(
      props.clientPeer,
      ec2.Port.tcp(this.productionPort),
      'Clients: production listener',
    );
    albSecurityGroup.addIngressRule(
      this.testTrafficClientSecurityGroup,
      ec2.Port.tcp(TEST_LISTENER_PORT),
      'Deployment validation: test listener',
    );
    this.testTrafficClientSecurityGroup.addEgressRule(
      albSecurityGroup,
      ec2.Port.tcp(TEST_LISTENER_PORT),
      'Deployment validation: test listener',
    );
  }
}

/**
 * Forwards to `targetGroupArn` (a group's ARN, or an `Fn::If` choosing between blue and green) and registers
 * the listener with `registerWith`, as `ListenerAction.forward` does with its group.
 */
class ForwardTo extends elbv2.ListenerAction {
  constructor(
    private readonly registerWith: elbv2.IApplicationTargetGroup,
    targetGroupArn: string,
  ) {
    super({ type: 'forward', targetGroupArn });
  }

  public override bind(
    _scope: Construct,
    listener: elbv2.IApplicationListener,
    associatingConstruct?: IConstruct,
  ): void {
    this.registerWith.registerListener(listener, associatingConstruct);
  }
}
