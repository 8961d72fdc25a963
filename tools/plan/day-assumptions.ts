import { DateTime } from 'luxon';

/**
 * The dated inputs of the day simulation (`daySimulation` in data/plan-assumptions.json): the intraday volume
 * profile and its source, the volatility bursts, and the AWS behaviour the template cannot hold.
 */

/** A volatility burst: demand x `multiplier` for `seconds` from `at` (local HH:MM). */
export interface Burst {
  readonly label: string;
  readonly at: string;
  readonly seconds: number;
  readonly multiplier: number;
}

/** The intraday volume profile: shares of the session's volume per bucket. */
export interface IntradayVolume {
  readonly source: string;
  readonly retrievedOn: string;
  readonly verification: string;
  readonly bucketMinutes: number;
  readonly sessionStart: string;
  readonly sharesPercent: readonly number[];
  readonly interpolation: string;
}

/** Parsed `daySimulation` block. */
export interface DaySimulationAssumptions {
  readonly reviewedOn: string;
  /** Local date of the simulated day (must not be a DST switch day). */
  readonly day: string;
  readonly intradayVolume: IntradayVolume;
  readonly peak: { readonly spikeLevelShare: number; readonly basis: string };
  readonly offHours: {
    readonly extendedFrom: string;
    readonly extendedTo: string;
    readonly extendedShareOfPeak: number;
    readonly overnightShareOfPeak: number;
    readonly basis: string;
  };
  readonly bursts: readonly Burst[];
  readonly burstsBasis: string;
  readonly capacityModel: string;
  readonly targetTracking: {
    readonly periodSeconds: number;
    readonly scaleOutDatapoints: number;
    readonly scaleInDatapoints: number;
    readonly scaleInThresholdShareOfTarget: number;
    readonly source: string;
    readonly basis: string;
  };
  readonly metricDelays: {
    readonly ecsMetricSeconds: number;
    readonly emfSeconds: number;
    readonly policyToPlacementSeconds: number;
    readonly basis: string;
  };
  readonly stepScaling: { readonly source: string; readonly basis: string };
  readonly inFlightMetric: {
    readonly metricName: string;
    readonly perTaskAtTarget: number;
    readonly basis: string;
  };
  readonly predictive: {
    readonly model: 'perfectHourlyForecast';
    readonly source: string;
    readonly basis: string;
  };
  readonly scaleIn: string;
  readonly billing: string;
  readonly old: { readonly reactionSeconds: number; readonly startSeconds: number; readonly basis: string };
}

/** Raised for a malformed value: names the file, the key, the value and what is allowed. */
export class DayAssumptionsError extends Error {
  constructor(file: string, key: string, value: unknown, allowed: string) {
    super(`${file}: ${key} = ${JSON.stringify(value ?? null)}: ${allowed}`);
    this.name = 'DayAssumptionsError';
  }
}

type Json = Record<string, unknown>;

/**
 * Validates the `daySimulation` block of the assumptions file.
 *
 * @throws DayAssumptionsError naming the key, the value and what is allowed
 */
