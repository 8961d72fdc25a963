import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../../../tools/shared/repo';
import {
  CALENDAR_FILE,
  CalendarError,
  calendarCoverage,
  calendarScheduledActions,
  loadCalendar,
  parseCalendar,
  type ExchangeCalendar,
} from '../../../lib/schedule/exchange-calendar';

const calendar = loadCalendar();
const raw = () =>
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, CALENDAR_FILE), 'utf8')) as Record<string, unknown>;

const WEEK = {
  preOpen: { hour: 9, minute: 10 },
  postOpen: { hour: 10, minute: 30 },
  preClose: { hour: 15, minute: 40 },
  postClose: { hour: 16, minute: 30 },
  preOpenTasks: 24,
  preCloseTasks: 20,
  warmFloor: 8,
};

describe('the repository calendar', () => {
  test('lists the NYSE 2027 holidays as published (observed dates)', () => {
    expect(calendar.holidays.filter((h) => h.date.startsWith('2027')).map((h) => h.date)).toEqual([
      '2027-01-01',
      '2027-01-18',
      '2027-02-15',
      '2027-03-26',
      '2027-05-31',
      '2027-06-18',
      '2027-07-05',
      '2027-09-06',
      '2027-11-25',
      '2027-12-24',
    ]);
  });

  test('has Christmas 2026 as a holiday and the 13:00 early closes of 2026-12-24 and 2027-11-26', () => {
    expect(calendar.holidays[0]).toEqual({ date: '2026-12-25', name: 'Christmas Day' });
    expect(calendar.earlyCloses.map((d) => [d.date, d.close])).toEqual([
      ['2026-12-24', '13:00'],
      ['2027-11-26', '13:00'],
    ]);
  });

  test('covers 2026-12 through 2027-12 and names its source and review date', () => {
    expect([calendar.coversFrom, calendar.coversThrough, calendar.reviewedOn]).toEqual([
      '2026-12-01',
      '2027-12-31',
      '2026-12-01',
    ]);
    expect((raw().sources as Array<{ url: string }>).map((s) => s.url)).toContain(
      'https://www.nyse.com/markets/hours-calendars',
    );
  });
});

describe('parseCalendar rejects bad input with one line naming the key', () => {
  test.each([
    [
      'a weekend holiday',
      (r: Record<string, unknown>) => ((r.holidays as Array<{ date: string }>)[0].date = '2026-12-26'),
      `${CALENDAR_FILE}: holidays[0].date = "2026-12-26": is a weekend day; list only weekdays the exchange closes`,
    ],
    [
      'a day outside the covered period',
      (r: Record<string, unknown>) => (r.coversThrough = '2027-12-01'),
      `${CALENDAR_FILE}: holidays[10].date = "2027-12-24": must lie within coversFrom..coversThrough (2026-12-01..2027-12-01)`,
    ],
    [
      'days out of order',
      (r: Record<string, unknown>) => (r.holidays as unknown[]).reverse(),
      `${CALENDAR_FILE}: holidays[1].date = "2027-11-25": must come after 2027-12-24 (ascending order)`,
    ],
    [
      'an early close after the regular close',
      (r: Record<string, unknown>) => ((r.earlyCloses as Array<{ close: string }>)[0].close = '16:30'),
      `${CALENDAR_FILE}: earlyCloses[0].close = "16:30": must be before regularClose 16:00`,
    ],
    [
      'a malformed date',
      (r: Record<string, unknown>) => (r.coversThrough = '31/12/2027'),
      `${CALENDAR_FILE}: coversThrough = "31/12/2027": expected a date YYYY-MM-DD`,
    ],
  ])('%s', (_, mutate, message) => {
    const r = raw();
    mutate(r);
    expect(() => parseCalendar(r)).toThrow(new CalendarError(message));
  });

  test('a day listed as holiday and early close', () => {
    const r = raw();
    (r.earlyCloses as Array<{ date: string }>)[1].date = '2027-11-25';
    expect(() => parseCalendar(r)).toThrow(
      `${CALENDAR_FILE}: earlyCloses[1].date = "2027-11-25": is already listed as a holiday or early close`,
    );
  });
});

