/** Raised for a bad command line; the CLI prints it and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parsed `--key value` / `--flag` options and positional words. */
export interface ParsedArgs {
  readonly positional: string[];
  readonly options: Record<string, string | true>;
}

/**
 * Parses `--key value`, `--key=value` and bare `--flag`; rejects options not in `allowed`, naming them
 * and listing what is allowed.
 */
export function parseArgs(
  argv: readonly string[],
  allowed: readonly string[],
  flags: readonly string[] = [],
): ParsedArgs {
  const positional: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [rawKey, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (!allowed.includes(rawKey) && !flags.includes(rawKey)) {
      throw new UsageError(
        `unknown option --${rawKey}; allowed: ${[...allowed, ...flags].map((k) => `--${k}`).join(', ')}`,
      );
    }
    if (flags.includes(rawKey)) {
      options[rawKey] = true;
    } else if (inline !== undefined) {
      options[rawKey] = inline;
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`--${rawKey} needs a value`);
      options[rawKey] = next;
      i++;
    }
  }
  return { positional, options };
}

/** A positive number option within bounds, or the default; the error names the option, value and range. */
export function numberOption(
  options: ParsedArgs['options'],
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = options[key];
  if (raw === undefined) return fallback;
  const n = typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) {
    throw new UsageError(`--${key} = ${JSON.stringify(raw)}: expected a number from ${min} to ${max}`);
  }
  return n;
}

/** A string option or the default. */
export function stringOption(
  options: ParsedArgs['options'],
  key: string,
  fallback?: string,
): string | undefined {
  const raw = options[key];
  if (raw === true) throw new UsageError(`--${key} needs a value`);
  return raw ?? fallback;
}
