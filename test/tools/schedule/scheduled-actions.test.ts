import { DateTime } from 'luxon';
import {
  actionFireTimes,
  minCapacityInForce,
  ScheduleExpressionError,
  scheduledChanges,
  type ScheduledActionLike,
} from '../../../tools/schedule/scheduled-actions';
import { ScheduleError } from '../../../tools/schedule/schedule-expression';

const NY = 'America/New_York';
const ms = (iso: string) => DateTime.fromISO(iso, { zone: NY }).toMillis();

const preOpen: ScheduledActionLike = {
  name: 'PreOpen',
  schedule: 'cron(10 9 ? * MON-FRI *)',
  timezone: NY,
  minCapacity: 4,
};
/** Fires at the same instant as PreOpen with a lower minimum. */
const hold: ScheduledActionLike = { ...preOpen, name: 'Hold', minCapacity: 2 };
/** Fires at the same instant and sets only the maximum. */
const capOnly: ScheduledActionLike = { ...preOpen, name: 'Cap', minCapacity: undefined, maxCapacity: 8 };

describe('two actions firing at the same instant', () => {
  test.each([
    ['PreOpen declared first', [preOpen, hold]],
    ['PreOpen declared last', [hold, preOpen]],
  ])('the lowest minimum is in force, whatever the order (%s)', (_label, actions) => {
    const [inForce] = minCapacityInForce(actions, [ms('2026-11-24T09:20')], 3);
    expect(inForce).toEqual({ minCapacity: 2, action: 'Hold', firedAtMs: ms('2026-11-24T09:10') });
  });

  test('the changes are ordered so that the lowest minimum is applied last', () => {
    const changes = scheduledChanges(
      [hold, capOnly, preOpen],
      ms('2026-11-24T00:00'),
      ms('2026-11-24T23:59'),
    );
    expect(changes.map((c) => c.action)).toEqual(['Cap', 'PreOpen', 'Hold']);
  });

  test('equal minimums resolve by name, so the answer does not depend on the order', () => {
    const twin = { ...preOpen, name: 'APreOpen' };
    const a = minCapacityInForce([preOpen, twin], [ms('2026-11-24T09:20')], 3);
    const b = minCapacityInForce([twin, preOpen], [ms('2026-11-24T09:20')], 3);
    expect(a).toEqual(b);
    expect(a[0]).toMatchObject({ minCapacity: 4, action: 'PreOpen' });
  });

  test('an action that sets no minimum does not displace the one that does', () => {
    const [inForce] = minCapacityInForce([preOpen, capOnly], [ms('2026-11-24T09:20')], 3);
    expect(inForce).toMatchObject({ minCapacity: 4, action: 'PreOpen' });
  });
});

describe('minCapacityInForce', () => {
  test('follows the actions minute by minute and falls back to the target minimum', () => {
    const postOpen: ScheduledActionLike = {
      ...preOpen,
      name: 'PostOpen',
      schedule: 'cron(30 10 ? * MON-FRI *)',
      minCapacity: 2,
    };
    const times = ['2026-11-24T09:09', '2026-11-24T09:10', '2026-11-24T10:29', '2026-11-24T10:30'].map(ms);
    expect(minCapacityInForce([preOpen, postOpen], times, 3).map((m) => m.minCapacity)).toEqual([2, 4, 4, 2]);
    expect(minCapacityInForce([], times, 3).map((m) => m.minCapacity)).toEqual([3, 3, 3, 3]);
  });

  test('looks back as far as asked and no further', () => {
    const at = [ms('2026-11-24T09:20')];
    expect(minCapacityInForce([preOpen], at, 3, 1)[0].minCapacity).toBe(4);
    const onlyLastWeek = { ...preOpen, startTime: '2026-11-17T00:00:00', endTime: '2026-11-18T00:00:00' };
    expect(minCapacityInForce([onlyLastWeek], at, 3, 8)[0]).toMatchObject({ minCapacity: 4 });
    expect(minCapacityInForce([onlyLastWeek], at, 3, 1)[0]).toEqual({ minCapacity: 3 });
  });
});

describe('actionFireTimes', () => {
  test('reads StartTime/EndTime as a Date or as an ISO string in UTC alike', () => {
    const from = ms('2026-11-23T00:00');
    const to = ms('2026-11-28T00:00');
    const asDate = {
      ...preOpen,
      startTime: new Date('2026-11-25T00:00:00Z'),
      endTime: new Date('2026-11-26T23:59:00Z'),
    };
    const asString = { ...preOpen, startTime: '2026-11-25T00:00:00', endTime: '2026-11-26T23:59:00' };
    expect(actionFireTimes(asDate, from, to)).toEqual([ms('2026-11-25T09:10'), ms('2026-11-26T09:10')]);
    expect(actionFireTimes(asString, from, to)).toEqual(actionFireTimes(asDate, from, to));
  });

  test('names the action in an expression error, which is still a ScheduleError for the plan CLI', () => {
    const bad = { name: 'Every5', schedule: 'rate(5 minutes)' };
    expect(() => actionFireTimes(bad, 0, 1)).toThrow(ScheduleExpressionError);
    expect(() => actionFireTimes(bad, 0, 1)).toThrow(ScheduleError);
    expect(() => actionFireTimes(bad, 0, 1)).toThrow(/^Every5: rate\(5 minutes\): /);
  });
});
