import { DateTime } from 'luxon';
import {
  fireTimes as evaluate,
  parseSchedule,
  ScheduleError,
  type ParsedSchedule,
} from './schedule-expression';

/**
 * Schedule math of the trading day, in America/New_York, with real time-zone rules (luxon/Intl), so DST is
 * handled the way Application Auto Scaling handles it for scheduled actions with a time zone.
 *
 * Pure: no clock, no AWS. Used by the `pre-open-capacity` scenario and reusable by any code that needs to
 * know when a scheduled action fires or what minimum capacity is in force at an instant.
 */

/** The exchange's time zone. */
export const MARKET_ZONE = 'America/New_York';

/** A wall-clock time. */
export interface WallTime {
  readonly hour: number;
  readonly minute: number;
}

/** A scheduled action as Application Auto Scaling describes it (the fields the math needs). */
export interface ScheduledActionLike {
  readonly name: string;
  /** `cron(m h dom mon dow year)` or `at(yyyy-mm-ddThh:mm:ss)`; `rate(...)` is not supported. */
  readonly schedule: string;
  /** IANA zone of the expression; absent means UTC. */
  readonly timeZone?: string;
  readonly minCapacity?: number;
  readonly maxCapacity?: number;
  /** The action is inactive before/after these instants. */
  readonly startTime?: Date;
  readonly endTime?: Date;
}

/** Raised for an expression that cannot be evaluated; names the action and the expression. */
export class ScheduleExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleExpressionError';
  }
}

/**
 * Every instant in [from, to) at which `action` fires, in time order, evaluated by the shared schedule
 * evaluator (lib/schedule/schedule-expression.ts) in the action's time zone.
 */
export function fireTimes(action: ScheduledActionLike, from: DateTime, to: DateTime): DateTime[] {
  let parsed: ParsedSchedule;
  try {
    parsed = parseSchedule(action.schedule, action.timeZone ?? 'UTC');
  } catch (err) {
    if (err instanceof ScheduleError) throw new ScheduleExpressionError(`${action.name}: ${err.message}`);
    throw err;
  }
  const start = action.startTime?.getTime() ?? -Infinity;
  const end = action.endTime?.getTime() ?? Infinity;
  return evaluate(parsed, from.toMillis(), to.toMillis() - 1)
    .filter((ms) => ms >= start && ms <= end)
    .map((ms) => DateTime.fromMillis(ms, { zone: parsed.zone }));
}

/** The minimum capacity in force at an instant, and which action set it. */
export interface MinCapacityInForce {
  readonly minCapacity: number;
  /** The scheduled action that set it, or undefined when it is the scalable target's own minimum. */
  readonly action?: string;
  readonly firedAt?: DateTime;
}

/**
 * The minimum capacity in force at `instant`: the `minCapacity` of the scheduled action that fired last
 * before it (looking back `lookbackDays`), else `fallbackMin` (the scalable target's minimum as it is now).
 */
export function minCapacityAt(
  actions: readonly ScheduledActionLike[],
  instant: DateTime,
  fallbackMin: number,
  lookbackDays = 8,
): MinCapacityInForce {
  let latest: { action: ScheduledActionLike; at: DateTime } | undefined;
  for (const action of actions) {
    if (action.minCapacity === undefined) continue;
    const times = fireTimes(action, instant.minus({ days: lookbackDays }), instant.plus({ milliseconds: 1 }));
    const last = times[times.length - 1];
    if (last && (!latest || last > latest.at)) latest = { action, at: last };
  }
  if (!latest) return { minCapacity: fallbackMin };
  return { minCapacity: latest.action.minCapacity!, action: latest.action.name, firedAt: latest.at };
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
