import { Match, type Template } from 'aws-cdk-lib/assertions';
import { resourceByPrefix, synthTemplate } from '../../helpers/synth';

let dev: Template;
beforeAll(() => {
  dev = synthTemplate();
});

function taskDefinitions(template: Template): Record<string, any> {
  return template.findResources('AWS::ECS::TaskDefinition');
}

/** The app container; besides it each task definition holds only the /tmp init container (task-definitions.test.ts). */
function containerOf(taskDefinition: any): any {
  const containers: any[] = taskDefinition.Properties.ContainerDefinitions;
  expect(containers.map((c) => c.Name)).toEqual(['orderbroker', 'tmp-permissions']);
  return containers.find((c) => c.Name === 'orderbroker');
}

describe('cluster', () => {
  test('has Container Insights enabled (not enhanced: Control Tower CT.ECS.PR.2)', () => {
    dev.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterName: 'orderbroker-dev',
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });

  test('is associated with the FARGATE capacity provider only', () => {
    dev.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
      CapacityProviders: ['FARGATE'],
      DefaultCapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
    });
  });
});

describe('task definitions', () => {
  test('one per CPU architecture, both right-sized to 2048 CPU units and 4096 MiB', () => {
    const defs = Object.values(taskDefinitions(dev));
    expect(defs.map((d) => d.Properties.RuntimePlatform.CpuArchitecture).sort()).toEqual(['ARM64', 'X86_64']);
    for (const def of defs) {
      expect(def.Properties).toMatchObject({
        Cpu: '2048',
        Memory: '4096',
        NetworkMode: 'awsvpc',
        RequiresCompatibilities: ['FARGATE'],
        RuntimePlatform: { OperatingSystemFamily: 'LINUX' },
      });
    }
    expect(defs.map((d) => d.Properties.Family).sort()).toEqual([
      'orderbroker-dev-arm64',
      'orderbroker-dev-x86-64',
    ]);
  });

  test('are built from the same container spec and the same multi-arch image', () => {
    const [a, b] = Object.values(taskDefinitions(dev)).map(containerOf);
    const { Environment: envA, ...restA } = a;
    const { Environment: envB, ...restB } = b;
    expect(restA).toEqual(restB);
    const withoutArch = (env: Array<{ Name: string }>) =>
      env.filter((e) => e.Name !== 'ORDERBROKER_ARCHITECTURE');
    expect(withoutArch(envA)).toEqual(withoutArch(envB));
    expect(JSON.stringify(a.Image)).toContain('.dkr.ecr.us-east-2.');
    expect(JSON.stringify(a.Image)).toContain('/orderbroker:2026.11.3');
  });

  test('pull an image by digest when the tag is a digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const template = synthTemplate({ imageTag: digest });
    const container = containerOf(Object.values(taskDefinitions(template))[0]);
    expect(JSON.stringify(container.Image)).toContain(`orderbroker@${digest}`);
  });

  test('run the container as a non-root user on a read-only root filesystem with a writable /tmp', () => {
    for (const def of Object.values(taskDefinitions(dev))) {
      const container = containerOf(def);
      expect(container.User).toBe('10001:10001');
      expect(container.ReadonlyRootFilesystem).toBe(true);
      expect(container.MountPoints).toEqual([
        { SourceVolume: 'tmp', ContainerPath: '/tmp', ReadOnly: false },
      ]);
      expect(def.Properties.Volumes).toEqual([{ Name: 'tmp' }]);
    }
  });

  test('have a container health check on the readiness path and a graceful stop timeout', () => {
    const container = containerOf(Object.values(taskDefinitions(dev))[0]);
    expect(container.HealthCheck).toEqual({
      Command: ['CMD-SHELL', 'curl -fsS http://localhost:8080/actuator/health/readiness || exit 1'],
      Interval: 10,
      Timeout: 5,
      Retries: 3,
      StartPeriod: 30,
    });
    expect(container.StopTimeout).toBe(30);
    expect(container.PortMappings).toEqual([{ ContainerPort: 8080, Protocol: 'tcp', Name: 'http' }]);
  });

  test('size the JVM from the container: 75% heap, 2 processors for 2048 CPU units, exit on OOM', () => {
    const container = containerOf(Object.values(taskDefinitions(dev))[0]);
    const javaOptions = container.Environment.find((e: any) => e.Name === 'JAVA_TOOL_OPTIONS')
      .Value as string;
    expect(javaOptions.split(' ')).toEqual(
      expect.arrayContaining([
        '-XX:+UseContainerSupport',
        '-XX:MaxRAMPercentage=75.0',
        '-XX:ActiveProcessorCount=2',
        '-XX:+ExitOnOutOfMemoryError',
        '-Djava.io.tmpdir=/tmp',
      ]),
    );
  });

  test('tell the service where the trades stream and the orders database are, and the metric contract', () => {
    const container = containerOf(Object.values(taskDefinitions(dev))[0]);
    const names = container.Environment.map((e: any) => e.Name);
    expect(names).toEqual(
      expect.arrayContaining([
        'TRADES_STREAM_NAME',
        'ORDERS_DB_HOST',
        'ORDERS_DB_PORT',
        'ORDERS_DB_NAME',
        'ORDERS_DB_USER',
        'METRICS_NAMESPACE',
        'METRICS_ENVIRONMENT',
      ]),
    );
    expect(container.Environment).toEqual(
      expect.arrayContaining([{ Name: 'METRICS_NAMESPACE', Value: 'TradingPlatform/OrderBroker' }]),
    );
  });

  test('log to the encrypted service log group without ever blocking the order path', () => {
    const container = containerOf(Object.values(taskDefinitions(dev))[0]);
    expect(container.LogConfiguration).toEqual({
      LogDriver: 'awslogs',
      Options: {
        'awslogs-group': { Ref: expect.stringMatching(/^PlatformTaskDefinitionsLogGroup/) },
        'awslogs-stream-prefix': 'orderbroker',
        'awslogs-region': 'us-east-2',
        mode: 'non-blocking',
        'max-buffer-size': '26214400b',
      },
    });
    dev.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KeysLogsKey'), 'Arn'] },
      RetentionInDays: 30,
    });
  });
});

