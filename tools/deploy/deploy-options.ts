import { IMAGE_REF_PATTERN } from '../../lib/config/constants';
import type { Architecture } from '../../lib/config/types';
import { numberOption, type ParsedArgs, stringOption, UsageError } from '../shared/args';
import { REGION } from '../shared/aws';
import { ARCHITECTURES } from './deploy';

export const DEPLOY_USAGE = `Usage: npm run deploy -- --stack <OrderBroker-dev|OrderBroker-prod> [options]

Deploys a new OrderBroker image as a CodeDeploy blue/green deployment and follows it to the end.
  --image <tag|sha256:digest>   image to roll out (default: the stack's task definition as it is)
  --architecture ARM64|X86_64   architecture green runs (default: the one running now)
  --no-wait                     return once CodeDeploy accepted the deployment
  --timeout-minutes <n>         stop following after n minutes (default 45; the deployment goes on)
  --stop <deployment-id>        stop a deployment and roll it back
  --region us-east-2
Credentials come from the usual chain (AWS_PROFILE after \`aws sso login\`, or AWS_ACCESS_KEY_ID/...).
Exit: 0 succeeded (or accepted with --no-wait, or stopped with --stop),
      1 deployment failed, rolled back, stopped or still running at the timeout,
      2 bad usage (nothing was called),
      3 could not start: credentials, network, access, missing stack, outputs or image.`;

/** Exit codes of `npm run deploy`. */
export const EXIT = { ok: 0, failed: 1, usage: 2, cannotStart: 3 } as const;

/** A CloudFormation stack name (starts with a letter; letters, digits and hyphens; at most 128). */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
/** A CodeDeploy deployment id. */
const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;
/** Tags that name no version: a rollback to them is not reproducible. */
const MUTABLE_TAGS = ['latest', 'stable', 'current', 'prod', 'production'];

/** Options of one run, every one checked before any AWS call. */
export interface DeployOptions {
  readonly stack: string;
  readonly region: string;
  readonly image?: string;
  readonly architecture?: Architecture;
  readonly timeoutMs: number;
  readonly stop?: string;
  readonly noWait: boolean;
}

/** The `--options` and `--flags` npm run deploy accepts, for parseArgs. */
export const DEPLOY_OPTIONS = [
  'stack',
  'image',
  'architecture',
  'timeout-minutes',
  'stop',
  'region',
] as const;
export const DEPLOY_FLAGS = ['no-wait', 'help'] as const;

/**
 * Validates a parsed command line (pure), every option before any AWS call; `'help'` for `--help`. Throws
 * UsageError naming the option, the value and what is allowed.
 */
export function deployOptions({ options, positional }: ParsedArgs): DeployOptions | 'help' {
  if (options.help) return 'help';
  if (positional.length > 0) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positional[0])}; options start with --`);
  }
  const stack = stringOption(options, 'stack');
  if (!stack) throw new UsageError('--stack is required (OrderBroker-dev or OrderBroker-prod)');
  if (!STACK_NAME.test(stack)) {
    throw new UsageError(
      `--stack = ${JSON.stringify(stack)}: expected a CloudFormation stack name (a letter, then letters, digits or hyphens, at most 128), e.g. OrderBroker-prod`,
    );
  }
  const region = stringOption(options, 'region', REGION)!;
  if (region !== REGION) throw new UsageError(`--region = "${region}": the platform runs in ${REGION} only`);
  const architecture = stringOption(options, 'architecture') as Architecture | undefined;
  if (architecture !== undefined && !ARCHITECTURES.includes(architecture)) {
    throw new UsageError(`--architecture = "${architecture}": expected ARM64 or X86_64`);
  }
  const image = stringOption(options, 'image');
  if (image !== undefined) {
    if (!IMAGE_REF_PATTERN.test(image)) {
      throw new UsageError(
        `--image = ${JSON.stringify(image)}: expected a tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}) or a digest sha256:<64 hex>`,
      );
    }
    if (MUTABLE_TAGS.includes(image.toLowerCase())) {
      throw new UsageError(
        `--image = "${image}": a mutable tag cannot be rolled back to; pass the version tag (e.g. 2026.11.4) or the digest sha256:<64 hex>`,
      );
    }
  }
  const timeoutMs = numberOption(options, 'timeout-minutes', 45, 1, 240) * 60000;
  const stop = stringOption(options, 'stop');
  if (stop !== undefined) {
    if (!DEPLOYMENT_ID.test(stop)) {
      throw new UsageError(
        `--stop = ${JSON.stringify(stop)}: expected a CodeDeploy deployment id (d-XXXXXXXXX)`,
      );
    }
    const extra = ['image', 'architecture', 'no-wait'].find((k) => options[k] !== undefined);
    if (extra) throw new UsageError(`--stop cannot be combined with --${extra}`);
  }
  return { stack, region, image, architecture, timeoutMs, stop, noWait: options['no-wait'] === true };
}