describe('calendarCoverage', () => {
  const through = (date: string): ExchangeCalendar => ({ ...calendar, coversThrough: date });
  const today = new Date('2027-06-01T12:00:00Z');

  test('is ok with 120 days or more ahead', () => {
    expect(calendarCoverage(through('2027-09-29'), today)).toEqual({
      status: 'ok',
      daysAhead: 120,
      message: '',
    });
  });

  test('warns below 120 days, naming the file and the day synth starts failing', () => {
    expect(calendarCoverage(through('2027-09-28'), today)).toEqual({
      status: 'warn',
      daysAhead: 119,
      message: `${CALENDAR_FILE}: coversThrough 2027-09-28 is only 119 days ahead of 2027-06-01; synth fails below 90, on 2027-07-01: extend ${CALENDAR_FILE} (coversThrough, holidays, earlyCloses) from the exchange's published calendar`,
    });
    // On the day named, it fails.
    expect(calendarCoverage(through('2027-09-28'), new Date('2027-07-01T12:00:00Z')).status).toBe('fail');
    expect(calendarCoverage(through('2027-09-28'), new Date('2027-06-30T12:00:00Z')).status).toBe('warn');
  });

  test('fails below 90 days, naming the file to extend', () => {
    expect(calendarCoverage(through('2027-08-29'), today)).toEqual({
      status: 'fail',
      daysAhead: 89,
      message: `${CALENDAR_FILE}: coversThrough 2027-08-29 is 89 days ahead of 2027-06-01; the scaling schedule needs at least 90 (through 2027-08-30): extend ${CALENDAR_FILE} (coversThrough, holidays, earlyCloses) from the exchange's published calendar`,
    });
  });

  test('counts days in New York: 23:30 New York on May 31 is still May 31', () => {
    // 2027-06-01T03:30Z is 23:30 EDT on 2027-05-31.
    expect(calendarCoverage(through('2027-08-29'), new Date('2027-06-01T03:30:00Z')).daysAhead).toBe(90);
  });
});

describe('calendarScheduledActions', () => {
  const small: ExchangeCalendar = {
    ...calendar,
    coversFrom: '2027-11-01',
    coversThrough: '2027-11-30',
    holidays: [{ date: '2027-11-25', name: 'Thanksgiving Day' }],
    earlyCloses: [{ date: '2027-11-26', name: 'Day after Thanksgiving', close: '13:00' }],
  };
  const actions = calendarScheduledActions(small, WEEK);
  const row = (name: string) => {
    const a = actions.find((x) => x.name === name);
    if (!a) throw new Error(`no action ${name} in ${actions.map((x) => x.name).join(', ')}`);
    return [a.schedule, a.minCapacity, a.startTime?.toISOString(), a.endTime?.toISOString()];
  };

  test('splits the open crons around the holiday only', () => {
    expect(row('PreOpen')).toEqual(['cron(10 9 ? * MON-FRI *)', 24, undefined, '2027-11-25T05:00:00.000Z']);
    expect(row('PreOpen-from-2027-11-26')).toEqual([
      'cron(10 9 ? * MON-FRI *)',
      24,
      '2027-11-26T05:00:00.000Z',
      undefined,
    ]);
    expect(row('PostOpen-from-2027-11-26')[1]).toBe(8);
  });

  test('splits the close crons around the holiday and the early close', () => {
    expect(row('PreClose')).toEqual(['cron(40 15 ? * MON-FRI *)', 20, undefined, '2027-11-25T05:00:00.000Z']);
    // The segment between the two skipped days would be empty: none is created.
    expect(actions.some((a) => a.name === 'PreClose-from-2027-11-26')).toBe(false);
    expect(row('PreClose-from-2027-11-27')).toEqual([
      'cron(40 15 ? * MON-FRI *)',
      20,
      '2027-11-27T05:00:00.000Z',
      undefined,
    ]);
  });

  test('adds one-off actions around the early close with the regular lead and lag (20 min before, 30 after)', () => {
    expect(row('EarlyPreClose-2027-11-26')).toEqual(['at(2027-11-26T12:40:00)', 20, undefined, undefined]);
    expect(row('EarlyPostClose-2027-11-26')).toEqual(['at(2027-11-26T13:30:00)', 8, undefined, undefined]);
    expect(actions).toHaveLength(10);
  });

  test('without calendar days it is the weekday schedule', () => {
    expect(
      calendarScheduledActions({ ...small, holidays: [], earlyCloses: [] }, WEEK).map((a) => [
        a.name,
        a.schedule,
      ]),
    ).toEqual([
      ['PreOpen', 'cron(10 9 ? * MON-FRI *)'],
      ['PostOpen', 'cron(30 10 ? * MON-FRI *)'],
      ['PreClose', 'cron(40 15 ? * MON-FRI *)'],
      ['PostClose', 'cron(30 16 ? * MON-FRI *)'],
    ]);
  });

  test('refuses a calendar that would exceed 200 scheduled actions per scalable target', () => {
    const weekdays: Array<{ date: string; name: string }> = [];
    for (
      let d = new Date('2027-01-04T12:00:00Z');
      weekdays.length < 90;
      d = new Date(d.getTime() + 86_400_000)
    ) {
      if ([1, 3, 5].includes(d.getUTCDay())) weekdays.push({ date: d.toISOString().slice(0, 10), name: 'x' });
    }
    expect(() => calendarScheduledActions({ ...small, holidays: weekdays, earlyCloses: [] }, WEEK)).toThrow(
      `${CALENDAR_FILE}: 248 scheduled actions would exceed Application Auto Scaling's 200 per scalable target; drop past days (before today) from holidays and earlyCloses`,
    );
  });
});
