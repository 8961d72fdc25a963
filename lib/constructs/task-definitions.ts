import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Architecture } from '../config/types';

/** Name of the OrderBroker container in every task definition (the AppSpec refers to it). */
export const CONTAINER_NAME = 'orderbroker';
/** Non-root user the container runs as (uid:gid baked into the image). */
export const CONTAINER_USER = '10001:10001';
/**
 * Name of the init container that hands the task's `/tmp` volume to {@link CONTAINER_USER} before the app
 * starts (docs/image-contract.md).
 */
export const TMP_INIT_CONTAINER_NAME = 'tmp-permissions';
/** Memory hard limit of the init container (MiB); the app container's reservation leaves room for it. */
export const TMP_INIT_MEMORY_MIB = 32;
/** The command of the init container: the only thing it runs, as root, on the shared volume only. */
export const TMP_INIT_COMMAND = ['chown', CONTAINER_USER, '/tmp'];
/**
 * Docker's default capabilities except CAP_CHOWN: the init container can change the owner of `/tmp` and
 * nothing else a root process usually may (Fargate allows dropping any of them; adding is limited to SYS_PTRACE).
 */
export const TMP_INIT_DROPPED_CAPABILITIES: readonly ecs.Capability[] = [
  ecs.Capability.AUDIT_WRITE,
  ecs.Capability.DAC_OVERRIDE,
  ecs.Capability.FOWNER,
  ecs.Capability.FSETID,
  ecs.Capability.KILL,
  ecs.Capability.MKNOD,
  ecs.Capability.NET_BIND_SERVICE,
  ecs.Capability.NET_RAW,
  ecs.Capability.SETFCAP,
  ecs.Capability.SETGID,
  ecs.Capability.SETPCAP,
  ecs.Capability.SETUID,
  ecs.Capability.SYS_CHROOT,
];
/** Namespace of the metrics the service emits in Embedded Metric Format (see docs/metrics-contract.md). */
export const METRICS_NAMESPACE = 'TradingPlatform/OrderBroker';

/** Properties of {@link OrderBrokerTaskDefinitions}. */
export interface OrderBrokerTaskDefinitionsProps {
  /** Task definition family prefix, e.g. `orderbroker-dev`; the architecture is appended. */
  readonly familyPrefix: string;
  /** ECR repository of the multi-arch image. */
  readonly imageRepository: string;
  /** Tag or `sha256:` digest of the multi-arch image. */
  readonly imageTag: string;
  /** Task CPU units. */
  readonly cpu: number;
  /** Task memory (MiB). */
  readonly memoryMiB: number;
  readonly containerPort: number;
  /** Readiness path, also probed by the container health check. */
  readonly healthCheckPath: string;
  readonly taskRole: iam.IRole;
  /** Key of the service log group. */
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** Environment of the container (endpoints of the stream and the database). */
  readonly environment: Record<string, string>;
  /** Value of the `Environment` dimension of the service's metrics. */
  readonly metricsEnvironment: string;
}

/** Fargate architecture of each supported CPU architecture. */
const CPU_ARCHITECTURES: Record<Architecture, ecs.CpuArchitecture> = {
  ARM64: ecs.CpuArchitecture.ARM64,
  X86_64: ecs.CpuArchitecture.X86_64,
};

/**
 * One Fargate task definition per CPU architecture, built from the same container spec and the same
 * multi-arch image. A task definition has exactly one architecture, so "both" means two definitions:
 * the service runs the configured one, the other is a ready revision a blue/green deployment can switch to.
 */
export class OrderBrokerTaskDefinitions extends Construct {
  /** Both task definitions, by architecture. */
  public readonly byArchitecture: Record<Architecture, ecs.FargateTaskDefinition>;
  /** The service log group (shared by both architectures). */
  public readonly logGroup: logs.LogGroup;
  /** Pulls the image and writes logs; shared by both task definitions. */
  public readonly executionRole: iam.Role;

