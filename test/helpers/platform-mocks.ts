import type { Architecture } from '../../lib/config/types';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { type HttpSend, sendHttp } from '../../lambda/shared/http-client';
import type { AwsClients } from '../../tools/shared/aws';
import type { Clock } from '../../tools/shared/clock';
import { Progress } from '../../tools/shared/progress';
import type { StackOutputs } from '../../tools/shared/stack-outputs';
import type { ScenarioContext } from '../../tools/scenarios/common';
import { fastPace } from './test-clock';

export const ACCOUNT = '111122223333';
const arn = (service: string, rest: string) => `arn:aws:${service}:us-east-2:${ACCOUNT}:${rest}`;

/** The outputs of a deployed OrderBroker-dev stack. */
export const OUTPUTS: StackOutputs = {
  LoadBalancerDns: 'internal-ob-dev-123.us-east-2.elb.amazonaws.com',
  ProductionPort: '80',
  ProductionUrl: 'http://internal-ob-dev-123.us-east-2.elb.amazonaws.com:80',
  ProductionListenerArn: arn('elasticloadbalancing', 'listener/app/ob-dev/abc/prod'),
  TestListenerArn: arn('elasticloadbalancing', 'listener/app/ob-dev/abc/test'),
  BlueTargetGroupArn: arn('elasticloadbalancing', 'targetgroup/ob-dev-blue/1111'),
  GreenTargetGroupArn: arn('elasticloadbalancing', 'targetgroup/ob-dev-green/2222'),
  ClusterName: 'orderbroker-dev',
  ServiceName: 'orderbroker-dev',
  Architecture: 'ARM64',
  Arm64TaskDefinitionArn: arn('ecs', 'task-definition/orderbroker-dev-arm64:7'),
  X8664TaskDefinitionArn: arn('ecs', 'task-definition/orderbroker-dev-x86-64:7'),
  CodeDeployApplication: 'orderbroker-dev',
  DeploymentGroupName: 'orderbroker-dev',
  ScalableTargetId: 'service/orderbroker-dev/orderbroker-dev',
  ContainerName: 'orderbroker',
  ContainerPort: '8080',
  CapacityProviderStrategy: '[{"capacityProvider":"FARGATE","base":2,"weight":1}]',
  TaskSubnetIds: 'subnet-0a,subnet-0b,subnet-0c',
  TaskSecurityGroupIds: 'sg-0task',
  ValidationHookFunctionName: 'CodeDeployHook_orderbroker-dev-validation',
  ValidationHookFunctionArn: arn('lambda', 'function:CodeDeployHook_orderbroker-dev-validation'),
  PreOpenTasks: '4',
  HealthCheckPath: '/actuator/health/readiness',
};

export const IMAGE_REPO = `${ACCOUNT}.dkr.ecr.us-east-2.amazonaws.com/orderbroker`;

/** A task definition as DescribeTaskDefinition returns it (read-only fields included). */
export function taskDefinition(
  arnValue: string,
  architecture: Architecture,
  image = `${IMAGE_REPO}:2026.11.3`,
): TaskDefinition {
  const family = arnValue.split('/')[1].split(':')[0];
  return {
    taskDefinitionArn: arnValue,
    family,
    revision: Number(arnValue.split(':').pop()),
    status: 'ACTIVE',
    registeredAt: new Date('2026-11-20T10:00:00Z'),
    registeredBy: 'arn:aws:sts::111122223333:assumed-role/cfn/x',
    requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
    compatibilities: ['EC2', 'FARGATE'],
    taskRoleArn: arn('iam', 'role/task').replace('us-east-2', ''),
    executionRoleArn: arn('iam', 'role/exec').replace('us-east-2', ''),
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '2048',
    memory: '4096',
    runtimePlatform: { cpuArchitecture: architecture, operatingSystemFamily: 'LINUX' },
    volumes: [{ name: 'tmp' }],
    containerDefinitions: [
      {
        name: 'orderbroker',
        image,
        essential: true,
        user: '10001:10001',
        dependsOn: [{ containerName: 'tmp-permissions', condition: 'SUCCESS' }],
        mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }],
        readonlyRootFilesystem: true,
        environment: [{ name: 'ORDERBROKER_ARCHITECTURE', value: architecture }],
        portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
      },
      // As the stack registers it: the app first, then the /tmp init container it depends on (docs/image-contract.md).
      {
        name: 'tmp-permissions',
        image,
        essential: false,
        user: '0',
        readonlyRootFilesystem: true,
        entryPoint: ['chown', '10001:10001', '/tmp'],
        memory: 32,
        mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }],
      },
    ],
  };
}