describe('service', () => {
  test('is deployed by CodeDeploy, on a constant FARGATE-only strategy without a base', () => {
    dev.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: 'orderbroker-dev',
      DeploymentController: { Type: 'CODE_DEPLOY' },
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
      LaunchType: Match.absent(),
    });
  });

  // Under CODE_DEPLOY, UpdateService cannot change the capacity-provider strategy (only a CodeDeploy
  // deployment can): if floorTasks/warmTasks reached the service, changing them would fail the stack update.
  test.each([
    ['floorTasks', { floorTasks: 3 }],
    ['warmTasks', { warmTasks: 3 }],
  ])(
    'changing %s leaves AWS::ECS::Service unchanged and moves the scalable target minimum',
    (_key, change) => {
      const changed = synthTemplate(change);
      expect(changed.findResources('AWS::ECS::Service')).toEqual(dev.findResources('AWS::ECS::Service'));
      const minOf = (t: Template) =>
        Object.values(t.findResources('AWS::ApplicationAutoScaling::ScalableTarget'))[0].Properties
          .MinCapacity;
      expect([minOf(dev), minOf(changed)]).toEqual([2, 4]);
    },
  );

  test('runs the configured architecture (ARM64 by default)', () => {
    dev.hasResourceProperties('AWS::ECS::Service', { TaskDefinition: 'orderbroker-dev-arm64' });
  });

  test('can run X86_64 instead', () => {
    synthTemplate({ architecture: 'X86_64' }).hasResourceProperties('AWS::ECS::Service', {
      TaskDefinition: 'orderbroker-dev-x86-64',
    });
  });

  test('has no DesiredCount, so a stack update during trading hours never resets the running count', () => {
    dev.hasResourceProperties('AWS::ECS::Service', { DesiredCount: Match.absent() });
  });

  test('runs tasks in the private app subnets without a public IP', () => {
    dev.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          AssignPublicIp: 'DISABLED',
          Subnets: [
            { Ref: Match.stringLikeRegexp('^NetworkVpcappSubnet1') },
            { Ref: Match.stringLikeRegexp('^NetworkVpcappSubnet2') },
            { Ref: Match.stringLikeRegexp('^NetworkVpcappSubnet3') },
          ],
        },
      },
    });
  });

  test('starts behind the blue target group and propagates its tags to tasks', () => {
    dev.hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: [
        {
          ContainerName: 'orderbroker',
          ContainerPort: 8080,
          TargetGroupArn: { Ref: Match.stringLikeRegexp('^PlatformLoadBalancingBlueTargetGroup') },
        },
      ],
      PropagateTags: 'SERVICE',
      HealthCheckGracePeriodSeconds: 30,
    });
  });

  test('reaches the database on its port and nothing opens the tasks to anything but the ALB', () => {
    dev.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 5432,
      ToPort: 5432,
      SourceSecurityGroupId: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^PlatformOrderBrokerSecurityGroup'), 'GroupId'],
      },
    });
    const serviceSg = resourceByPrefix(dev, 'AWS::EC2::SecurityGroup', 'PlatformOrderBrokerSecurityGroup');
    expect(serviceSg.Properties.SecurityGroupIngress).toBeUndefined();
    dev.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PlatformOrderBrokerSecurityGroup'), 'GroupId'] },
      FromPort: 8080,
      ToPort: 8080,
      SourceSecurityGroupId: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^PlatformLoadBalancingAlbSecurityGroup'), 'GroupId'],
      },
    });
  });
});
