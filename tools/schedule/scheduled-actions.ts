import { DateTime } from 'luxon';
import { fireTimes, parseSchedule, ScheduleError, type ParsedSchedule } from './schedule-expression';

/**
 * Which bounds Application Auto Scaling scheduled actions put in force, and when: the one implementation
 * behind the capacity plan (`npm run plan`, from the synthesized template) and the `pre-open-capacity`
 * scenario (from DescribeScheduledActions). Pure: no clock, no AWS.
 */

/** A scheduled action of a scalable target: the fields the capacity math needs. */
export interface ScheduledActionLike {
  readonly name: string;
  /** `cron(m h dom mon dow year)` or `at(yyyy-mm-ddThh:mm:ss)`; `rate(...)` is not supported. */
  readonly schedule: string;
  /** IANA zone of the expression; absent means UTC (the default of CloudFormation and of the API). */
  readonly timezone?: string;
  readonly minCapacity?: number;
  readonly maxCapacity?: number;
  /**
   * The action is inactive before/after these instants: a Date (as the API returns them) or an ISO date-time
   * read in UTC (as CloudFormation documents StartTime/EndTime). An unparseable string bounds nothing.
   */
  readonly startTime?: Date | string;
  readonly endTime?: Date | string;
}

/** Days searched backwards for the action in force; weekly schedules need 7. */
export const LOOKBACK_DAYS = 8;

/** Raised for an expression that cannot be evaluated; names the action and the expression. */
export class ScheduleExpressionError extends ScheduleError {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleExpressionError';
  }
}

/** A scheduled change of the scalable target's bounds, at an instant. */
export interface LevelChange {
  readonly atMs: number;
  readonly action: string;
  readonly minCapacity?: number;
  readonly maxCapacity?: number;
}

function boundMs(value: Date | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) return value.getTime();
  const dt = DateTime.fromISO(value, { zone: 'UTC' });
  return dt.isValid ? dt.toMillis() : undefined;
}

/** The parsed schedule of `action` in its time zone; a bad expression raises an error naming the action. */
export function parseAction(action: ScheduledActionLike): ParsedSchedule {
  try {
    return parseSchedule(action.schedule, action.timezone ?? 'UTC');
  } catch (err) {
    if (err instanceof ScheduleError) throw new ScheduleExpressionError(`${action.name}: ${err.message}`);
    throw err;
  }
}

/**
 * Every instant (epoch ms) in `[fromMs, toMs]` at which `action` fires, ascending, evaluated by the shared
 * schedule evaluator in the action's time zone and bounded by its StartTime/EndTime.
 */
export function actionFireTimes(action: ScheduledActionLike, fromMs: number, toMs: number): number[] {
  const schedule = parseAction(action);
  const start = boundMs(action.startTime) ?? -Infinity;
  const end = boundMs(action.endTime) ?? Infinity;
  // Evaluate only the bounded part: a calendar splits each weekday cron into many dated segments.
  const from = Math.max(fromMs, start);
  const to = Math.min(toMs, end);
  if (from > to) return [];
  return fireTimes(schedule, from, to).filter((ms) => ms >= start && ms <= end);
}

/**
 * Every firing of the scheduled actions within `[fromMs, toMs]`, in the order they take effect: by time,
 * and at one instant by the tie rule below, so that applying the changes in sequence (the last one
 * winning) gives the bounds in force.
 *
 * Tie rule: when several actions fire at the same instant, the LOWEST MinCapacity among them is the one
 * in force afterwards. Application Auto Scaling guarantees the order of execution of scheduled actions
 * within one scalable target ("How scheduled scaling for Application Auto Scaling works", Considerations),
 * but does not document which of two actions due at the same instant runs last, so either may. A check
 * that proves a capacity floor must assume the worse outcome, so the lower minimum wins. The rule depends
 * on the values only, not on the order of the actions, because the plan reads them in template order
 * and the scenario in DescribeScheduledActions order: both must reach the same answer. Among equal
 * minimums (and actions that set no minimum, which go first) the name decides, so the result is stable.
 * MaxCapacity is carried along but no tie rule is defined for it: no consumer reads it.
 */
export function scheduledChanges(
  actions: readonly ScheduledActionLike[],
  fromMs: number,
  toMs: number,
): LevelChange[] {
  const changes: LevelChange[] = [];
  for (const action of actions) {
    for (const atMs of actionFireTimes(action, fromMs, toMs)) {
      changes.push({
        atMs,
        action: action.name,
        minCapacity: action.minCapacity,
        maxCapacity: action.maxCapacity,
      });
    }
  }
  const tieMin = (c: LevelChange) => c.minCapacity ?? Infinity;
  return changes.sort(
    (a, b) =>
      a.atMs - b.atMs || tieMin(b) - tieMin(a) || (a.action < b.action ? -1 : a.action > b.action ? 1 : 0),
  );
}

/** The minimum capacity in force at an instant, and which action set it. */
export interface MinCapacityInForce {
  readonly minCapacity: number;
  /** The scheduled action that set it, or undefined when it is the scalable target's own minimum. */
  readonly action?: string;
  /** When that action fired (epoch ms). */
  readonly firedAtMs?: number;
}

/**
 * The minimum capacity in force at each of `instantsMs` (ascending, epoch ms): the MinCapacity of the
 * action that fired last at or before the instant, ties resolved by {@link scheduledChanges} (the lowest
 * minimum), looking back `lookbackDays` before the first instant; else `fallbackMin` (the scalable
 * target's own minimum). Actions without a MinCapacity leave the minimum as it is.
 */
export function minCapacityInForce(
  actions: readonly ScheduledActionLike[],
  instantsMs: readonly number[],
  fallbackMin: number,
  lookbackDays = LOOKBACK_DAYS,
): MinCapacityInForce[] {
  if (instantsMs.length === 0) return [];
  const changes = scheduledChanges(
    actions,
    instantsMs[0] - lookbackDays * 86_400_000,
    instantsMs[instantsMs.length - 1],
  );
  const out: MinCapacityInForce[] = [];
  let inForce: MinCapacityInForce = { minCapacity: fallbackMin };
  let next = 0;
  for (const t of instantsMs) {
    for (; next < changes.length && changes[next].atMs <= t; next++) {
      const { minCapacity, action, atMs } = changes[next];
      if (minCapacity !== undefined) inForce = { minCapacity, action, firedAtMs: atMs };
    }
    out.push(inForce);
  }
  return out;
}
