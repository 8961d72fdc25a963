import { DateTime } from 'luxon';
import {
  fireTimes,
  firstTradingDayAfterNextDstChange,
  MARKET_ZONE,
  minCapacityAt,
  nextTradingDayAt,
  ScheduleExpressionError,
  type ScheduledActionLike,
} from '../../../tools/schedule/trading-schedule';

const ny = (iso: string) => DateTime.fromISO(iso, { zone: MARKET_ZONE });
const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'UTC' });
const NINE_TWENTY_FIVE = { hour: 9, minute: 25 };

// What the stack's scheduled actions look like (CDK renders weekday crons with '?' day-of-month).
const PLATFORM: ScheduledActionLike[] = [
  {
    name: 'PreOpen',
    schedule: 'cron(10 9 ? * MON-FRI *)',
    timezone: MARKET_ZONE,
    minCapacity: 4,
    maxCapacity: 8,
  },
  {
    name: 'PostOpen',
    schedule: 'cron(30 10 ? * MON-FRI *)',
    timezone: MARKET_ZONE,
    minCapacity: 2,
    maxCapacity: 8,
  },
  {
    name: 'PreClose',
    schedule: 'cron(40 15 ? * MON-FRI *)',
    timezone: MARKET_ZONE,
    minCapacity: 4,
    maxCapacity: 8,
  },
  {
    name: 'PostClose',
    schedule: 'cron(30 16 ? * MON-FRI *)',
    timezone: MARKET_ZONE,
    minCapacity: 2,
    maxCapacity: 8,
  },
];

describe('fireTimes', () => {
  test('a New York weekday cron fires at 09:10 local on both sides of the March DST change', () => {
    const times = fireTimes(PLATFORM[0], utc('2027-03-11T00:00'), utc('2027-03-17T00:00'));
    expect(times.map((t) => t.toUTC().toISO())).toEqual([
      '2027-03-11T14:10:00.000Z', // Thu, EST (UTC-5)
      '2027-03-12T14:10:00.000Z', // Fri, EST
      '2027-03-15T13:10:00.000Z', // Mon, EDT (UTC-4): same wall clock, an hour earlier in UTC
      '2027-03-16T13:10:00.000Z',
    ]);
  });

  test('names days the AWS way: SUN is 1, so 1 and SUN both mean Sunday', () => {
    const byNumber = fireTimes(
      { name: 'x', schedule: 'cron(0 12 ? * 1 *)' },
      utc('2026-11-16T00:00'),
      utc('2026-11-23T00:00'),
    );
    const byName = fireTimes(
      { name: 'x', schedule: 'cron(0 12 ? * SUN *)' },
      utc('2026-11-16T00:00'),
      utc('2026-11-23T00:00'),
    );
    expect(byNumber.map((t) => t.weekday)).toEqual([7]);
    expect(byName.map((t) => t.toISO())).toEqual(byNumber.map((t) => t.toISO()));
  });

  test('supports lists, ranges, steps and a one-time at() expression', () => {
    const cron = fireTimes(
      { name: 'x', schedule: 'cron(0/20 9,15 1-2 JAN ? 2027)' },
      utc('2027-01-01T00:00'),
      utc('2027-01-03T00:00'),
    );
    expect(cron.map((t) => t.toFormat('dd HH:mm'))).toEqual([
      '01 09:00',
      '01 09:20',
      '01 09:40',
      '01 15:00',
      '01 15:20',
      '01 15:40',
      '02 09:00',
      '02 09:20',
      '02 09:40',
      '02 15:00',
      '02 15:20',
      '02 15:40',
    ]);
    const at = fireTimes(
      { name: 'once', schedule: 'at(2027-01-04T09:00:00)', timezone: MARKET_ZONE },
      utc('2027-01-01T00:00'),
      utc('2027-01-10T00:00'),
    );
    expect(at.map((t) => t.toUTC().toISO())).toEqual(['2027-01-04T14:00:00.000Z']);
  });

  test('respects the action start and end times', () => {
    const action = {
      ...PLATFORM[0],
      startTime: new Date('2026-11-25T00:00:00Z'),
      endTime: new Date('2026-11-26T23:59:00Z'),
    };
    expect(
      fireTimes(action, utc('2026-11-23T00:00'), utc('2026-11-28T00:00')).map((t) => t.toISODate()),
    ).toEqual(['2026-11-25', '2026-11-26']);
  });

  test('rejects rate() naming the action: a rate cannot anchor to the bell', () => {
    expect(() =>
      fireTimes({ name: 'Every5', schedule: 'rate(5 minutes)' }, utc('2027-01-01'), utc('2027-01-02')),
    ).toThrow(
      new ScheduleExpressionError(
        'Every5: rate(5 minutes): only cron(...) and at(...) schedules can be evaluated; rate(...) has no fixed wall-clock time',
      ),
    );
  });

  test('rejects a malformed cron naming the action and the field', () => {
    expect(() =>
      fireTimes(
        { name: 'PreOpen', schedule: 'cron(10 25 ? * MON-FRI *)' },
        utc('2027-01-01'),
        utc('2027-01-02'),
      ),
    ).toThrow('PreOpen: cron(10 25 ? * MON-FRI *): hours value 25 is outside 0-23');
    expect(() =>
      fireTimes({ name: 'PreOpen', schedule: 'cron(10 9 * *)' }, utc('2027-01-01'), utc('2027-01-02')),
    ).toThrow(
      'PreOpen: cron(10 9 * *): expected 6 fields (minutes hours day-of-month month day-of-week year), found 4',
    );
  });

  test('rejects an unknown time zone', () => {
    expect(() =>
      fireTimes(
        { name: 'x', schedule: 'cron(0 9 ? * * *)', timezone: 'Mars/Olympus' },
        utc('2027-01-01'),
        utc('2027-01-02'),
      ),
    ).toThrow('x: Timezone "Mars/Olympus" is not an IANA time zone (e.g. America/New_York)');
  });
});

