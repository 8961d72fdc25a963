import { DateTime } from 'luxon';
import {
  ScheduleError,
  fireTimes,
  lastFireAtOrBefore,
  parseSchedule,
} from '../../../tools/schedule/schedule-expression';

const NY = 'America/New_York';
const local = (ms: number, zone = NY) =>
  DateTime.fromMillis(ms, { zone }).toFormat('ccc yyyy-MM-dd HH:mm ZZZZ');
const range = (from: string, to: string) => [
  DateTime.fromISO(from, { zone: NY }).toMillis(),
  DateTime.fromISO(to, { zone: NY }).toMillis(),
];

describe('parseSchedule', () => {
  test('reads the six cron fields with weekday names and a time zone', () => {
    const s = parseSchedule('cron(10 9 ? * MON-FRI *)', NY);
    expect(s.kind).toBe('cron');
    if (s.kind !== 'cron') return;
    expect([...s.minutes!]).toEqual([10]);
    expect([...s.hours!]).toEqual([9]);
    expect([...s.daysOfWeek!]).toEqual([2, 3, 4, 5, 6]);
    expect(s.daysOfMonth).toBeUndefined();
  });

  test('rejects rate() with a message that says why', () => {
    expect(() => parseSchedule('rate(5 minutes)', NY)).toThrow(
      'rate(5 minutes): only cron(...) and at(...) schedules can be evaluated; rate(...) has no fixed wall-clock time',
    );
  });

  test('rejects a cron with five fields, naming the count', () => {
    expect(() => parseSchedule('cron(10 9 ? * MON-FRI)', NY)).toThrow(
      'cron(10 9 ? * MON-FRI): expected 6 fields (minutes hours day-of-month month day-of-week year), found 5',
    );
  });

  test('rejects the L/W/# extensions and out-of-range values', () => {
    expect(() => parseSchedule('cron(0 9 ? * 6#3 *)', NY)).toThrow(ScheduleError);
    expect(() => parseSchedule('cron(0 24 ? * MON *)', NY)).toThrow(
      'cron(0 24 ? * MON *): hours value 24 is outside 0-23',
    );
  });

  test('rejects a cron that constrains both day fields', () => {
    expect(() => parseSchedule('cron(0 9 1 * MON *)', NY)).toThrow(
      'one of day-of-month and day-of-week must be "?"',
    );
  });

  test('rejects an unknown time zone', () => {
    expect(() => parseSchedule('cron(0 9 ? * MON *)', 'America/Nowhere')).toThrow(
      'Timezone "America/Nowhere" is not an IANA time zone (e.g. America/New_York)',
    );
  });
});

describe('fireTimes', () => {
  test('a weekday cron fires once per weekday, never on the weekend', () => {
    const [from, to] = range('2027-01-11T00:00', '2027-01-17T23:59');
    const times = fireTimes(parseSchedule('cron(10 9 ? * MON-FRI *)', NY), from, to).map((t) => local(t));
    expect(times).toEqual([
      'Mon 2027-01-11 09:10 EST',
      'Tue 2027-01-12 09:10 EST',
      'Wed 2027-01-13 09:10 EST',
      'Thu 2027-01-14 09:10 EST',
      'Fri 2027-01-15 09:10 EST',
    ]);
  });

  test('a cron declared in America/New_York keeps 09:10 local across the spring DST switch', () => {
    const [from, to] = range('2027-03-12T00:00', '2027-03-15T23:59');
    const times = fireTimes(parseSchedule('cron(10 9 ? * MON-FRI *)', NY), from, to).map((t) => local(t));
    expect(times).toEqual(['Fri 2027-03-12 09:10 EST', 'Mon 2027-03-15 09:10 EDT']);
  });

  test('the same cron declared in UTC moves by an hour in New York across the switch', () => {
    const [from, to] = range('2027-03-12T00:00', '2027-03-15T23:59');
    const times = fireTimes(parseSchedule('cron(10 14 ? * MON-FRI *)', 'UTC'), from, to).map((t) => local(t));
    expect(times).toEqual(['Fri 2027-03-12 09:10 EST', 'Mon 2027-03-15 10:10 EDT']);
  });

  test('a wall-clock time skipped by the spring switch does not fire', () => {
    const [from, to] = range('2027-03-13T00:00', '2027-03-15T00:00');
    const times = fireTimes(parseSchedule('cron(30 2 * * ? *)', NY), from, to).map((t) => local(t));
    expect(times).toEqual(['Sat 2027-03-13 02:30 EST']);
  });

  test('lists, ranges and increments expand', () => {
    const [from, to] = range('2027-01-13T00:00', '2027-01-13T23:59');
    const times = fireTimes(parseSchedule('cron(0/20 9,16 ? * WED *)', NY), from, to).map((t) => local(t));
    expect(times).toEqual([
      'Wed 2027-01-13 09:00 EST',
      'Wed 2027-01-13 09:20 EST',
      'Wed 2027-01-13 09:40 EST',
      'Wed 2027-01-13 16:00 EST',
      'Wed 2027-01-13 16:20 EST',
      'Wed 2027-01-13 16:40 EST',
    ]);
  });

  test('at() fires once, in its zone', () => {
    const s = parseSchedule('at(2027-01-13T09:05:00)', NY);
    const [from, to] = range('2027-01-13T00:00', '2027-01-14T00:00');
    expect(fireTimes(s, from, to).map((t) => local(t))).toEqual(['Wed 2027-01-13 09:05 EST']);
  });

  test('lastFireAtOrBefore finds Friday from a Saturday', () => {
    const at = DateTime.fromISO('2027-01-16T12:00', { zone: NY }).toMillis();
    const last = lastFireAtOrBefore(parseSchedule('cron(30 16 ? * MON-FRI *)', NY), at, 8);
    expect(local(last!)).toBe('Fri 2027-01-15 16:30 EST');
  });
});
