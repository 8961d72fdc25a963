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

/**
 * The `--profiles a,b` option (the one validator every CLI uses): a non-empty comma-separated subset of `known`,
 * or all of `known` when absent. The error names the option, the value and what is allowed.
 */
export function profilesOption(options: ParsedArgs['options'], known: readonly string[]): string[] {
  const raw = stringOption(options, 'profiles');
  if (raw === undefined) return [...known];
  const profiles = raw.split(',').map((p) => p.trim());
  if (profiles.length === 0 || profiles.some((p) => !known.includes(p))) {
    throw new UsageError(
      `--profiles = ${JSON.stringify(raw)}: expected a comma-separated subset of ${known.join(', ')}`,
    );
  }
  return profiles;
}

/** `parsed` unchanged, or a UsageError naming the first positional word (for commands that take only options). */
export function optionsOnly(parsed: ParsedArgs): ParsedArgs['options'] {
  if (parsed.positional.length > 0) {
    throw new UsageError(
      `unexpected argument ${JSON.stringify(parsed.positional[0])}; this command takes only --options`,
    );
  }
  return parsed.options;
}
