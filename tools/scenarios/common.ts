import { type HttpSend, sendHttp } from '../../lambda/shared/http-client';
import type { AwsClients } from '../shared/aws';
import type { Clock } from '../shared/clock';
import type { Check, Progress } from '../shared/progress';
import type { StackOutputs } from '../shared/stack-outputs';

/** What every scenario gets. */
export interface ScenarioContext {
  readonly clients: AwsClients;
  readonly outputs: StackOutputs;
  readonly stackName: string;
  readonly clock: Clock;
  readonly progress: Progress;
  readonly send: HttpSend;
  /** Pacing wait of order streams (real time by default; instant in tests). */
  readonly pace: (ms: number) => Promise<void>;
}

/** A scenario: runs against the deployed stack and returns its checks (all must pass). */
export type Scenario<O> = (ctx: ScenarioContext, options: O) => Promise<Check[]>;

export const defaultSend: HttpSend = sendHttp;
export const realPace = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
