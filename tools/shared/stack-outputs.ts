import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { STACK_OUTPUT_KEYS, type StackOutputKey } from '../../lib/stack-outputs';

/** Outputs for people (the alerts topic, the stream), not read by the deploy CLI or the scenario runners. */
const NOT_READ = ['SreTopicArn', 'TradesStreamName'] as const;

/** A stack output the deploy CLI and the scenario runners read. */
export type OutputKey = Exclude<StackOutputKey, (typeof NOT_READ)[number]>;

/**
 * The stack outputs the deploy CLI and the scenario runners use: the stack's outputs (lib/stack-outputs.ts, the
 * one list) without {@link NOT_READ}, in template order.
 */
export const OUTPUT_KEYS: readonly OutputKey[] = STACK_OUTPUT_KEYS.filter(
  (k): k is OutputKey => !(NOT_READ as readonly string[]).includes(k),
);

/** Outputs of a deployed OrderBroker stack, by key. */
export type StackOutputs = Readonly<Record<OutputKey, string>>;

/** Raised when the stack is missing or lacks an output this tool needs. */
export class StackOutputsError extends Error {
  /** @param cause the AWS error behind it, when there is one (the CLI explains it without SDK class names) */
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'StackOutputsError';
  }
}

/** Reads the outputs of `stackName` (CloudFormation DescribeStacks); every key in {@link OUTPUT_KEYS} must be there. */
export async function readStackOutputs(
  cfn: Pick<CloudFormationClient, 'send'>,
  stackName: string,
): Promise<StackOutputs> {
  let stacks;
  try {
    ({ Stacks: stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName })));
  } catch (err) {
    // CloudFormation answers a missing stack with ValidationError "Stack with id X does not exist".
    if (/does not exist/.test((err as Error).message ?? '')) {
      throw new StackOutputsError(
        `stack ${stackName} not found in this account and region: check the name and the credentials' account`,
      );
    }
    throw new StackOutputsError(`cannot read stack ${stackName}: ${(err as Error).message}`, err);
  }
  const stack = stacks?.[0];
  if (!stack) throw new StackOutputsError(`stack ${stackName} not found`);
  const values: Record<string, string> = {};
  for (const o of stack.Outputs ?? [])
    if (o.OutputKey && o.OutputValue !== undefined) values[o.OutputKey] = o.OutputValue;
  const missing = OUTPUT_KEYS.filter((k) => values[k] === undefined);
  if (missing.length > 0) {
    throw new StackOutputsError(
      `stack ${stackName} lacks output(s) ${missing.join(', ')}: deploy the current version of this app first (npx cdk deploy ${stackName})`,
    );
  }
  return values as StackOutputs;
}

/** The URL clients use (the certificate's host name in prod, the ALB in dev), unless overridden. */
export function productionUrl(outputs: StackOutputs, override?: string): string {
  return (override ?? outputs.ProductionUrl).replace(/\/$/, '');
}
