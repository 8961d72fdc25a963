import { DateTime } from 'luxon';
import type { ExchangeCalendar } from '../../lib/schedule/exchange-calendar';
import {
  minCapacityInForce,
  scheduledChanges,
  type ScheduledActionLike,
} from '../schedule/scheduled-actions';

/**
 * Checks every day the exchange calendar covers, not sample days: the scheduled minimum the synthesized
 * scheduled actions put in force (the same evaluator as the rest of the plan and the pre-open scenario, tie
 * rule included), at the bell checks of full and early-close trading days, and all day on holidays and
 * weekends. DST switches are covered because every day is, each wall-clock time converted by luxon.
 */

/** What a covered day is and what the schedule must do on it. */
export type DayKind = 'full' | 'early-close' | 'holiday' | 'weekend';

/** The levels and times the check holds the schedule to. */
export interface CalendarExpectations {
  readonly preOpenLevel: number;
  readonly preCloseLevel: number;
  readonly warmFloor: number;
  /** Scalable target MinCapacity: the minimum when no action fired within the lookback. */
  readonly targetMinCapacity: number;
  /** `HH:MM`: the pre-open level must be in force (e.g. 09:25). */
  readonly preOpenCheck: string;
  /** Minutes before the close at which the pre-close level must be in force (5: 15:55, or 12:55 on an early close). */
  readonly preCloseLeadMinutes: number;
  /** Seconds a cold task needs to serve: the level must already be in force this long before each check. */
  readonly coldStartSeconds: number;
}

/** The outcome for one day. */
export interface CheckedDay {
  readonly date: string;
  readonly kind: DayKind;
  /** UTC offset at noon, e.g. `-05:00`. */
  readonly offset: string;
  /** Problems on this day; empty when it passes. */
  readonly problems: string[];
}

/** The result of {@link checkCalendarDays}. */
export interface CalendarCheckResult {
  readonly from: string;
  readonly through: string;
  readonly days: CheckedDay[];
  /** Days on which New York's UTC offset differs from the day before (DST switches). */
  readonly dstSwitchDays: string[];
}

/** The kind of every day of the calendar's covered period. */
export function dayKinds(calendar: ExchangeCalendar): Array<{ date: string; kind: DayKind; close?: string }> {
  const holidays = new Set(calendar.holidays.map((d) => d.date));
  const early = new Map(calendar.earlyCloses.map((d) => [d.date, d.close]));
  const out: Array<{ date: string; kind: DayKind; close?: string }> = [];
  const last = DateTime.fromISO(calendar.coversThrough, { zone: calendar.zone });
  for (
    let d = DateTime.fromISO(calendar.coversFrom, { zone: calendar.zone });
    d <= last;
    d = d.plus({ days: 1 })
  ) {
    const date = d.toISODate()!;
    if (d.weekday > 5) out.push({ date, kind: 'weekend' });
    else if (holidays.has(date)) out.push({ date, kind: 'holiday' });
    else if (early.has(date)) out.push({ date, kind: 'early-close', close: early.get(date) });
    else out.push({ date, kind: 'full' });
  }
  return out;
}

/**
 * Evaluates the scheduled actions on every covered day:
 *
 * - full trading day: the pre-open level at `preOpenCheck` and the pre-close level `preCloseLeadMinutes`
 *   before the regular close, each already in force `coldStartSeconds` earlier;
 * - early-close day: the same pre-open check, the pre-close level before the early close (same lead and
 *   cold start), and nothing above the warm floor from the early close's pre-close check + 1 h to midnight
 *   (the weekday 15:40 action must not fire);
 * - holiday and weekend: the minimum never rises above the warm floor, at any minute.
 */
