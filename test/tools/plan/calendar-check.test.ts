import {
  calendarScheduledActions,
  loadCalendar,
  type ExchangeCalendar,
} from '../../../lib/schedule/exchange-calendar';
import { calendarPlanChecks, checkCalendarDays, dayKinds } from '../../../tools/plan/calendar-check';

const WEEK = {
  preOpen: { hour: 9, minute: 10 },
  postOpen: { hour: 10, minute: 30 },
  preClose: { hour: 15, minute: 40 },
  postClose: { hour: 16, minute: 30 },
  preOpenTasks: 24,
  preCloseTasks: 24,
  warmFloor: 8,
};
const EXPECT = {
  preOpenLevel: 24,
  preCloseLevel: 24,
  warmFloor: 8,
  targetMinCapacity: 8,
  preOpenCheck: '09:25',
  preCloseLeadMinutes: 5,
  coldStartSeconds: 90,
};
// November 2027: DST ends on Sunday 7 November, Thanksgiving on the 25th, early close on the 26th.
const november: ExchangeCalendar = {
  ...loadCalendar(),
  coversFrom: '2027-11-01',
  coversThrough: '2027-11-30',
  holidays: [{ date: '2027-11-25', name: 'Thanksgiving Day' }],
  earlyCloses: [{ date: '2027-11-26', name: 'Day after Thanksgiving', close: '13:00' }],
};
const weekdayOnly = calendarScheduledActions({ ...november, holidays: [], earlyCloses: [] }, WEEK);
const statuses = (actions: ReturnType<typeof calendarScheduledActions>, expect = EXPECT) =>
  calendarPlanChecks(checkCalendarDays(november, actions, expect), 'cal.json').map((c) => [c.id, c.status]);

test('classifies every covered day', () => {
  const kinds = dayKinds(november);
  expect(kinds).toHaveLength(30);
  expect(kinds.filter((k) => k.kind === 'full')).toHaveLength(20);
  expect(kinds.find((k) => k.date === '2027-11-25')!.kind).toBe('holiday');
  expect(kinds.find((k) => k.date === '2027-11-26')).toEqual({
    date: '2027-11-26',
    kind: 'early-close',
    close: '13:00',
  });
});

test('the calendar-aware schedule passes every day, DST end included', () => {
  const result = checkCalendarDays(november, calendarScheduledActions(november, WEEK), EXPECT);
  expect(result.days.filter((d) => d.problems.length > 0)).toEqual([]);
  expect(result.dstSwitchDays).toEqual(['2027-11-08']);
  expect(statuses(calendarScheduledActions(november, WEEK))).toEqual([
    ['PLAN-CAL-1', 'pass'],
    ['PLAN-CAL-2', 'pass'],
    ['PLAN-CAL-3', 'pass'],
  ]);
});

test('the weekday-only schedule scales up on Thanksgiving and meets the 13:00 close with the warm floor', () => {
  const result = checkCalendarDays(november, weekdayOnly, EXPECT);
  const thanksgiving = result.days.find((d) => d.date === '2027-11-25')!;
  expect(thanksgiving.problems[0]).toBe('09:10: 24 tasks on a holiday, warm floor 8');
  const early = result.days.find((d) => d.date === '2027-11-26')!;
  expect(early.problems).toEqual(
    expect.arrayContaining([
      '12:53:30: 8 tasks, pre-close level 24',
      '12:55:00: 8 tasks, pre-close level 24',
      '15:40: 24 tasks on a early-close afternoon, warm floor 8',
    ]),
  );
  expect(statuses(weekdayOnly)).toEqual([
    ['PLAN-CAL-1', 'pass'],
    ['PLAN-CAL-2', 'fail'],
    ['PLAN-CAL-3', 'fail'],
  ]);
});

test('a pre-open action that starts too late for a cold start fails on every full day', () => {
  const late = calendarScheduledActions(november, { ...WEEK, preOpen: { hour: 9, minute: 24 } });
  const failing = checkCalendarDays(november, late, EXPECT).days.filter((d) => d.problems.length > 0);
  // 20 full days + the early-close day, each at 09:23:30 (09:25 minus 90 s).
  expect(failing).toHaveLength(21);
  expect(failing[0].problems).toEqual(['09:23:30: 8 tasks, pre-open level 24']);
  expect(statuses(late)[0]).toEqual(['PLAN-CAL-1', 'fail']);
});
