import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { CALENDAR_FILE, CalendarError, loadCalendar } from '../../../lib/schedule/exchange-calendar';
import { buildApp } from '../../helpers/synth';

/**
 * The calendar expires like a register entry: synth warns 30 days before it covers fewer than 90 days ahead,
 * and then fails. The calendar's last date is moved; "today" is the day the gate evaluates the register on.
 */
const calendar = loadCalendar();
const TODAY = new Date('2027-06-01T14:00:00Z');
const movedTo = (coversThrough: string) => ({ ...calendar, coversThrough });

test('synth passes without a calendar warning when it covers 120 days ahead', () => {
  const { stack } = buildApp({}, { today: TODAY, exchangeCalendar: movedTo('2027-09-29') });
  expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(CALENDAR_FILE))).toEqual([]);
});

test('synth warns when the calendar covers fewer than 120 days ahead, naming the file', () => {
  const { stack } = buildApp({}, { today: TODAY, exchangeCalendar: movedTo('2027-09-15') });
  const warnings = Annotations.fromStack(stack).findWarning(
    `/${stack.stackName}`,
    Match.stringLikeRegexp(
      `^${CALENDAR_FILE}: coversThrough 2027-09-15 is only 106 days ahead of 2027-06-01; synth fails below 90, on 2027-06-18`,
    ),
  );
  expect(warnings).toHaveLength(1);
});

test('synth fails when the calendar covers fewer than 90 days ahead, naming the file to extend', () => {
  expect(() => buildApp({}, { today: TODAY, exchangeCalendar: movedTo('2027-08-29') })).toThrow(
    new CalendarError(
      `${CALENDAR_FILE}: coversThrough 2027-08-29 is 89 days ahead of 2027-06-01; the scaling schedule needs at least 90 (through 2027-08-30): extend ${CALENDAR_FILE} (coversThrough, holidays, earlyCloses) from the exchange's published calendar`,
    ),
  );
});
