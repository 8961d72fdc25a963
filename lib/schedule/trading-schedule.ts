import { DateTime } from 'luxon';

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

/** Raised for an expression the math cannot evaluate; names the action and the expression. */
export class ScheduleExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleExpressionError';
  }
}

interface CronFields {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number> | '*';
  months: Set<number>;
  /** ISO weekdays 1 (Monday) .. 7 (Sunday). */
  daysOfWeek: Set<number> | '*';
  years: Set<number> | '*';
}

const DAY_NAMES: Record<string, number> = { MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6, SUN: 7 };
const MONTH_NAMES: Record<string, number> = {
  JAN: 1,
  FEB: 2,
  MAR: 3,
  APR: 4,
  MAY: 5,
  JUN: 6,
  JUL: 7,
  AUG: 8,
  SEP: 9,
  OCT: 10,
  NOV: 11,
  DEC: 12,
};

function parseField(
  field: string,
  min: number,
  max: number,
  names: Record<string, number> = {},
  map: (n: number) => number = (n) => n,
): Set<number> | '*' {
  if (field === '*' || field === '?') return '*';
  const values = new Set<number>();
  const value = (token: string) => {
    const upper = token.toUpperCase();
    const n = names[upper] ?? (/^\d+$/.test(token) ? Number(token) : NaN);
    if (!(n >= min && n <= max)) throw new ScheduleExpressionError(`"${token}" is not in ${min}..${max}`);
    return n;
  };
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!(step >= 1)) throw new ScheduleExpressionError(`bad step in "${part}"`);
    let from: number;
    let to: number;
    if (range === '*') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      from = value(a);
      to = value(b);
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    if (from > to) throw new ScheduleExpressionError(`range "${range}" runs backwards`);
    for (let n = from; n <= to; n += step) values.add(map(n));
  }
  return values;
}

function parseCron(body: string): CronFields {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) {
    throw new ScheduleExpressionError(
      `cron(${body}) must have 6 fields: minutes hours day-of-month month day-of-week year`,
    );
  }
  const [mi, h, dom, mon, dow, y] = parts;
  const all = (s: Set<number> | '*', min: number, max: number) =>
    s === '*' ? new Set(Array.from({ length: max - min + 1 }, (_, i) => min + i)) : s;
  return {
    minutes: all(parseField(mi, 0, 59), 0, 59),
    hours: all(parseField(h, 0, 23), 0, 23),
    daysOfMonth: parseField(dom, 1, 31),
    months: all(parseField(mon, 1, 12, MONTH_NAMES), 1, 12),
    // cron numbers Sunday as 1 and Saturday as 7; ISO numbers Monday as 1 and Sunday as 7.
    daysOfWeek: parseField(
      dow,
      1,
      7,
      Object.fromEntries(Object.entries(DAY_NAMES).map(([k, v]) => [k, (v % 7) + 1])),
      (n) => (n === 1 ? 7 : n - 1),
    ),
    years: parseField(y, 1970, 2199),
  };
}

/**
 * Every instant in [from, to) at which `action` fires, in time order. A wall-clock time that does not exist
 * on a spring-forward day fires at the next valid instant, as luxon resolves it.
 */
export function fireTimes(action: ScheduledActionLike, from: DateTime, to: DateTime): DateTime[] {
  const zone = action.timeZone ?? 'UTC';
  if (!DateTime.local({ zone }).isValid) {
    throw new ScheduleExpressionError(`${action.name}: time zone "${zone}" is not a valid IANA zone`);
  }
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(action.schedule);
  const cron = /^cron\((.*)\)$/.exec(action.schedule);
  let times: DateTime[] = [];
  if (at) {
    times = [DateTime.fromISO(at[1], { zone })];
  } else if (cron) {
    let fields: CronFields;
    try {
      fields = parseCron(cron[1]);
    } catch (err) {
      throw new ScheduleExpressionError(`${action.name}: ${action.schedule}: ${(err as Error).message}`);
    }
    for (
      let day = from.setZone(zone).startOf('day').minus({ days: 1 });
      day < to.setZone(zone).plus({ days: 1 });
      day = day.plus({ days: 1 })
    ) {
      if (!fields.months.has(day.month)) continue;
      if (fields.years !== '*' && !fields.years.has(day.year)) continue;
      if (fields.daysOfMonth !== '*' && !fields.daysOfMonth.has(day.day)) continue;
      if (fields.daysOfWeek !== '*' && !fields.daysOfWeek.has(day.weekday)) continue;
      for (const hour of [...fields.hours].sort((a, b) => a - b)) {
        for (const minute of [...fields.minutes].sort((a, b) => a - b)) {
          times.push(
            DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone }),
          );
        }
      }
    }
  } else {
    throw new ScheduleExpressionError(
      `${action.name}: "${action.schedule}" is not supported (expected cron(...) or at(...); rate(...) cannot anchor to the bell)`,
    );
  }
  const start = action.startTime ? DateTime.fromJSDate(action.startTime) : undefined;
  const end = action.endTime ? DateTime.fromJSDate(action.endTime) : undefined;
  return times
    .filter((t) => t >= from && t < to && (!start || t >= start) && (!end || t <= end))
    .sort((a, b) => a.toMillis() - b.toMillis());
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
