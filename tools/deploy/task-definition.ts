import type { RegisterTaskDefinitionCommandInput, Tag, TaskDefinition } from '@aws-sdk/client-ecs';
import { IMAGE_REF_PATTERN } from '../../lib/config/constants';

/** Raised for an image reference or task definition the deploy path cannot use. */
export class TaskDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskDefinitionError';
  }
}

/**
 * The image `image` with its tag or digest replaced by `ref` (pure): a tag gives `repo:tag`, a digest
 * `repo@sha256:…`. A registry port (`host:5000/repo`) is kept.
 */
export function withImageRef(image: string, ref: string): string {
  if (!IMAGE_REF_PATTERN.test(ref)) {
    throw new TaskDefinitionError(
      `image = ${JSON.stringify(ref)}: expected a tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}) or a digest sha256:<64 hex>`,
    );
  }
  const withoutDigest = image.split('@')[0];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const repository = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  return ref.startsWith('sha256:') ? `${repository}@${ref}` : `${repository}:${ref}`;
}

/**
 * Tags a new revision may carry: `tags` without the reserved `aws:` keys (any case). CloudFormation puts
 * `aws:cloudformation:stack-name`, `…:logical-id` and `…:stack-id` on every revision it registers, and
 * RegisterTaskDefinition rejects a request that sets a tag key starting with `aws:` (pure).
 */
export function userTags(tags: readonly Tag[]): Tag[] {
  return tags.filter((t) => !(t.key ?? '').toLowerCase().startsWith('aws:'));
}

/**
 * The RegisterTaskDefinition input for a new revision of `base` whose container `containerName` runs
 * `image` (pure). Everything else — roles, size, architecture, logging, health check, the other containers and
 * the container dependencies, tags — is the base revision's, which the stack owns: the deploy path changes the
 * image and nothing else. A container that ran the same image as `containerName` (the `/tmp` init container,
 * docs/image-contract.md) moves to the new image with it, so a revision never mixes two versions of the image
 * and an old image can leave ECR.
 */
export function revisionWithImage(
  base: TaskDefinition,
  tags: readonly Tag[],
  containerName: string,
  image: string,
): RegisterTaskDefinitionCommandInput {
  const containers = base.containerDefinitions ?? [];
  if (!containers.some((c) => c.name === containerName)) {
    throw new TaskDefinitionError(
      `task definition ${base.taskDefinitionArn} has no container named ${containerName} (containers: ${containers.map((c) => c.name).join(', ') || 'none'})`,
    );
  }
  const previous = containers.find((c) => c.name === containerName)?.image;
  return {
    family: base.family,
    taskRoleArn: base.taskRoleArn,
    executionRoleArn: base.executionRoleArn,
    networkMode: base.networkMode,
    containerDefinitions: containers.map((c) =>
      c.name === containerName || (previous !== undefined && c.image === previous) ? { ...c, image } : c,
    ),
    volumes: base.volumes,
    placementConstraints: base.placementConstraints,
    requiresCompatibilities: base.requiresCompatibilities,
    cpu: base.cpu,
    memory: base.memory,
    runtimePlatform: base.runtimePlatform,
    ephemeralStorage: base.ephemeralStorage,
    pidMode: base.pidMode,
    ipcMode: base.ipcMode,
    proxyConfiguration: base.proxyConfiguration,
    // The tag policy applies to every revision (CostCenter, Project, Service); aws: keys are reserved.
    tags: userTags(tags).length > 0 ? userTags(tags) : undefined,
  };
}

/** The image of container `containerName` in a task definition. */
export function containerImage(taskDefinition: TaskDefinition, containerName: string): string {
  const image = taskDefinition.containerDefinitions?.find((c) => c.name === containerName)?.image;
  if (!image) {
    throw new TaskDefinitionError(
      `task definition ${taskDefinition.taskDefinitionArn} has no image for container ${containerName}`,
    );
  }
  return image;
}
