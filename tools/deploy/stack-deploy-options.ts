import { REGION, resolveConfig } from '../../lib/config/resolve-config';
import { type ParsedArgs, stringOption, UsageError } from '../shared/args';
import type { StackDeployRequest } from './stack-deploy';

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

/** Exit codes of `npm run stack:deploy`. */
export const STACK_EXIT = { ok: 0, failed: 1, usage: 2, cannotStart: 3, refused: 4 } as const;

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

/** The `--options` and `--flags` stack:deploy accepts (besides `-c key=value`), for parseArgs. */
export const STACK_DEPLOY_OPTIONS = ['profile', 'break-glass', 'region'] as const;
export const STACK_DEPLOY_FLAGS = ['confirm-destructive', 'confirm-broadening', 'help'] as const;

/**
 * The request a parsed stack:deploy command line asks for, every option checked and the configuration resolved
 * with the `-c` overrides (pure); `'help'` for `--help`. Throws UsageError (option, value, what is allowed) or
 * ConfigError.
 */
export function stackDeployRequest(
  { options, positional }: ParsedArgs,
  context: Readonly<Record<string, string>>,
): StackDeployRequest | 'help' {
  if (options.help) return 'help';
  if (positional.length > 0) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positional[0])}; options start with --`);
  }
  const profile = stringOption(options, 'profile');
  if (!profile) throw new UsageError('--profile is required (dev or prod)');
  const region = stringOption(options, 'region', REGION)!;
  if (region !== REGION) throw new UsageError(`--region = "${region}": the platform runs in ${REGION} only`);
  const reason = stringOption(options, 'break-glass');
  if (reason !== undefined && reason.trim().length < 10) {
    throw new UsageError(
      `--break-glass = ${JSON.stringify(reason)}: give the reason in words (at least 10 characters), e.g. --break-glass "INC-4211 fix order rejection"`,
    );
  }
  return {
    config: resolveConfig({ ...context, profile }),
    context,
    breakGlass: reason?.trim(),
    confirmDestructive: options['confirm-destructive'] === true,
    confirmBroadening: options['confirm-broadening'] === true,
  };
}
