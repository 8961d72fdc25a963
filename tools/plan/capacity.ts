import { DateTime } from 'luxon';
import { minCapacityInForce, type ScheduledActionLike } from '../schedule/scheduled-actions';

/** A run of minutes with the same scheduled minimum. */
export interface Segment {
  /** Local HH:MM of the first minute. */
  readonly from: string;
  /** Local HH:MM of the last minute. */
  readonly to: string;
  readonly tasks: number;
}

/** The scheduled minimum at every minute of one local day's window. */
export interface DayCapacity {
  /** ISO date, local to the zone. */
  readonly date: string;
  readonly weekday: string;
  /** Offset and abbreviation in force at the window start, e.g. `-05:00 EST`. */
  readonly offset: string;
  /** Minutes since local midnight of the first and last minute. */
  readonly fromMinute: number;
  readonly toMinute: number;
  /** Scheduled minimum task count at each minute of the window. */
  readonly counts: number[];
  readonly segments: Segment[];
}

/** `HH:MM` of minutes since midnight. */
export function hhmm(minuteOfDay: number): string {
  const h = Math.floor(minuteOfDay / 60);
  const m = minuteOfDay % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** Minutes since midnight of `HH:MM`. */
export function minuteOf(time: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  if (!m) throw new Error(`"${time}" is not HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * The scheduled minimum at every minute of a local day between `fromMinute` and `toMinute` (inclusive):
 * the MinCapacity of the latest action that fired at or before that minute, or the target's own
 * MinCapacity when none fired within `LOOKBACK_DAYS`. Computed by `minCapacityInForce`
 * (tools/schedule/scheduled-actions.ts), which the pre-open scenario uses too, with its tie rule: of actions
 * firing at the same instant, the lowest minimum is in force.
 */
export function dayCapacity(
  actions: readonly ScheduledActionLike[],
  targetMinCapacity: number,
  date: string,
  zone: string,
  fromMinute: number,
  toMinute: number,
): DayCapacity {
  const day = DateTime.fromISO(date, { zone }).startOf('day');
  if (!day.isValid) throw new Error(`"${date}" is not an ISO date`);
  const at = (m: number): number =>
    m < 24 * 60
      ? DateTime.fromObject(
          { year: day.year, month: day.month, day: day.day, hour: Math.floor(m / 60), minute: m % 60 },
          { zone },
        ).toMillis()
      : day.plus({ days: 1 }).toMillis() + (m - 24 * 60) * 60_000;
  const first = at(fromMinute);
  const last = at(toMinute);
  const instants: number[] = [];
  // Without an offset change inside the window, local minutes are consecutive instants; on a DST night each
  // wall-clock minute is converted by luxon.
  const steady = last - first === (toMinute - fromMinute) * 60_000;
  for (let m = fromMinute; m <= toMinute; m++)
    instants.push(steady ? first + (m - fromMinute) * 60_000 : at(m));
  const counts = minCapacityInForce(actions, instants, targetMinCapacity).map((m) => m.minCapacity);
  const segments: Segment[] = [];
  counts.forEach((tasks, i) => {
    const last = segments[segments.length - 1];
    const minute = hhmm(fromMinute + i);
    if (last && last.tasks === tasks) segments[segments.length - 1] = { ...last, to: minute };
    else segments.push({ from: minute, to: minute, tasks });
  });
  const start = DateTime.fromMillis(instants[0], { zone });
  return {
    date: day.toISODate() ?? date,
    weekday: day.setLocale('en-US').toFormat('cccc'),
    offset: `${start.toFormat('ZZ')} ${start.setLocale('en-US').toFormat('ZZZZ')}`,
    fromMinute,
    toMinute,
    counts,
    segments,
  };
}

/** The scheduled minimum at a local `HH:MM` of a computed day. */
export function countAt(day: DayCapacity, time: string): number {
  const i = minuteOf(time) - day.fromMinute;
  if (i < 0 || i >= day.counts.length)
    throw new Error(`${time} is outside ${hhmm(day.fromMinute)}-${hhmm(day.toMinute)}`);
  return day.counts[i];
}

/** Local `HH:MM` at which the level in force at `time` began (the window start when it began earlier). */
export function levelSince(day: DayCapacity, time: string): string {
  let i = minuteOf(time) - day.fromMinute;
  const level = day.counts[i];
  while (i > 0 && day.counts[i - 1] === level) i--;
  return hhmm(day.fromMinute + i);
}

/** Task-hours of a day's counts (one count per minute). */
export function taskHours(day: DayCapacity): number {
  return day.counts.reduce((sum, c) => sum + c, 0) / 60;
}

/** A DST transition and the trading days around it. */
export interface DstSwitch {
  /** Local date of the night the offset changes. */
  readonly switchDate: string;
  readonly offsetBefore: string;
  readonly offsetAfter: string;
  /** True when clocks go forward. */
  readonly dstStarts: boolean;
  /** Last weekday before and first weekday after the switch. */
  readonly before: string;
  readonly after: string;
}

/**
 * The DST transitions of `year` in `zone` (the instants at which the UTC offset changes), found by luxon,
 * with the last weekday before and the first weekday after each.
 */
export function dstSwitches(zone: string, year: number): DstSwitch[] {
  const out: DstSwitch[] = [];
  let day = DateTime.fromObject({ year, month: 1, day: 1 }, { zone });
  while (day.year === year) {
    const next = day.plus({ days: 1 });
    if (next.offset !== day.offset) {
      let before = day;
      while (before.weekday > 5) before = before.minus({ days: 1 });
      let after = next;
      while (after.weekday > 5) after = after.plus({ days: 1 });
      out.push({
        switchDate: day.toISODate()!,
        offsetBefore: day.toFormat('ZZ'),
        offsetAfter: next.toFormat('ZZ'),
        dstStarts: next.offset > day.offset,
        before: before.toISODate()!,
        after: after.toISODate()!,
      });
    }
    day = next;
  }
  return out;
}
