import { DescribeImagesCommand, type ECRClient, type ImageIdentifier } from '@aws-sdk/client-ecr';
import type { Progress } from '../shared/progress';
import { awsFailureKind } from './aws-errors';

/** An image reference in ECR: `<account>.dkr.ecr.<region>.amazonaws.com/<repository>(:tag|@sha256:…)`. */
export interface EcrImage {
  readonly registryId: string;
  readonly region: string;
  readonly repositoryName: string;
  readonly imageId: ImageIdentifier;
}

/** Raised when the image green would run is not in ECR, or cannot be looked up. */
export class ImageNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageNotFoundError';
  }
}

const ECR_IMAGE =
  /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9][a-z0-9._/-]*)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})|@(sha256:[a-f0-9]{64}))$/;

/** The parts of an ECR image reference (pure); undefined when `image` is not one. */
export function parseEcrImage(image: string): EcrImage | undefined {
  const m = ECR_IMAGE.exec(image);
  if (!m) return undefined;
  const [, registryId, region, repositoryName, imageTag, imageDigest] = m;
  return { registryId, region, repositoryName, imageId: imageDigest ? { imageDigest } : { imageTag } };
}

/**
 * Checks that `image` exists in ECR (DescribeImages) before anything is registered or deployed: a missing
 * tag would otherwise surface minutes later as green tasks that cannot pull their image.
 */
export async function checkImageExists(
  ecr: Pick<ECRClient, 'send'>,
  image: string,
  progress: Progress,
): Promise<void> {
  const ref = parseEcrImage(image);
  if (!ref) {
    throw new ImageNotFoundError(
      `image ${image} is not an ECR image reference (<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>); the platform pulls only from ECR`,
    );
  }
  const id = ref.imageId.imageDigest ?? ref.imageId.imageTag;
  try {
    const { imageDetails } = await ecr.send(
      new DescribeImagesCommand({
        registryId: ref.registryId,
        repositoryName: ref.repositoryName,
        imageIds: [ref.imageId],
      }),
    );
    const found = imageDetails?.[0];
    if (!found) throw new ImageNotFoundError(`image ${ref.repositoryName}:${id} not found in ECR`);
    progress.step(
      `image ${ref.repositoryName}:${id} exists (${found.imageDigest ?? 'digest unknown'}, ${found.imageManifestMediaType ?? 'media type unknown'})`,
    );
  } catch (err) {
    if (err instanceof ImageNotFoundError) throw err;
    if (awsFailureKind(err) === 'not-found') {
      throw new ImageNotFoundError(
        `image ${ref.repositoryName}:${id} not found in ECR registry ${ref.registryId}: push it first, or pass the tag or digest that was pushed`,
      );
    }
    throw err;
  }
}
