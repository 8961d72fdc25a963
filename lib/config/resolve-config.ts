import { CONFIG_KEY_NAMES, CONFIG_KEYS } from './keys';
import { DEFAULT_PROFILE, PROFILES } from './profiles';
import { ConfigError, Reader } from './reader';
import {
  readCapacity,
  readDeployment,
  readIdentity,
  readNetwork,
  readOrdersDatabase,
  readSchedule,
  readService,
  readTls,
  readTradesStream,
} from './sections';
import { REGION } from './constants';
import type { ProfileName, TapConfig } from './types';

// The constants and helpers once defined here; import them from their own modules in new code.
export { ConfigError } from './reader';
export { formatTime } from './clock-time';
export {
  COST_CENTER_PATTERN,
  IMAGE_REF_PATTERN,
  MARKET_CLOSE,
  MARKET_OPEN,
  REGION,
  SCALE_UP_LEAD_MINUTES,
} from './constants';

/** Edit distance (insertions, deletions, substitutions) between two keys. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

/** The known key nearest to `key` (case-insensitive edit distance; ties in documentation order). */
export function nearestKey(key: string): string {
  let best: string = CONFIG_KEY_NAMES[0];
  let bestDistance = Infinity;
  for (const known of CONFIG_KEY_NAMES) {
    const d = editDistance(key.toLowerCase(), known.toLowerCase());
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Resolves the configuration from CDK context: the profile named by `profile` (default `dev`),
 * overridden key by key. Throws `ConfigError` listing every invalid value.
 *
 * @param context the app's context values (`app.node.getAllContext()`); feature flags and CLI keys are ignored
 */
export function resolveConfig(context: Readonly<Record<string, unknown>>): TapConfig {
  const profileValue = context.profile ?? DEFAULT_PROFILE;
  const profile = (
    typeof profileValue === 'string' ? profileValue : JSON.stringify(profileValue)
  ) as ProfileName;
  if (!Object.prototype.hasOwnProperty.call(PROFILES, profile)) {
    throw new ConfigError(profile, [
      `profile = ${JSON.stringify(profileValue)}: expected one of ${Object.keys(PROFILES).join(', ')}`,
    ]);
  }

  const overrides: Record<string, string | number | undefined> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(context)) {
    // Feature flags (@aws-cdk/...), CLI context (aws:cdk:...) and lookups all contain ':' or '/'.
    if (!/^[a-z][a-zA-Z0-9]*$/.test(key)) continue;
    if (!(key in CONFIG_KEYS)) {
      unknown.push(key);
      continue;
    }
    if (typeof value === 'string' || typeof value === 'number' || value === undefined) overrides[key] = value;
    else overrides[key] = JSON.stringify(value);
  }
  const r = new Reader({ ...PROFILES[profile], ...overrides });
  for (const key of unknown) {
    r.fail(
      key,
      context[key],
      `unknown configuration key; did you mean ${nearestKey(key)}? Known keys: ${CONFIG_KEY_NAMES.join(', ')}`,
    );
  }

  const { account, costCenter } = readIdentity(r, profile);
  const { network, clientCidr } = readNetwork(r);
  const { loadBalancing, alerting } = readTls(r, profile, account);
  const service = readService(r);
  const capacity = readCapacity(r);
  const schedule = readSchedule(r);
  const tradesStream = readTradesStream(r);
  const { ordersDatabase, dbUser, dbName } = readOrdersDatabase(r);
  const deployment = readDeployment(r);

  if (r.problems.length > 0) throw new ConfigError(profile, r.problems);

  // Every section returned a value when no problem was recorded; the non-null assertions cannot fail.
  return {
    profile,
    stackName: `OrderBroker-${profile}`,
    env: { account, region: REGION },
    tags: {
      costCenter: costCenter!,
      project: 'TradingPlatform',
      service: 'OrderBroker',
      environment: profile,
    },
    network: network!,
    clientCidr: clientCidr!,
    tradesStream: tradesStream!,
    ordersDatabase: ordersDatabase!,
    dbUser: dbUser!,
    dbName: dbName!,
    service: service!,
    capacity: capacity!,
    schedule: schedule!,
    loadBalancing,
    deployment: deployment!,
    alerting,
  };
}
