import { DateTime, IANAZone } from 'luxon';

/**
 * Application Auto Scaling schedule expressions (`cron(...)`, `at(...)`), evaluated in the action's declared
 * time zone with luxon. No offset arithmetic by hand: a wall-clock time is turned into an instant by the
 * time-zone database, so a cron declared in `America/New_York` follows DST and one declared in UTC does not.
 *
 * Supported, as documented for scheduled scaling: `cron(minutes hours day-of-month month day-of-week year)`
 * with `*`, `?`, lists, ranges, `/` increments and SUN-SAT / JAN-DEC names; `at(yyyy-mm-ddThh:mm:ss)`.
 * `rate(...)` and the `L`, `W`, `#` extensions are rejected with an error that says so.
 */

/** Raised for an expression or time zone that cannot be evaluated. */
export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

/** Allowed values of one cron field; `undefined` = any value (`*` or `?`). */
type FieldSet = ReadonlySet<number> | undefined;

/** A parsed schedule expression with its time zone. */
export type ParsedSchedule =
  | {
      readonly kind: 'cron';
      readonly expression: string;
      readonly zone: string;
      readonly minutes: FieldSet;
      readonly hours: FieldSet;
      readonly daysOfMonth: FieldSet;
      readonly months: FieldSet;
      /** 1 = SUN ... 7 = SAT, as in the AWS cron syntax. */
      readonly daysOfWeek: FieldSet;
      readonly years: FieldSet;
    }
  | { readonly kind: 'at'; readonly expression: string; readonly zone: string; readonly at: number };

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names of the values from `min` upward. */
  readonly names?: readonly string[];
  readonly allowQuestionMark?: boolean;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, allowQuestionMark: true },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { name: 'day-of-week', min: 1, max: 7, names: DAY_NAMES, allowQuestionMark: true },
  { name: 'year', min: 1970, max: 2199 },
];

function parseValue(text: string, spec: FieldSpec, expression: string): number {
  const upper = text.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  if (named >= 0) return spec.min + named;
  if (!/^\d+$/.test(text)) {
    throw new ScheduleError(
      `${expression}: ${spec.name} value "${text}" is not supported; expected ${spec.min}-${spec.max}` +
        (spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : '') +
        ' (L, W and # are not evaluated)',
    );
  }
  const n = Number(text);
  if (n < spec.min || n > spec.max) {
    throw new ScheduleError(`${expression}: ${spec.name} value ${n} is outside ${spec.min}-${spec.max}`);
  }
  return n;
}

function parseField(text: string, spec: FieldSpec, expression: string): FieldSet {
  if (text === '?' && spec.allowQuestionMark) return undefined;
  if (text === '*') return undefined;
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) {
      throw new ScheduleError(
        `${expression}: ${spec.name} increment "${stepText}" must be a positive integer`,
      );
    }
    let from: number;
    let to: number;
    if (range === '*') {
      [from, to] = [spec.min, spec.max];
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      [from, to] = [parseValue(a, spec, expression), parseValue(b, spec, expression)];
    } else {
      from = parseValue(range, spec, expression);
      to = stepText === undefined ? from : spec.max;
    }
    if (from > to) throw new ScheduleError(`${expression}: ${spec.name} range "${range}" runs backwards`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/**
 * Parses a scheduled action's `Schedule` with its `Timezone` (CloudFormation default: UTC).
 *
 * @throws ScheduleError naming the expression, the field and what is allowed
 */
export function parseSchedule(expression: string, zone = 'UTC'): ParsedSchedule {
  if (!IANAZone.isValidZone(zone)) {
    throw new ScheduleError(`Timezone "${zone}" is not an IANA time zone (e.g. America/New_York)`);
  }
  const cron = /^cron\((.*)\)$/.exec(expression.trim());
  if (cron) {
    const parts = cron[1].trim().split(/\s+/);
    if (parts.length !== 6) {
      throw new ScheduleError(
        `${expression}: expected 6 fields (minutes hours day-of-month month day-of-week year), found ${parts.length}`,
      );
    }
    const [minutes, hours, daysOfMonth, months, daysOfWeek, years] = parts.map((p, i) =>
      parseField(p, FIELDS[i], expression),
    );
    if (parts[2] !== '?' && parts[4] !== '?') {
      throw new ScheduleError(`${expression}: one of day-of-month and day-of-week must be "?"`);
    }
    return { kind: 'cron', expression, zone, minutes, hours, daysOfMonth, months, daysOfWeek, years };
  }
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression.trim());
  if (at) {
    const dt = DateTime.fromISO(at[1], { zone });
    if (!dt.isValid) throw new ScheduleError(`${expression}: not a valid date-time`);
    return { kind: 'at', expression, zone, at: dt.toMillis() };
  }
  throw new ScheduleError(
    `${expression}: only cron(...) and at(...) schedules can be evaluated; rate(...) has no fixed wall-clock time`,
  );
}

const has = (set: FieldSet, v: number) => set === undefined || set.has(v);

function allOf(set: FieldSet, min: number, max: number): number[] {
  if (set !== undefined) return [...set].sort((a, b) => a - b);
  const all: number[] = [];
  for (let v = min; v <= max; v++) all.push(v);
  return all;
}

/**
 * The instants (epoch milliseconds) at which the schedule fires within `[fromMs, toMs]`, ascending.
 *
 * Candidate wall-clock times are generated per local date of the schedule's zone and converted by luxon.
 * A wall-clock time that does not exist on that date (the hour skipped when DST starts) does not fire.
 */
export function fireTimes(schedule: ParsedSchedule, fromMs: number, toMs: number): number[] {
  if (schedule.kind === 'at') return schedule.at >= fromMs && schedule.at <= toMs ? [schedule.at] : [];
  const out: number[] = [];
  const hours = allOf(schedule.hours, 0, 23);
  const minutes = allOf(schedule.minutes, 0, 59);
  const last = DateTime.fromMillis(toMs, { zone: schedule.zone }).startOf('day');
  for (
    let day = DateTime.fromMillis(fromMs, { zone: schedule.zone }).startOf('day');
    day <= last;
    day = day.plus({ days: 1 }).startOf('day')
  ) {
    // luxon: weekday 1 = Monday ... 7 = Sunday; AWS cron: 1 = SUN ... 7 = SAT.
    const awsDayOfWeek = (day.weekday % 7) + 1;
    if (
      !has(schedule.years, day.year) ||
      !has(schedule.months, day.month) ||
      !has(schedule.daysOfMonth, day.day) ||
      !has(schedule.daysOfWeek, awsDayOfWeek)
    ) {
      continue;
    }
    for (const hour of hours) {
      for (const minute of minutes) {
        const t = DateTime.fromObject(
          { year: day.year, month: day.month, day: day.day, hour, minute },
          { zone: schedule.zone },
        );
        if (t.hour !== hour || t.minute !== minute) continue;
        const ms = t.toMillis();
        if (ms >= fromMs && ms <= toMs) out.push(ms);
      }
    }
  }
  return out.sort((a, b) => a - b);
}

/** The last instant at or before `atMs` when the schedule fired, looking back `lookbackDays`; or undefined. */
export function lastFireAtOrBefore(
  schedule: ParsedSchedule,
  atMs: number,
  lookbackDays: number,
): number | undefined {
  const times = fireTimes(schedule, atMs - lookbackDays * 86_400_000, atMs);
  return times.length > 0 ? times[times.length - 1] : undefined;
}
