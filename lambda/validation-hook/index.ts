import {
  CodeDeployClient,
  LifecycleEventStatus,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import type { Context } from 'aws-lambda';
import { type HttpSend, pooledHttpClient } from '../shared/http-client';
import { type HookSettings, loadHookSettings } from './settings';
import { type ValidationReport, validateGreen } from './validate';

/** The event CodeDeploy sends a lifecycle hook (`AfterAllowTestTraffic`). */
export interface LifecycleHookEvent {
  readonly DeploymentId: string;
  readonly LifecycleEventHookExecutionId: string;
}

/** What the hook reported, and why. */
export interface HookOutcome {
  readonly deploymentId: string;
  readonly status: 'Succeeded' | 'Failed';
  readonly reasons: string[];
  readonly report?: ValidationReport;
}

/** Dependencies of {@link runHook}; the handler passes the real ones, tests pass fakes. */
export interface HookDeps {
  readonly codedeploy: Pick<CodeDeployClient, 'send'>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly send: HttpSend;
  readonly remainingMs: () => number;
  readonly log: (line: string) => void;
  /** Connections `send` has opened, logged with the verdict (a pooled client opens at most `concurrency`). */
  readonly connectionsOpened?: () => number;
}

/**
 * Runs the validation and reports the verdict to CodeDeploy. It reports `Failed` on every error it can
 * catch (bad settings, unreachable green, unexpected exceptions): a hook that does not report holds the
 * deployment until CodeDeploy's hook timeout. Only when CodeDeploy itself cannot be told does it throw,
 * so the failure shows in the function's Errors metric, whose alarm is a rollback alarm of the deployment group.
 */
export async function runHook(event: LifecycleHookEvent, deps: HookDeps): Promise<HookOutcome> {
  if (!event?.DeploymentId || !event?.LifecycleEventHookExecutionId) {
    throw new Error(
      'event is not a CodeDeploy lifecycle hook event: DeploymentId and LifecycleEventHookExecutionId are required',
    );
  }
  let outcome: HookOutcome;
  try {
    const settings: HookSettings = loadHookSettings(deps.env);
    const report = await validateGreen(settings, event.DeploymentId, {
      send: deps.send,
      remainingMs: deps.remainingMs,
    });
    outcome = {
      deploymentId: event.DeploymentId,
      status: report.passed ? 'Succeeded' : 'Failed',
      reasons: report.reasons,
      report,
    };
  } catch (err) {
    outcome = {
      deploymentId: event.DeploymentId,
      status: 'Failed',
      reasons: [`validation could not run: ${(err as Error).message}`],
    };
  }
  // One structured line per verdict: Logs Insights can list every validation of a deployment.
  deps.log(
    JSON.stringify({
      message: 'validation verdict',
      ...outcome,
      ...(deps.connectionsOpened ? { connectionsOpened: deps.connectionsOpened() } : {}),
    }),
  );
  try {
    await deps.codedeploy.send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: event.DeploymentId,
        lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
        status: outcome.status === 'Succeeded' ? LifecycleEventStatus.SUCCEEDED : LifecycleEventStatus.FAILED,
      }),
    );
  } catch (err) {
    // The SDK retries a call whose answer was lost; the retry of a report that landed gets this. The verdict is
    // recorded: throwing would count an Error, and the Errors alarm is a rollback alarm of the deployment group.
    if ((err as Error).name !== 'LifecycleEventAlreadyCompletedException') throw err;
    deps.log(
      JSON.stringify({ message: 'verdict already recorded by CodeDeploy', deploymentId: event.DeploymentId }),
    );
  }
  return outcome;
}

const codedeploy = new CodeDeployClient({});

/** Most connections the hook keeps open to green (the settings allow at most 50 orders in flight). */
const MAX_CONNECTIONS = 50;

/**
 * Lambda entry point: CodeDeploy's `AfterAllowTestTraffic` hook. One keep-alive pool per invocation: the
 * orders reuse at most `concurrency` connections (each worker waits for its answer before the next order), and
 * the pool is closed before the function returns.
 */
export async function handler(event: LifecycleHookEvent, context: Context): Promise<HookOutcome> {
  const client = pooledHttpClient(MAX_CONNECTIONS);
  try {
    return await runHook(event, {
      codedeploy,
      env: process.env,
      send: client.send,
      remainingMs: () => context.getRemainingTimeInMillis(),
      log: (line) => console.log(line),
      connectionsOpened: () => client.socketsOpened(),
    });
  } finally {
    client.close();
  }
}
