/**
 * Stable JSON for committed reports: two-space indentation, keys in insertion order (the plan builds its
 * objects in a fixed order), arrays of numbers on one line so per-minute series stay readable in diffs.
 */
export function stableJson(value: unknown): string {
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
    2,
  );
  return `${text.replace(/\[\s+(-?\d+(?:\.\d+)?(?:,\s+-?\d+(?:\.\d+)?)*)\s+\]/g, (_m, body: string) => `[${body.split(/,\s+/).join(', ')}]`)}\n`;
}