/** Mocks of every client, and real client objects whose `send` the mocks answer. */
export function mockAws() {
  const mocks = {
    cfn: mockClient(CloudFormationClient),
    ecs: mockClient(ECSClient),
    codedeploy: mockClient(CodeDeployClient),
    appscaling: mockClient(ApplicationAutoScalingClient),
    elbv2: mockClient(ElasticLoadBalancingV2Client),
    cloudwatch: mockClient(CloudWatchClient),
    ecr: mockClient(ECRClient),
  };
  const clients: AwsClients = {
    cfn: new CloudFormationClient({ region: 'us-east-2' }),
    ecs: new ECSClient({ region: 'us-east-2' }),
    codedeploy: new CodeDeployClient({ region: 'us-east-2' }),
    appscaling: new ApplicationAutoScalingClient({ region: 'us-east-2' }),
    elbv2: new ElasticLoadBalancingV2Client({ region: 'us-east-2' }),
    cloudwatch: new CloudWatchClient({ region: 'us-east-2' }),
    ecr: new ECRClient({ region: 'us-east-2' }),
  };
  const reset = () => Object.values(mocks).forEach((m) => m.reset());
  return { mocks, clients, reset };
}

export type AwsMocks = ReturnType<typeof mockAws>['mocks'];

/** The stack exists with {@link OUTPUTS}, and the service runs the ARM64 revision 7. */
export function givenDeployedStack(
  mocks: AwsMocks,
  outputs: StackOutputs = OUTPUTS,
  running = OUTPUTS.Arm64TaskDefinitionArn,
): void {
  mocks.cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'OrderBroker-dev',
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: new Date('2026-11-01T00:00:00Z'),
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  });
  mocks.ecs.on(DescribeServicesCommand).resolves({
    services: [
      { serviceName: OUTPUTS.ServiceName, taskDefinition: running, runningCount: 2, desiredCount: 2 },
    ],
  });
  // Every image a test deploys was pushed (tests of a missing image override this).
  mocks.ecr.on(DescribeImagesCommand).callsFake((input: { imageIds: Array<{ imageTag?: string }> }) => ({
    imageDetails: [
      {
        repositoryName: 'orderbroker',
        imageTags: input.imageIds[0].imageTag ? [input.imageIds[0].imageTag] : [],
        imageDigest: `sha256:${'ab'.repeat(32)}`,
        imageManifestMediaType: 'application/vnd.oci.image.index.v1+json',
      },
    ],
  }));
  for (const [arnValue, arch] of [
    [OUTPUTS.Arm64TaskDefinitionArn, 'ARM64'],
    [OUTPUTS.X8664TaskDefinitionArn, 'X86_64'],
  ] as const) {
    mocks.ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: arnValue }).resolves({
      taskDefinition: taskDefinition(arnValue, arch),
      // As CloudFormation registers them: its reserved aws: tags come with the tag policy's.
      tags: [
        { key: 'aws:cloudformation:stack-name', value: 'OrderBroker-dev' },
        { key: 'aws:cloudformation:logical-id', value: 'PlatformTaskDefinitionsArm64' },
        { key: 'CostCenter', value: 'CC-4100' },
        { key: 'Project', value: 'TradingPlatform' },
      ],
    });
  }
}

/**
 * The context a scenario runs with against the mocked, deployed OrderBroker-dev stack: progress lines are
 * collected in `lines`, order streams are paced fast, and HTTP goes through `send` (real HTTP by default).
 */
export function scenarioContext(options: {
  readonly clients: AwsClients;
  readonly clock: Clock;
  readonly lines: string[];
  readonly send?: HttpSend;
}): ScenarioContext {
  return {
    clients: options.clients,
    outputs: OUTPUTS,
    stackName: 'OrderBroker-dev',
    clock: options.clock,
    progress: new Progress(options.clock, (l) => options.lines.push(l)),
    send: options.send ?? sendHttp,
    pace: fastPace,
  };
}
