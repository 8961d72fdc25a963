import * as fs from 'fs';
import * as path from 'path';
import { DateTime } from 'luxon';
import type { ClockTime } from '../config/types';

/**
 * The exchange calendar (data/nyse-calendar.json): the days the NYSE is closed and the days it closes early,
 * dated and sourced. The scheduled actions of the scalable target are generated from it
 * ({@link calendarScheduledActions}); synth refuses a calendar that ends too soon ({@link calendarCoverage}).
 */

/** Repository-relative path of the calendar, as error messages name it. */
export const CALENDAR_FILE = 'data/nyse-calendar.json';

/** Synth fails when the calendar covers fewer days ahead than this. */
export const CALENDAR_MIN_DAYS_AHEAD = 90;
/** Synth warns this many days before it would fail. */
export const CALENDAR_WARN_DAYS = 30;

/** Application Auto Scaling quota "Scheduled actions per scalable target" (not adjustable). */
export const MAX_SCHEDULED_ACTIONS = 200;

/** A dated day of the calendar. */
export interface CalendarDay {
  /** `YYYY-MM-DD`, a weekday in the exchange's zone. */
  readonly date: string;
  readonly name: string;
}

/** A day the exchange closes early. */
export interface EarlyCloseDay extends CalendarDay {
  /** `HH:MM` in the exchange's zone. */
  readonly close: string;
}

/** The validated calendar. */
export interface ExchangeCalendar {
  readonly exchange: string;
  /** IANA zone of every date and time, `America/New_York`. */
  readonly zone: string;
  readonly regularClose: ClockTime;
  /** First and last day the lists are complete for (inclusive). */
  readonly coversFrom: string;
  readonly coversThrough: string;
  readonly reviewedOn: string;
  readonly holidays: readonly CalendarDay[];
  readonly earlyCloses: readonly EarlyCloseDay[];
}

/** Raised for a calendar file that is malformed or expired; the message names the file. */
export class CalendarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarError';
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function fail(key: string, value: unknown, allowed: string): never {
  throw new CalendarError(`${CALENDAR_FILE}: ${key} = ${JSON.stringify(value)}: ${allowed}`);
}

function clock(key: string, value: unknown): ClockTime {
  if (typeof value !== 'string' || !TIME.test(value)) fail(key, value, 'expected HH:MM (24 h)');
  const [hour, minute] = value.split(':').map(Number);
  return { hour, minute };
}

function day(key: string, value: unknown, zone: string): DateTime {
  const dt = typeof value === 'string' && DATE.test(value) ? DateTime.fromISO(value, { zone }) : undefined;
  if (!dt?.isValid) fail(key, value, 'expected a date YYYY-MM-DD');
  return dt;
}

/**
 * Validates the calendar's JSON: dates, times, weekdays, order, no day listed twice, every day within
 * `coversFrom`..`coversThrough`.
 *
 * @throws CalendarError naming the key, the value and what is allowed
 */
export function parseCalendar(raw: unknown): ExchangeCalendar {
  if (typeof raw !== 'object' || raw === null) fail('(root)', raw, 'expected a JSON object');
  const r = raw as Record<string, unknown>;
  const zone = r.zone;
  if (zone !== 'America/New_York') fail('zone', zone, 'only "America/New_York" (the NYSE) is supported');
  const from = day('coversFrom', r.coversFrom, zone);
  const through = day('coversThrough', r.coversThrough, zone);
  if (through < from)
    fail('coversThrough', r.coversThrough, `must not be before coversFrom ${String(r.coversFrom)}`);
  day('reviewedOn', r.reviewedOn, zone);
  if (typeof r.exchange !== 'string' || r.exchange === '') fail('exchange', r.exchange, 'expected a name');
  const seen = new Set<string>();
  const list = (key: 'holidays' | 'earlyCloses'): Array<Record<string, unknown>> => {
    const v = r[key];
    if (!Array.isArray(v)) fail(key, v, 'expected an array of { date, name }');
    let previous = '';
    v.forEach((entry: unknown, i) => {
      const e = (entry ?? {}) as Record<string, unknown>;
      const at = `${key}[${i}].date`;
      const d = day(at, e.date, zone);
      if (d.weekday > 5) fail(at, e.date, 'is a weekend day; list only weekdays the exchange closes');
      if (d < from || d > through) {
        fail(
          at,
          e.date,
          `must lie within coversFrom..coversThrough (${String(r.coversFrom)}..${String(r.coversThrough)})`,
        );
      }
      if ((e.date as string) <= previous) fail(at, e.date, `must come after ${previous} (ascending order)`);
      if (seen.has(e.date as string)) fail(at, e.date, 'is already listed as a holiday or early close');
      if (typeof e.name !== 'string' || e.name === '') fail(`${key}[${i}].name`, e.name, 'expected a name');
      previous = e.date as string;
      seen.add(previous);
    });
    return v as Array<Record<string, unknown>>;
  };
  const holidays = list('holidays').map((e) => ({ date: e.date as string, name: e.name as string }));
  const regularClose = clock('regularClose', r.regularClose);
  const earlyCloses = list('earlyCloses').map((e, i) => {
    const close = clock(`earlyCloses[${i}].close`, e.close);
    if (close.hour * 60 + close.minute >= regularClose.hour * 60 + regularClose.minute) {
      fail(`earlyCloses[${i}].close`, e.close, `must be before regularClose ${String(r.regularClose)}`);
    }
    return { date: e.date as string, name: e.name as string, close: e.close as string };
  });
  return {
    exchange: r.exchange,
    zone,
    regularClose,
    coversFrom: r.coversFrom as string,
    coversThrough: r.coversThrough as string,
    reviewedOn: r.reviewedOn as string,
    holidays,
    earlyCloses,
  };
}

