import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { asList, render, resourceOfType } from '../template';

/** The time zone of the trading sessions. */
export const TRADING_TIME_ZONE = 'America/New_York';

/**
 * The day-of-week field of an Application Auto Scaling cron expression (`cron(min hour dom month dow year)`),
 * or undefined when the schedule is not a six-field cron expression (rate(), at(), a token).
 */
export function cronWeekdayField(schedule: unknown): string | undefined {
  if (typeof schedule !== 'string') return undefined;
  const match = /^cron\(([^)]*)\)$/.exec(schedule.trim());
  const fields = match?.[1].trim().split(/\s+/) ?? [];
  return fields.length === 6 ? fields[4] : undefined;
}

/**
 * TAP-SCL-1: every scheduled action of a scalable target runs in America/New_York on trading days: timezone
 * `America/New_York` and a cron schedule whose day-of-week field is exactly `MON-FRI`.
 */
export class ScheduledActionsNewYorkWeekdaysRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-SCL-1',
    area: 'SCL',
    title: 'Scheduled actions run in America/New_York, Monday to Friday (cron day-of-week MON-FRI)',
    rationale:
      'The 09:30 and 16:00 spikes are New York times: a UTC schedule is an hour off for half the year, and a weekend action pays for idle tasks.',
    fix: 'Use scaleOnSchedule with timeZone: TimeZone.AMERICA_NEW_YORK and Schedule.cron({ weekDay: "MON-FRI", ... }) (lib/constructs/scaling.ts).',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const target = resourceOfType(node, 'AWS::ApplicationAutoScaling::ScalableTarget');
    if (!target) return;
    const actions = asList(
      render(target).properties.ScheduledActions as Array<Record<string, unknown>> | undefined,
    );
    for (const action of actions) {
      const name = typeof action.ScheduledActionName === 'string' ? action.ScheduledActionName : '(unnamed)';
      if (action.Timezone !== TRADING_TIME_ZONE) {
        this.report(
          node,
          `scheduled action ${name} runs in ${JSON.stringify(action.Timezone ?? 'UTC')}, not ${TRADING_TIME_ZONE}`,
        );
      }
      // A one-off action from the exchange calendar (an early close) runs once, at a New York time on a weekday.
      const oneOff =
        typeof action.Schedule === 'string'
          ? /^at\((\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}\)$/.exec(action.Schedule)
          : null;
      if (oneOff) {
        const day = new Date(`${oneOff[1]}T12:00:00Z`).getUTCDay();
        if (day === 0 || day === 6) {
          this.report(node, `scheduled action ${name} runs once on ${oneOff[1]}, a weekend day`);
        }
        continue;
      }
      const weekday = cronWeekdayField(action.Schedule);
      if (weekday !== 'MON-FRI') {
        this.report(
          node,
          `scheduled action ${name} has schedule ${JSON.stringify(action.Schedule)}: the cron day-of-week field must be MON-FRI`,
        );
      }
    }
  }
}
