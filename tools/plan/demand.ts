import { DateTime } from 'luxon';
import { minuteOf } from './capacity';
import type { DaySimulationAssumptions } from './day-assumptions';

/** Seconds in the simulated (non-DST-switch) local day. */
export const DAY_SECONDS = 86_400;

/** A demand curve at one-second resolution, in CPU units of work per second of the local day. */
export interface DemandCurve {
  /** Demand at each second since local midnight, bursts included. */
  readonly perSecond: Float64Array;
  /** The same without bursts: what a forecast can know. */
  readonly base: Float64Array;
  /** Units of work at the busiest second of the base curve. */
  readonly peakUnits: number;
}

/**
 * The session's volume shares as a rate curve scaled so that its busiest moment is 1: piecewise linear between
 * bucket midpoints, flat from the session start to the first midpoint and from the last midpoint to the end.
 *
 * @returns the value at `second` (since local midnight), or undefined outside the session
 */
export function sessionShape(
  sharesPercent: readonly number[],
  bucketMinutes: number,
  sessionStart: string,
  second: number,
): number | undefined {
  const start = minuteOf(sessionStart) * 60;
  const bucket = bucketMinutes * 60;
  const end = start + sharesPercent.length * bucket;
  if (second < start || second >= end) return undefined;
  let max = 0;
  for (const x of sharesPercent) if (x > max) max = x;
  const pos = (second - start) / bucket - 0.5; // in buckets, 0 = first midpoint
  if (pos <= 0) return sharesPercent[0] / max;
  const last = sharesPercent.length - 1;
  if (pos >= last) return sharesPercent[last] / max;
  const i = Math.floor(pos);
  const f = pos - i;
  return (sharesPercent[i] * (1 - f) + sharesPercent[i + 1] * f) / max;
}

/** Throws when `date` in `zone` is not 24 hours long (a DST switch day): the simulation runs on wall-clock seconds. */
export function assertPlainDay(date: string, zone: string): void {
  const day = DateTime.fromISO(date, { zone }).startOf('day');
  const hours = day.plus({ days: 1 }).diff(day, 'hours').hours;
  if (!day.isValid || hours !== 24) {
    throw new Error(
      `day simulation: ${date} in ${zone} is ${day.isValid ? `${hours} h long (a DST switch)` : 'not a date'}; choose a 24-hour day (daySimulation.day)`,
    );
  }
}

/**
 * The day's demand: the intraday volume profile in the session, scaled to `peakUnits`, the extended-hours and
 * overnight levels outside it, and the volatility bursts on top (the largest multiplier where they overlap).
 */
export function demandCurve(
  sim: Pick<DaySimulationAssumptions, 'intradayVolume' | 'offHours' | 'bursts'>,
  peakUnits: number,
  seconds = DAY_SECONDS,
): DemandCurve {
  const v = sim.intradayVolume;
  const o = sim.offHours;
  const extendedFrom = minuteOf(o.extendedFrom) * 60;
  const extendedTo = minuteOf(o.extendedTo) * 60;
  const base = new Float64Array(seconds);
  const perSecond = new Float64Array(seconds);
  const sessionFrom = minuteOf(v.sessionStart) * 60;
  const sessionTo = sessionFrom + v.sharesPercent.length * v.bucketMinutes * 60;
  for (let t = 0; t < seconds; t++) {
    const inSession = t >= sessionFrom && t < sessionTo;
    const shape = inSession ? sessionShape(v.sharesPercent, v.bucketMinutes, v.sessionStart, t) : undefined;
    const level =
      shape ?? (t >= extendedFrom && t < extendedTo ? o.extendedShareOfPeak : o.overnightShareOfPeak);
    base[t] = level * peakUnits;
  }
  // Overlapping bursts: the largest multiplier.
  const multiplier = new Float64Array(seconds).fill(1);
  for (const b of sim.bursts) {
    const from = minuteOf(b.at) * 60;
    for (let t = from; t < Math.min(seconds, from + b.seconds); t++) {
      multiplier[t] = Math.max(multiplier[t], b.multiplier);
    }
  }
  for (let t = 0; t < seconds; t++) perSecond[t] = base[t] * multiplier[t];
  return { perSecond, base, peakUnits };
}