/**
 * Reads and validates the repository's calendar.
 *
 * @param file absolute path @default - data/nyse-calendar.json of this repository
 * @throws CalendarError when the file is missing, not JSON or invalid
 */
export function loadCalendar(file = path.resolve(__dirname, '..', '..', CALENDAR_FILE)): ExchangeCalendar {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new CalendarError(`${CALENDAR_FILE}: cannot be read at ${file}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CalendarError(`${CALENDAR_FILE}: not valid JSON (${(err as Error).message})`);
  }
  return parseCalendar(raw);
}

/** How far ahead the calendar reaches on a given day. */
export interface CalendarCoverage {
  readonly status: 'ok' | 'warn' | 'fail';
  /** Whole days from `today` to `coversThrough`. */
  readonly daysAhead: number;
  /** Empty when `ok`; else one line naming the file and what to do. */
  readonly message: string;
}

/**
 * Whether the calendar covers the next {@link CALENDAR_MIN_DAYS_AHEAD} days after `today` (the day the
 * compliance gate evaluates the register on): `fail` below that, `warn` within {@link CALENDAR_WARN_DAYS}
 * days of it, else `ok`. Like a register entry, a calendar that is not maintained stops the build.
 */
export function calendarCoverage(calendar: ExchangeCalendar, today: Date): CalendarCoverage {
  const now = DateTime.fromJSDate(today, { zone: calendar.zone }).startOf('day');
  const through = DateTime.fromISO(calendar.coversThrough, { zone: calendar.zone });
  const daysAhead = Math.round(through.diff(now, 'days').days);
  const needed = now.plus({ days: CALENDAR_MIN_DAYS_AHEAD }).toISODate()!;
  const extend = `extend ${CALENDAR_FILE} (coversThrough, holidays, earlyCloses) from the exchange's published calendar`;
  if (daysAhead < CALENDAR_MIN_DAYS_AHEAD) {
    return {
      status: 'fail',
      daysAhead,
      message: `${CALENDAR_FILE}: coversThrough ${calendar.coversThrough} is ${daysAhead} days ahead of ${now.toISODate()}; the scaling schedule needs at least ${CALENDAR_MIN_DAYS_AHEAD} (through ${needed}): ${extend}`,
    };
  }
  if (daysAhead < CALENDAR_MIN_DAYS_AHEAD + CALENDAR_WARN_DAYS) {
    return {
      status: 'warn',
      daysAhead,
      message: `${CALENDAR_FILE}: coversThrough ${calendar.coversThrough} is only ${daysAhead} days ahead of ${now.toISODate()}; synth fails below ${CALENDAR_MIN_DAYS_AHEAD}, on ${through.minus({ days: CALENDAR_MIN_DAYS_AHEAD - 1 }).toISODate()}: ${extend}`,
    };
  }
  return { status: 'ok', daysAhead, message: '' };
}

/** The weekday scheduled actions the calendar bounds, with their levels. */
export interface WeekdaySchedule {
  readonly preOpen: ClockTime;
  readonly postOpen: ClockTime;
  readonly preClose: ClockTime;
  readonly postClose: ClockTime;
  readonly preOpenTasks: number;
  readonly preCloseTasks: number;
  readonly warmFloor: number;
}

/** A scheduled action to create on the scalable target (all in the calendar's zone except the bounds). */
export interface CalendarAction {
  /** ScheduledActionName (unique on the target). */
  readonly name: string;
  /** `cron(...)` or `at(yyyy-mm-ddThh:mm:ss)`. */
  readonly schedule: string;
  /** IANA zone of the schedule: the calendar's. */
  readonly timezone: string;
  readonly minCapacity: number;
  /** The recurring action starts/ends at these instants (CloudFormation reads StartTime/EndTime in UTC). */
  readonly startTime?: Date;
  readonly endTime?: Date;
}

const hhmm = (t: ClockTime) => `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
const toMinutes = (t: ClockTime) => t.hour * 60 + t.minute;
const fromMinutes = (m: number): ClockTime => ({ hour: Math.floor(m / 60), minute: m % 60 });

/**
 * The scheduled actions of a trading week that knows the exchange calendar.
 *
 * Application Auto Scaling cannot skip a date in a cron, and two actions due at the same instant run in an
 * undocumented order, so a holiday cannot be "cancelled" by a second action. Instead each weekday cron is
 * split at the days it must not fire on, with StartTime/EndTime ("they form the boundaries for when the
 * recurring action starts and stops", PutScheduledAction): the pre-open and post-open crons skip holidays,
 * the pre-close and post-close crons skip holidays and early-close days. On a holiday nothing fires, so the
 * floor stays where the previous trading day's post-close left it: the warm floor. On an early-close day two
 * one-off `at(...)` actions raise the floor before the early close and lower it after, with the same lead
 * and lag as the regular close (15:40/16:30 around 16:00 becomes 12:40/13:30 around 13:00).
 *
 * The first segment has no StartTime and the last no EndTime: when the calendar is not extended the weekday
 * schedule keeps running (a holiday then costs spare tasks, never a missed bell).
 *
 * @throws CalendarError when the actions would exceed {@link MAX_SCHEDULED_ACTIONS}
 */
export function calendarScheduledActions(
  calendar: Pick<ExchangeCalendar, 'zone' | 'regularClose' | 'holidays' | 'earlyCloses'>,
  week: WeekdaySchedule,
): CalendarAction[] {
  const { zone } = calendar;
  const midnight = (date: string) => DateTime.fromISO(date, { zone }).startOf('day');
  const holidays = calendar.holidays.map((d) => d.date);
  const closeSkips = [...holidays, ...calendar.earlyCloses.map((d) => d.date)].sort();
  const cron = (t: ClockTime) => `cron(${t.minute} ${t.hour} ? * MON-FRI *)`;

  const segmented = (name: string, time: ClockTime, minCapacity: number, skip: readonly string[]) => {
    const out: CalendarAction[] = [];
    let start: DateTime | undefined;
    for (const date of [...skip, undefined]) {
      const end = date === undefined ? undefined : midnight(date);
      // A weekday lies within [start, end): otherwise the segment would never fire.
      let hasWeekday = end === undefined || start === undefined;
      for (let d = start; !hasWeekday && d && end && d < end; d = d.plus({ days: 1 })) {
        hasWeekday = d.weekday <= 5;
      }
      if (hasWeekday) {
        out.push({
          name: start ? `${name}-from-${start.toISODate()}` : name,
          schedule: cron(time),
          timezone: zone,
          minCapacity,
          ...(start ? { startTime: start.toUTC().toJSDate() } : {}),
          ...(end ? { endTime: end.toUTC().toJSDate() } : {}),
        });
      }
      if (date !== undefined) start = midnight(date).plus({ days: 1 });
    }
    return out;
  };

  const close = toMinutes(calendar.regularClose);
  const lead = close - toMinutes(week.preClose);
  const lag = toMinutes(week.postClose) - close;
  const early = calendar.earlyCloses.flatMap((d) => {
    const c = toMinutes(clock(`earlyCloses(${d.date}).close`, d.close));
    const at = (m: number) => `at(${d.date}T${hhmm(fromMinutes(m))}:00)`;
    return [
      {
        name: `EarlyPreClose-${d.date}`,
        schedule: at(c - lead),
        timezone: zone,
        minCapacity: week.preCloseTasks,
      },
      {
        name: `EarlyPostClose-${d.date}`,
        schedule: at(c + lag),
        timezone: zone,
        minCapacity: week.warmFloor,
      },
    ];
  });

  const actions = [
    ...segmented('PreOpen', week.preOpen, week.preOpenTasks, holidays),
    ...segmented('PostOpen', week.postOpen, week.warmFloor, holidays),
    ...segmented('PreClose', week.preClose, week.preCloseTasks, closeSkips),
    ...segmented('PostClose', week.postClose, week.warmFloor, closeSkips),
    ...early,
  ];
  if (actions.length > MAX_SCHEDULED_ACTIONS) {
    throw new CalendarError(
      `${CALENDAR_FILE}: ${actions.length} scheduled actions would exceed Application Auto Scaling's ${MAX_SCHEDULED_ACTIONS} per scalable target; drop past days (before today) from holidays and earlyCloses`,
    );
  }
  return actions;
}
