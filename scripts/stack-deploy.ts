import { spawn } from 'node:child_process';
import { ConfigError, REGION, resolveConfig } from '../lib/config/resolve-config';
import type { TapConfig } from '../lib/config/types';
import { parseArgs, stringOption, UsageError } from '../tools/shared/args';
import { awsClients } from '../tools/shared/aws';
import { type Clock, systemClock } from '../tools/shared/clock';
import { Progress } from '../tools/shared/progress';
import { REPO_ROOT } from '../tools/shared/repo';
import { describeAwsFailure } from '../tools/deploy/aws-errors';
import { type CommandRunner, type StackDeployClients, stackDeploy } from '../tools/deploy/stack-deploy';

export const STACK_DEPLOY_USAGE = `Usage: npm run stack:deploy -- --profile <dev|prod> [-c key=value ...] [options]

Updates (or creates) OrderBroker-<profile> through CloudFormation, after these checks:
placeholders refused; no update 09:10-10:30 or 15:40-16:30 America/New_York on weekdays; destructive and
permission-broadening changes refused unless confirmed (cdk diff --fail-on); drift reported; the listeners
kept on the target group that is live now (read from the ALB, passed as the LiveTargetGroup parameter).
  -c, --context key=value     configuration override, as for cdk synth (repeatable), e.g. -c account=...
  --break-glass "<reason>"    update inside a market window; the reason is logged
  --confirm-destructive       go ahead although cdk diff reports replaced, deleted or orphaned resources
  --confirm-broadening        go ahead although cdk diff reports broadened permissions
  --region us-east-2
Exit: 0 deployed, 1 synth or deploy failed, 2 bad usage or configuration, 3 could not read AWS
      (credentials, network, access), 4 refused by a check (nothing was changed).`;

/** Exit codes of {@link stackDeployMain}. */
export const STACK_EXIT = { ok: 0, failed: 1, usage: 2, cannotStart: 3, refused: 4 } as const;

/** Dependencies of {@link stackDeployMain} (real ones by default, fakes in tests). */
export interface StackCliDeps {
  readonly clients?: (region: string) => StackDeployClients;
  readonly run?: CommandRunner;
  readonly clock?: Clock;
  readonly write?: (line: string) => void;
}

/** Runs a command in the repository with the SRE's terminal attached. */
export const spawnRunner: CommandRunner = (command, args) =>
  new Promise((resolve) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
    child.on('error', () => resolve(127));
    child.on('close', (code) => resolve(code ?? 1));
  });

/** Splits `-c key=value` / `--context key=value` (repeatable) from the other options (pure). */
export function splitContext(argv: readonly string[]): { context: Record<string, string>; rest: string[] } {
  const context: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg !== '-c' && arg !== '--context') {
      rest.push(arg);
      continue;
    }
    const pair = argv[++i];
    const m = pair === undefined ? null : /^([A-Za-z][A-Za-z0-9]*)=(.*)$/s.exec(pair);
    if (!m)
      throw new UsageError(`${arg} ${pair ?? ''}: expected key=value, e.g. -c account=210987654321`.trim());
    if (m[1] === 'profile') throw new UsageError('pass the profile with --profile, not -c profile=...');
    context[m[1]] = m[2];
  }
  return { context, rest };
}

/** The stack:deploy CLI; returns the exit code. */
export async function stackDeployMain(argv: readonly string[], deps: StackCliDeps = {}): Promise<number> {
  const write = deps.write ?? ((l: string) => console.log(l));
  const clock = deps.clock ?? systemClock;
  const progress = new Progress(clock, write);
  let config: TapConfig;
  let context: Record<string, string>;
  let options: ReturnType<typeof parseArgs>['options'];
  try {
    const split = splitContext(argv);
    context = split.context;
    const parsed = parseArgs(
      split.rest,
      ['profile', 'break-glass', 'region'],
      ['confirm-destructive', 'confirm-broadening', 'help'],
    );
    options = parsed.options;
    if (options.help) {
      write(STACK_DEPLOY_USAGE);
      return STACK_EXIT.ok;
    }
    if (parsed.positional.length > 0) {
      throw new UsageError(
        `unexpected argument ${JSON.stringify(parsed.positional[0])}; options start with --`,
      );
    }
    const profile = stringOption(options, 'profile');
    if (!profile) throw new UsageError('--profile is required (dev or prod)');
    const region = stringOption(options, 'region', REGION)!;
    if (region !== REGION)
      throw new UsageError(`--region = "${region}": the platform runs in ${REGION} only`);
    const reason = stringOption(options, 'break-glass');
    if (reason !== undefined && reason.trim().length < 10) {
      throw new UsageError(
        `--break-glass = ${JSON.stringify(reason)}: give the reason in words (at least 10 characters), e.g. --break-glass "INC-4211 fix order rejection"`,
      );
    }
    config = resolveConfig({ ...context, profile });
  } catch (err) {
    if (err instanceof UsageError) {
      write(`error: ${err.message}\n\n${STACK_DEPLOY_USAGE}`);
      return STACK_EXIT.usage;
    }
    if (err instanceof ConfigError) {
      write(err.message);
      return STACK_EXIT.usage;
    }
    throw err;
  }

  try {
    const outcome = await stackDeploy(
      {
        config,
        context,
        breakGlass: stringOption(options, 'break-glass')?.trim(),
        confirmDestructive: options['confirm-destructive'] === true,
        confirmBroadening: options['confirm-broadening'] === true,
      },
      {
        clients: (deps.clients ?? awsClients)(REGION),
        run: deps.run ?? spawnRunner,
        clock,
        progress,
      },
    );
    switch (outcome.status) {
      case 'deployed':
        write(`${config.stackName} deployed; production stays on ${outcome.liveTargetGroup}`);
        return STACK_EXIT.ok;
      case 'refused':
        for (const reason of outcome.reasons) write(`refused: ${reason}`);
        return STACK_EXIT.refused;
      case 'failed':
        write(`error: ${outcome.reason}`);
        return STACK_EXIT.failed;
    }
  } catch (err) {
    write(`error: could not start: ${describeAwsFailure(`reading ${config.stackName}`, err)}`);
    return STACK_EXIT.cannotStart;
  }
}

if (require.main === module) {
  void stackDeployMain(process.argv.slice(2)).then((code) => process.exit(code));
}
