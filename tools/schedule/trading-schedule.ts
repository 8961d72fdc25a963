import { DateTime } from 'luxon';
import type { ClockTime } from '../../lib/config/types';
import {
  actionFireTimes,
  minCapacityInForce,
  LOOKBACK_DAYS,
  type ScheduledActionLike,
} from './scheduled-actions';

export { ScheduleExpressionError, type ScheduledActionLike } from './scheduled-actions';

/**
 * Schedule math of the trading day, in America/New_York, with real time-zone rules (luxon/Intl), so DST is
 * handled the way Application Auto Scaling handles it for scheduled actions with a time zone.
 *
 * Pure: no clock, no AWS. Used by the `pre-open-capacity` scenario. Which minimum is in force at an
 * instant is computed by tools/schedule/scheduled-actions.ts, the same code the capacity plan uses.
 */

/** The exchange's time zone. */
export const MARKET_ZONE = 'America/New_York';

/** A wall-clock time: the configuration's clock-time type, so the two cannot drift apart. */
export type WallTime = ClockTime;

/**
 * Every instant in [from, to) at which `action` fires, in time order, evaluated by the shared schedule
 * evaluator (tools/schedule/schedule-expression.ts) in the action's time zone.
 */
export function fireTimes(action: ScheduledActionLike, from: DateTime, to: DateTime): DateTime[] {
  const zone = action.timezone ?? 'UTC';
  return actionFireTimes(action, from.toMillis(), to.toMillis() - 1).map((ms) =>
    DateTime.fromMillis(ms, { zone }),
  );
}

/** The minimum capacity in force at an instant, and which action set it. */
export interface MinCapacityInForce {
  readonly minCapacity: number;
  /** The scheduled action that set it, or undefined when it is the scalable target's own minimum. */
  readonly action?: string;
  /** When that action fired, in the zone of the instant asked about. */
  readonly firedAt?: DateTime;
}

/**
 * The minimum capacity in force at `instant`: the `minCapacity` of the scheduled action that fired last
 * at or before it (looking back `lookbackDays`), else `fallbackMin` (the scalable target's minimum as it
 * is now). Actions firing at the same instant resolve by the tie rule of `scheduledChanges` in
 * tools/schedule/scheduled-actions.ts: the lowest minimum wins.
 */
export function minCapacityAt(
  actions: readonly ScheduledActionLike[],
  instant: DateTime,
  fallbackMin: number,
  lookbackDays = LOOKBACK_DAYS,
): MinCapacityInForce {
  const [inForce] = minCapacityInForce(actions, [instant.toMillis()], fallbackMin, lookbackDays);
  if (inForce.action === undefined) return { minCapacity: inForce.minCapacity };
  return {
    minCapacity: inForce.minCapacity,
    action: inForce.action,
    firedAt: DateTime.fromMillis(inForce.firedAtMs!, { zone: instant.zone }),
  };
}

/** Monday to Friday. Exchange holidays are not modelled: on a holiday the schedule only adds spare capacity. */
export function isTradingDay(day: DateTime): boolean {
  return day.setZone(MARKET_ZONE).weekday <= 5;
}

/** The first trading day whose `time` (New York) is after `now`, as that instant. */
export function nextTradingDayAt(now: DateTime, time: WallTime): DateTime {
  let day = now.setZone(MARKET_ZONE).startOf('day');
  for (let i = 0; i < 10; i++, day = day.plus({ days: 1 })) {
    const at = day.set({ hour: time.hour, minute: time.minute });
    if (isTradingDay(at) && at > now) return at;
  }
  throw new Error('no trading day within 10 days');
}

/**
 * The first trading day after the next change of New York's UTC offset (a DST transition), at `time`.
 * Checking the schedule on that day proves it does not depend on the current offset.
 */
export function firstTradingDayAfterNextDstChange(now: DateTime, time: WallTime): DateTime {
  const start = now.setZone(MARKET_ZONE).startOf('day');
  for (let i = 1; i <= 370; i++) {
    const day = start.plus({ days: i });
    if (day.offset !== day.minus({ days: 1 }).offset) return nextTradingDayAt(day, time);
  }
  throw new Error(`${MARKET_ZONE} has no offset change within a year`);
}