describe('minCapacityAt', () => {
  test('at 09:20 on a Tuesday the pre-open action of 09:10 is in force', () => {
    const m = minCapacityAt(PLATFORM, ny('2026-11-24T09:20'), 2);
    expect(m).toMatchObject({ minCapacity: 4, action: 'PreOpen' });
    expect(m.firedAt?.toISO()).toBe(ny('2026-11-24T09:10').toISO());
  });

  test('at 09:05 on a Monday the previous Friday post-close minimum is still in force', () => {
    const m = minCapacityAt(PLATFORM, ny('2026-11-23T09:05'), 2);
    expect(m).toMatchObject({ minCapacity: 2, action: 'PostClose' });
    expect(m.firedAt?.toISODate()).toBe('2026-11-20');
  });

  test('of two actions firing at the same instant the lower minimum is in force, in either order', () => {
    const hold: ScheduledActionLike = { ...PLATFORM[0], name: 'PreOpenHold', minCapacity: 3 };
    for (const actions of [
      [PLATFORM[0], hold],
      [hold, PLATFORM[0]],
    ]) {
      const m = minCapacityAt(actions, ny('2026-11-24T09:20'), 2);
      expect(m).toMatchObject({ minCapacity: 3, action: 'PreOpenHold' });
      expect(m.firedAt?.toISO()).toBe(ny('2026-11-24T09:10').toISO());
    }
  });

  test('without scheduled actions the target minimum is in force', () => {
    expect(minCapacityAt([], ny('2026-11-24T09:20'), 3)).toEqual({ minCapacity: 3 });
  });

  test('a UTC schedule written for winter misses the summer pre-open by an hour', () => {
    const utcPreOpen: ScheduledActionLike[] = [
      { name: 'PreOpenUtc', schedule: 'cron(10 14 ? * MON-FRI *)', minCapacity: 4 },
      { name: 'PostCloseUtc', schedule: 'cron(30 21 ? * MON-FRI *)', minCapacity: 2 },
    ];
    expect(minCapacityAt(utcPreOpen, ny('2027-01-12T09:20'), 2).minCapacity).toBe(4);
    expect(minCapacityAt(utcPreOpen, ny('2027-07-13T09:20'), 2).minCapacity).toBe(2);
  });
});

describe('trading days and DST', () => {
  test.each([
    ['2026-11-20T10:00', '2026-11-23T09:25'], // Friday after the open -> Monday
    ['2026-11-21T08:00', '2026-11-23T09:25'], // Saturday -> Monday
    ['2026-11-23T09:00', '2026-11-23T09:25'], // Monday before 09:25 -> today
    ['2026-11-23T09:25', '2026-11-24T09:25'], // exactly 09:25 has passed -> tomorrow
  ])('the next trading day after %s is %s', (now, expected) => {
    expect(nextTradingDayAt(ny(now), NINE_TWENTY_FIVE).toISO()).toBe(ny(expected).toISO());
  });

  test('the first trading day after the next DST change is the Monday after the March switch', () => {
    const day = firstTradingDayAfterNextDstChange(ny('2026-11-22T12:00'), NINE_TWENTY_FIVE);
    expect(day.toISO()).toBe('2027-03-15T09:25:00.000-04:00');
  });

  test('in summer it is the Monday after the November switch', () => {
    const day = firstTradingDayAfterNextDstChange(ny('2027-06-01T12:00'), NINE_TWENTY_FIVE);
    expect(day.toISO()).toBe('2027-11-08T09:25:00.000-05:00');
  });
});