export function parseDaySimulation(file: string, raw: unknown): DaySimulationAssumptions {
  const prefix = 'daySimulation';
  const at = (key: string): unknown => {
    let cur: unknown = raw;
    for (const part of `${prefix}.${key}`.split('.'))
      cur = typeof cur === 'object' && cur !== null ? (cur as Json)[part] : undefined;
    return cur;
  };
  const fail = (key: string, allowed: string): never => {
    throw new DayAssumptionsError(file, `${prefix}.${key}`, at(key), allowed);
  };
  const num = (key: string, { min = 0, integer = false, inclusive = false } = {}): number => {
    const v = at(key);
    const ok =
      typeof v === 'number' &&
      Number.isFinite(v) &&
      (inclusive ? v >= min : v > min) &&
      (!integer || Number.isInteger(v));
    if (!ok) fail(key, `expected ${integer ? 'an integer' : 'a number'} ${inclusive ? '>=' : '>'} ${min}`);
    return v as number;
  };
  const text = (key: string): string => {
    const v = at(key);
    if (typeof v !== 'string' || v.trim() === '') fail(key, 'expected a non-empty string');
    return v as string;
  };
  const date = (key: string): string => {
    const v = text(key);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || !DateTime.fromISO(v).isValid)
      fail(key, 'expected a date YYYY-MM-DD');
    return v;
  };
  const clock = (key: string): string => {
    const v = text(key);
    const m = /^(\d{2}):(\d{2})$/.exec(v);
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) fail(key, 'expected a local time HH:MM');
    return v;
  };
  const share = (key: string): number => {
    const v = num(key);
    if (v > 1) fail(key, 'expected a share in (0, 1]');
    return v;
  };
  const shares = at('intradayVolume.sharesPercent');
  if (!Array.isArray(shares) || shares.length === 0 || !shares.every((s) => typeof s === 'number' && s > 0)) {
    fail('intradayVolume.sharesPercent', 'expected a non-empty list of positive percentages');
  }
  const total = (shares as number[]).reduce((s, x) => s + x, 0);
  if (Math.abs(total - 100) > 0.5)
    fail('intradayVolume.sharesPercent', `expected shares summing to 100 (they sum to ${total})`);
  const bursts = at('bursts');
  if (!Array.isArray(bursts)) fail('bursts', 'expected a list (empty for a day without bursts)');
  const model = at('predictive.model');
  if (model !== 'perfectHourlyForecast') fail('predictive.model', 'expected "perfectHourlyForecast"');
  const ecs = num('metricDelays.ecsMetricSeconds', { inclusive: true, integer: true });
  return {
    reviewedOn: date('reviewedOn'),
    day: date('day'),
    intradayVolume: {
      source: text('intradayVolume.source'),
      retrievedOn: date('intradayVolume.retrievedOn'),
      verification: text('intradayVolume.verification'),
      bucketMinutes: num('intradayVolume.bucketMinutes', { integer: true }),
      sessionStart: clock('intradayVolume.sessionStart'),
      sharesPercent: shares as number[],
      interpolation: text('intradayVolume.interpolation'),
    },
    peak: { spikeLevelShare: num('peak.spikeLevelShare'), basis: text('peak.basis') },
    offHours: {
      extendedFrom: clock('offHours.extendedFrom'),
      extendedTo: clock('offHours.extendedTo'),
      extendedShareOfPeak: share('offHours.extendedShareOfPeak'),
      overnightShareOfPeak: share('offHours.overnightShareOfPeak'),
      basis: text('offHours.basis'),
    },
    bursts: (bursts as unknown[]).map((_, i) => ({
      label: text(`bursts.${i}.label`),
      at: clock(`bursts.${i}.at`),
      seconds: num(`bursts.${i}.seconds`, { integer: true }),
      multiplier: num(`bursts.${i}.multiplier`),
    })),
    burstsBasis: text('burstsBasis'),
    capacityModel: text('capacityModel'),
    targetTracking: {
      periodSeconds: num('targetTracking.periodSeconds', { integer: true }),
      scaleOutDatapoints: num('targetTracking.scaleOutDatapoints', { integer: true }),
      scaleInDatapoints: num('targetTracking.scaleInDatapoints', { integer: true }),
      scaleInThresholdShareOfTarget: share('targetTracking.scaleInThresholdShareOfTarget'),
      source: text('targetTracking.source'),
      basis: text('targetTracking.basis'),
    },
    metricDelays: {
      ecsMetricSeconds: ecs,
      emfSeconds: num('metricDelays.emfSeconds', { inclusive: true, integer: true }),
      policyToPlacementSeconds: num('metricDelays.policyToPlacementSeconds', {
        inclusive: true,
        integer: true,
      }),
      basis: text('metricDelays.basis'),
    },
    stepScaling: { source: text('stepScaling.source'), basis: text('stepScaling.basis') },
    inFlightMetric: {
      metricName: text('inFlightMetric.metricName'),
      perTaskAtTarget: num('inFlightMetric.perTaskAtTarget'),
      basis: text('inFlightMetric.basis'),
    },
    predictive: {
      model: 'perfectHourlyForecast',
      source: text('predictive.source'),
      basis: text('predictive.basis'),
    },
    scaleIn: text('scaleIn'),
    billing: text('billing'),
    old: {
      reactionSeconds: num('old.reactionSeconds', { integer: true }),
      startSeconds: num('old.startSeconds', { integer: true }),
      basis: text('old.basis'),
    },
  };
}
