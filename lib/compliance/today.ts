/**
 * The one "today" of the compliance gate: the day register entries are evaluated on (expiry, expiring soon).
 *
 * `TAP_TODAY=YYYY-MM-DD` pins it (CI sets it to the commit date of HEAD, so a rerun of the same commit gives the same
 * verdict and the same reports); without it, the real clock's UTC date. The gate records the day it used in the cloud
 * assembly (`compliance-gate.json`), and `npm run reports` reads it from there: the reports never read a clock.
 */
export const TODAY_ENV = 'TAP_TODAY';

/** `TAP_TODAY` is not a date. */
export class TodayError extends Error {
  constructor(value: string) {
    super(
      `${TODAY_ENV} = "${value}": expected a date YYYY-MM-DD (the day the compliance register is evaluated on), or unset for today`,
    );
    this.name = 'TodayError';
  }
}

/** The gate's today: `TAP_TODAY` (midnight UTC) or now. */
export function complianceToday(env: Readonly<Record<string, string | undefined>> = process.env): Date {
  const value = env[TODAY_ENV];
  if (value === undefined || value === '') return new Date();
  const parsed = new Date(`${value}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    isNaN(parsed.getTime()) ||
    parsed.toISOString().slice(0, 10) !== value
  ) {
    throw new TodayError(value);
  }
  return parsed;
}
