import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { CreatedVpcConfig, ImportedVpcConfig } from '../config/types';

/**
 * The AWS-managed prefix list of S3 in each region the platform runs in (`com.amazonaws.us-east-2.s3`): a task's
 * image layers come from S3 through the gateway endpoint, so the tasks' security group allows HTTPS to it and
 * to nothing else outside the VPC. AWS-managed prefix-list IDs are fixed per region.
 */
export const S3_PREFIX_LIST_IDS: Readonly<Record<'us-east-2', string>> = { 'us-east-2': 'pl-7ba54012' };

/** The availability zones the platform spans. */
export const PLATFORM_AZS = ['us-east-2a', 'us-east-2b', 'us-east-2c'];

/** Properties of {@link Network}. */
export interface NetworkProps {
  /** Create a VPC, or import one by attributes. */
  readonly vpc: CreatedVpcConfig | ImportedVpcConfig;
  /** Key of the flow-log log group. */
  readonly logsKey: kms.IKey;
  /** Retention of the flow-log log group. */
  readonly flowLogRetention: logs.RetentionDays;
}

/**
 * The VPC of the platform: three AZs with public (ALB-less NAT only), private-with-egress (tasks, ALB)
 * and isolated (database) subnets, VPC flow logs to an encrypted log group, and interface endpoints
 * for the services a starting task calls, so image pulls and log writes do not wait on NAT.
 *
 * An imported VPC is used as it is: its flow logs and endpoints are the owning team's.
 */
export class Network extends Construct {
  public readonly vpc: ec2.IVpc;
  /** Where the tasks and the internal ALB run. */
  public readonly appSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
  /** Where the database runs. */
  public readonly dataSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  /** The flow-log log group (created VPC only). */
  public readonly flowLogGroup?: logs.LogGroup;
  /** Security group of the interface endpoints (created VPC only). */
  public readonly endpointSecurityGroup?: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);

    if (props.vpc.mode === 'import') {
      this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
        vpcId: props.vpc.vpcId,
        vpcCidrBlock: props.vpc.cidr,
        availabilityZones: props.vpc.availabilityZones,
        privateSubnetIds: props.vpc.privateSubnetIds,
        isolatedSubnetIds: props.vpc.isolatedSubnetIds,
      });
      return;
    }

    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.vpc.cidr),
      availabilityZones: PLATFORM_AZS,
      natGateways: props.vpc.natGateways,
      subnetConfiguration: [
        // NAT gateways use Elastic IPs: nothing launched here needs an automatic public IP (CT.EC2.PR.11).
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    this.vpc = vpc;

    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      encryptionKey: props.logsKey,
      retention: props.flowLogRetention,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    // Image layers come from S3; the rest are the calls a task makes while starting and serving.
    vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const endpoints: Record<string, ec2.InterfaceVpcEndpointAwsService> = {
      EcrApiEndpoint: ec2.InterfaceVpcEndpointAwsService.ECR,
      EcrDockerEndpoint: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
      LogsEndpoint: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
      KinesisEndpoint: ec2.InterfaceVpcEndpointAwsService.KINESIS_STREAMS,
    };
    // One group for every interface endpoint, HTTPS from the VPC's literal CIDR: the endpoints' default groups
    // use the VPC's CidrBlock attribute, a token no policy check can evaluate.
    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc,
      description: 'OrderBroker interface endpoints: HTTPS from inside the VPC',
      allowAllOutbound: false,
    });
    this.endpointSecurityGroup.addIngressRule(
      ec2.Peer.ipv4(props.vpc.cidr),
      ec2.Port.tcp(443),
      'HTTPS from the VPC to the interface endpoints',
    );
    for (const [endpointId, service] of Object.entries(endpoints)) {
      vpc.addInterfaceEndpoint(endpointId, {
        service,
        subnets: this.appSubnets,
        privateDnsEnabled: true,
        securityGroups: [this.endpointSecurityGroup],
        open: false,
      });
    }
  }
}
