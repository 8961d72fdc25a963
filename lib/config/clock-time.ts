import type { ClockTime } from './types';

/** Minutes since midnight. */
export function minutes(t: ClockTime): number {
  return t.hour * 60 + t.minute;
}

/** Formats a clock time as HH:MM. */
export function formatTime(t: ClockTime): string {
  return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

/** The clock time `delta` minutes later (earlier when negative), within the same day. */
export function shiftMinutes(t: ClockTime, delta: number): ClockTime {
  const m = minutes(t) + delta;
  return { hour: Math.floor(m / 60), minute: m % 60 };
}