  constructor(scope: Construct, id: string, props: OrderBrokerTaskDefinitionsProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      description: 'OrderBroker task execution: pull the image, write the service logs.',
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    const repository = ecr.Repository.fromRepositoryName(this, 'Repository', props.imageRepository);
    const image = ecs.ContainerImage.fromEcrRepository(repository, props.imageTag);

    const build = (arch: Architecture): ecs.FargateTaskDefinition => {
      const suffix = arch === 'ARM64' ? 'arm64' : 'x86-64';
      const taskDefinition = new ecs.FargateTaskDefinition(this, arch === 'ARM64' ? 'Arm64' : 'X8664', {
        family: `${props.familyPrefix}-${suffix}`,
        cpu: props.cpu,
        memoryLimitMiB: props.memoryMiB,
        runtimePlatform: {
          cpuArchitecture: CPU_ARCHITECTURES[arch],
          operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
        },
        taskRole: props.taskRole,
        executionRole: this.executionRole,
      });
      // Read-only root filesystem: the JVM and the app write only to this task-scoped scratch volume.
      // Fargate creates a bind mount root:root 0755, so the non-root app user could not write to it: the
      // init container below hands it to that user first (docs/image-contract.md).
      taskDefinition.addVolume({ name: 'tmp' });
      const container = taskDefinition.addContainer('OrderBroker', {
        containerName: CONTAINER_NAME,
        image,
        essential: true,
        // Hard limit = the task's memory: a runaway container is stopped at a known size (CT.ECS.PR.7).
        memoryLimitMiB: props.memoryMiB,
        // The reservations (or hard limits) of all containers may not add up to more than the task's memory:
        // the init container's share is reserved out of the app's (it has exited before the JVM starts).
        memoryReservationMiB: props.memoryMiB - TMP_INIT_MEMORY_MIB,
        user: CONTAINER_USER,
        readonlyRootFilesystem: true,
        portMappings: [{ containerPort: props.containerPort, protocol: ecs.Protocol.TCP, name: 'http' }],
        environment: {
          ...props.environment,
          JAVA_TOOL_OPTIONS: jvmOptions(props.cpu),
          METRICS_NAMESPACE,
          METRICS_ENVIRONMENT: props.metricsEnvironment,
          ORDERBROKER_ARCHITECTURE: arch,
        },
        healthCheck: {
          command: [
            'CMD-SHELL',
            `curl -fsS http://localhost:${props.containerPort}${props.healthCheckPath} || exit 1`,
          ],
          interval: Duration.seconds(10),
          timeout: Duration.seconds(5),
          retries: 3,
          startPeriod: Duration.seconds(30),
        },
        // After the target group has drained the task (deregistration delay), SIGTERM gives the app this long
        // to finish in-flight orders and flush the trades producer before SIGKILL.
        stopTimeout: Duration.seconds(30),
        ulimits: [{ name: ecs.UlimitName.NOFILE, softLimit: 65536, hardLimit: 65536 }],
        logging: ecs.LogDrivers.awsLogs({
          logGroup: this.logGroup,
          streamPrefix: 'orderbroker',
          // A full log buffer must never block the order path; EMF metrics share this pipe.
          mode: ecs.AwsLogDriverMode.NON_BLOCKING,
          maxBufferSize: Size.mebibytes(25),
        }),
      });
      container.addMountPoints({ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false });
      // Second in the list, so the app stays ContainerDefinitions[0] for tools that read the first container.
      const tmpInit = taskDefinition.addContainer('TmpPermissions', {
        containerName: TMP_INIT_CONTAINER_NAME,
        // The app image itself: nothing else to pull, pin or scan; the deploy path keeps the two in step.
        image,
        // It exits after one command; SUCCESS (below) requires a non-essential container.
        essential: false,
        // Root only for the chown of the shared volume; every other default capability is dropped.
        user: '0',
        readonlyRootFilesystem: true,
        entryPoint: [...TMP_INIT_COMMAND],
        memoryLimitMiB: TMP_INIT_MEMORY_MIB,
        linuxParameters: this.initLinuxParameters(arch),
        logging: ecs.LogDrivers.awsLogs({
          logGroup: this.logGroup,
          streamPrefix: 'tmp-init',
          mode: ecs.AwsLogDriverMode.NON_BLOCKING,
          maxBufferSize: Size.mebibytes(1),
        }),
      });
      tmpInit.addMountPoints({ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false });
      // The app starts only after the init container exited 0: a failed chown stops the task instead of
      // starting a JVM that cannot write its temporary files.
      container.addContainerDependencies({
        container: tmpInit,
        condition: ecs.ContainerDependencyCondition.SUCCESS,
      });
      return taskDefinition;
    };

    this.byArchitecture = { ARM64: build('ARM64'), X86_64: build('X86_64') };
  }

  private initLinuxParameters(arch: Architecture): ecs.LinuxParameters {
    const parameters = new ecs.LinuxParameters(
      this,
      `TmpInitLinuxParameters${arch === 'ARM64' ? 'Arm64' : 'X8664'}`,
    );
    parameters.dropCapabilities(...TMP_INIT_DROPPED_CAPABILITIES);
    return parameters;
  }
}

/**
 * JVM flags sized from the container, not the host: heap at 75% of the task memory (the rest is metaspace,
 * threads, direct buffers), processor count from the task CPU, fail fast on OOM so ECS replaces the task.
 */
export function jvmOptions(cpu: number): string {
  return [
    '-XX:+UseContainerSupport',
    '-XX:InitialRAMPercentage=75.0',
    '-XX:MaxRAMPercentage=75.0',
    `-XX:ActiveProcessorCount=${Math.max(1, Math.floor(cpu / 1024))}`,
    '-XX:+UseG1GC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.io.tmpdir=/tmp',
  ].join(' ');
}