export function checkCalendarDays(
  calendar: ExchangeCalendar,
  actions: readonly ScheduledActionLike[],
  expect: CalendarExpectations,
): CalendarCheckResult {
  const zone = calendar.zone;
  const kinds = dayKinds(calendar);
  const wall = (date: string, time: string) => {
    const [hour, minute] = time.split(':').map(Number);
    return DateTime.fromISO(date, { zone }).set({ hour, minute, second: 0, millisecond: 0 });
  };
  const fmt = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  const regularClose = calendar.regularClose.hour * 60 + calendar.regularClose.minute;

  // Every instant the check asks about, in one ascending list, evaluated in one pass.
  interface Probe {
    readonly day: number;
    readonly atMs: number;
    readonly test: (tasks: number) => string | undefined;
  }
  const probes: Probe[] = [];
  const level = (day: number, date: string, time: string, want: number, what: string) => {
    const at = wall(date, time);
    for (const ms of [at.toMillis() - expect.coldStartSeconds * 1000, at.toMillis()]) {
      probes.push({
        day,
        atMs: ms,
        test: (n) =>
          n === want
            ? undefined
            : `${DateTime.fromMillis(ms, { zone }).toFormat('HH:mm:ss')}: ${n} tasks, ${what} level ${want}`,
      });
    }
  };
  // The minimum only changes when an action fires: a day's maximum is its value at the start of the window or
  // right after one of the changes inside it.
  const firstMs = DateTime.fromISO(calendar.coversFrom, { zone }).startOf('day').toMillis();
  const lastMs = DateTime.fromISO(calendar.coversThrough, { zone })
    .plus({ days: 1 })
    .startOf('day')
    .toMillis();
  const changeTimes = [...new Set(scheduledChanges(actions, firstMs, lastMs).map((c) => c.atMs))].sort(
    (a, b) => a - b,
  );
  const atMostFloor = (day: number, fromMs: number, toMs: number, what: string) => {
    const times = [fromMs, ...changeTimes.filter((t) => t > fromMs && t < toMs)];
    for (const ms of times) {
      probes.push({
        day,
        atMs: ms,
        test: (n) =>
          n <= expect.warmFloor
            ? undefined
            : `${DateTime.fromMillis(ms, { zone }).toFormat('HH:mm')}: ${n} tasks on a ${what}, warm floor ${expect.warmFloor}`,
      });
    }
  };
  kinds.forEach((k, i) => {
    const start = DateTime.fromISO(k.date, { zone }).startOf('day');
    const end = start.plus({ days: 1 });
    if (k.kind === 'holiday' || k.kind === 'weekend') {
      atMostFloor(i, start.toMillis(), end.toMillis(), k.kind);
      return;
    }
    level(i, k.date, expect.preOpenCheck, expect.preOpenLevel, 'pre-open');
    const close = k.kind === 'early-close' ? minutesOf(k.close!) : regularClose;
    level(i, k.date, fmt(close - expect.preCloseLeadMinutes), expect.preCloseLevel, 'pre-close');
    if (k.kind === 'early-close') {
      atMostFloor(
        i,
        wall(k.date, fmt(close - expect.preCloseLeadMinutes + 60)).toMillis(),
        end.toMillis(),
        'early-close afternoon',
      );
    }
  });
  probes.sort((a, b) => a.atMs - b.atMs);
  const inForce = minCapacityInForce(
    actions,
    probes.map((p) => p.atMs),
    expect.targetMinCapacity,
  );
  const problems: string[][] = kinds.map(() => []);
  probes.forEach((p, i) => {
    const problem = p.test(inForce[i].minCapacity);
    if (problem) problems[p.day].push(problem);
  });
  const dstSwitchDays = kinds
    .filter(
      (k, i) =>
        i > 0 &&
        DateTime.fromISO(k.date, { zone }).offset !== DateTime.fromISO(kinds[i - 1].date, { zone }).offset,
    )
    .map((k) => k.date);
  return {
    from: calendar.coversFrom,
    through: calendar.coversThrough,
    dstSwitchDays,
    days: kinds.map((k, i) => ({
      date: k.date,
      kind: k.kind,
      offset: DateTime.fromISO(k.date, { zone }).set({ hour: 12 }).toFormat('ZZ'),
      problems: problems[i],
    })),
  };
}

/** One pass/fail check (the shape of PlanCheck in plan.ts). */
export interface CalendarPlanCheck {
  readonly id: string;
  readonly title: string;
  readonly status: 'pass' | 'fail';
  readonly details: string[];
}

/** The plan's checks of a {@link CalendarCheckResult}: one per kind of day, failures listed by date. */
export function calendarPlanChecks(result: CalendarCheckResult, calendarFile: string): CalendarPlanCheck[] {
  const of = (kinds: DayKind[]) => result.days.filter((d) => kinds.includes(d.kind));
  const dst = (days: CheckedDay[]) => {
    const switches = days.filter((d) => result.dstSwitchDays.includes(d.date)).map((d) => d.date);
    return switches.length ? `, DST switch days included (${switches.join(', ')})` : '';
  };
  const make = (id: string, title: string, days: CheckedDay[], summary: string): CalendarPlanCheck => {
    const failing = days.filter((d) => d.problems.length > 0);
    return {
      id,
      title,
      // No day of a kind (a calendar without early closes) passes vacuously, and says so.
      status: failing.length === 0 ? 'pass' : 'fail',
      details:
        days.length === 0
          ? [`no such day in ${calendarFile} ${result.from}..${result.through}`]
          : failing.length > 0
            ? failing.map(
                (d) =>
                  `${d.date} (${d.offset}): ${d.problems.slice(0, 3).join('; ')}${d.problems.length > 3 ? ` (+${d.problems.length - 3} more)` : ''}`,
              )
            : [
                `${days.length} days ${result.from}..${result.through} (${calendarFile})${dst(days)}: ${summary}`,
              ],
    };
  };
  const full = of(['full']);
  const early = of(['early-close']);
  const closed = of(['holiday', 'weekend']);
  return [
    make(
      'PLAN-CAL-1',
      'Every full trading day of the calendar has the pre-open and pre-close levels in time',
      full,
      'pre-open level at 09:25 and pre-close level at 15:55, each already in force a cold start earlier',
    ),
    make(
      'PLAN-CAL-2',
      'Every early-close day has the pre-close level before its early close, and no 15:40 raise after it',
      early,
      `${early.map((d) => d.date).join(', ')}: pre-open level at 09:25, pre-close level 5 min before the early close (a cold start earlier too), warm floor from an hour later to midnight`,
    ),
    make(
      'PLAN-CAL-3',
      'Nothing is scaled up on exchange holidays and weekends',
      closed,
      `${closed.filter((d) => d.kind === 'holiday').length} holidays and ${closed.filter((d) => d.kind === 'weekend').length} weekend days at or below the warm floor at every minute`,
    ),
  ];
}
