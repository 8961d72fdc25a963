import type { Architecture } from '../../lib/config/types';
import * as fs from 'fs';
import * as path from 'path';
import { DateTime, IANAZone } from 'luxon';
import { REPO_ROOT } from '../shared/repo';
import { type DaySimulationAssumptions, parseDaySimulation } from './day-assumptions';

/** The dated price table (repository-relative). */
export const PRICING_FILE = 'data/fargate-pricing-us-east-2.json';
/** The dated table of latencies, old configuration and calendar (repository-relative). */
export const ASSUMPTIONS_FILE = 'data/plan-assumptions.json';

/** One documented duration. */
export interface TimedComponent {
  readonly id: string;
  readonly label: string;
  readonly seconds: number;
  readonly source: string;
  readonly basis: string;
}

/** Fargate on-demand prices of one architecture (USD). */
export interface ArchitecturePrice {
  readonly perVcpuHour: number;
  readonly perGbHour: number;
}

/** The price table. */
export interface Pricing {
  readonly sourceUrl: string;
  readonly retrievedOn: string;
  /** How the prices were obtained and when to re-verify them (carried into reports/plan.md). */
  readonly retrievalNote: string;
  readonly region: string;
  readonly currency: string;
  readonly prices: { readonly ARM64: ArchitecturePrice; readonly X86_64: ArchitecturePrice };
}

/** Everything the plan needs besides the template. */
export interface Assumptions {
  readonly reviewedOn: string;
  readonly calendar: {
    readonly zone: string;
    readonly year: number;
    readonly standardDay: string;
    readonly hoursPerMonth: number;
  };
  readonly fargateColdStart: readonly TimedComponent[];
  readonly rollbackLatency: readonly TimedComponent[];
  readonly oldConfiguration: {
    readonly cpuUnits: number;
    readonly memoryMiB: number;
    readonly architecture: Architecture;
    readonly averageCpuUnitsUsed: number;
    readonly source: string;
    readonly memoryBasis: string;
  };
  readonly pricing: Pricing;
  /** Inputs of the day simulation (tools/plan/simulation.ts). */
  readonly daySimulation: DaySimulationAssumptions;
}

/** Raised for a malformed data file: names the file, the key, the value and what is allowed. */
export class AssumptionsError extends Error {
  constructor(file: string, key: string, value: unknown, allowed: string) {
    super(`${file}: ${key} = ${JSON.stringify(value ?? null)}: ${allowed}`);
    this.name = 'AssumptionsError';
  }
}

type Json = Record<string, unknown>;

function at(obj: unknown, key: string): unknown {
  let cur: unknown = obj;
  for (const part of key.split('.'))
    cur = typeof cur === 'object' && cur !== null ? (cur as Json)[part] : undefined;
  return cur;
}

function positive(file: string, obj: unknown, key: string): number {
  const v = at(obj, key);
  if (typeof v !== 'number' || !(v > 0))
    throw new AssumptionsError(file, key, v, 'expected a positive number');
  return v;
}

function text(file: string, obj: unknown, key: string): string {
  const v = at(obj, key);
  if (typeof v !== 'string' || v.trim() === '')
    throw new AssumptionsError(file, key, v, 'expected a non-empty string');
  return v;
}

function isoDate(file: string, obj: unknown, key: string): string {
  const v = text(file, obj, key);
  if (!DateTime.fromISO(v).isValid || !/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    throw new AssumptionsError(file, key, v, 'expected a date YYYY-MM-DD');
  }
  return v;
}

function components(file: string, obj: unknown, key: string): TimedComponent[] {
  const list = at(obj, key);
  if (!Array.isArray(list) || list.length === 0)
    throw new AssumptionsError(file, key, list, 'expected a non-empty list');
  return list.map((_, i) => ({
    id: text(file, obj, `${key}.${i}.id`),
    label: text(file, obj, `${key}.${i}.label`),
    seconds: positive(file, obj, `${key}.${i}.seconds`),
    source: text(file, obj, `${key}.${i}.source`),
    basis: text(file, obj, `${key}.${i}.basis`),
  }));
}

function price(file: string, obj: unknown, arch: string): ArchitecturePrice {
  return {
    perVcpuHour: positive(file, obj, `prices.${arch}.perVcpuHour`),
    perGbHour: positive(file, obj, `prices.${arch}.perGbHour`),
  };
}

/** Validates parsed data files (exported for tests). */
export function parseAssumptions(raw: unknown, rawPricing: unknown): Assumptions {
  const a = ASSUMPTIONS_FILE;
  const p = PRICING_FILE;
  const zone = text(a, raw, 'calendar.zone');
  if (!IANAZone.isValidZone(zone))
    throw new AssumptionsError(a, 'calendar.zone', zone, 'expected an IANA time zone');
  const year = positive(a, raw, 'calendar.year');
  if (!Number.isInteger(year))
    throw new AssumptionsError(a, 'calendar.year', year, 'expected an integer year');
  const architecture = at(raw, 'oldConfiguration.architecture');
  if (architecture !== 'ARM64' && architecture !== 'X86_64') {
    throw new AssumptionsError(a, 'oldConfiguration.architecture', architecture, 'expected ARM64 or X86_64');
  }
  const sourceUrl = text(p, rawPricing, 'sourceUrl');
  if (!/^https:\/\//.test(sourceUrl))
    throw new AssumptionsError(p, 'sourceUrl', sourceUrl, 'expected an https URL');
  return {
    reviewedOn: isoDate(a, raw, 'reviewedOn'),
    calendar: {
      zone,
      year,
      standardDay: isoDate(a, raw, 'calendar.standardDay'),
      hoursPerMonth: positive(a, raw, 'calendar.hoursPerMonth'),
    },
    fargateColdStart: components(a, raw, 'fargateColdStart'),
    rollbackLatency: components(a, raw, 'rollbackLatency'),
    oldConfiguration: {
      cpuUnits: positive(a, raw, 'oldConfiguration.cpuUnits'),
      memoryMiB: positive(a, raw, 'oldConfiguration.memoryMiB'),
      architecture,
      averageCpuUnitsUsed: positive(a, raw, 'oldConfiguration.averageCpuUnitsUsed'),
      source: text(a, raw, 'oldConfiguration.source'),
      memoryBasis: text(a, raw, 'oldConfiguration.memoryBasis'),
    },
    pricing: {
      sourceUrl,
      retrievedOn: isoDate(p, rawPricing, 'retrievedOn'),
      retrievalNote: text(p, rawPricing, 'retrievalNote'),
      region: text(p, rawPricing, 'region'),
      currency: text(p, rawPricing, 'currency'),
      prices: { ARM64: price(p, rawPricing, 'ARM64'), X86_64: price(p, rawPricing, 'X86_64') },
    },
    daySimulation: parseDaySimulation(a, raw),
  };
}

/** Reads and validates `data/plan-assumptions.json` and `data/fargate-pricing-us-east-2.json`. */
export function loadAssumptions(root = REPO_ROOT): Assumptions {
  const read = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
  return parseAssumptions(read(ASSUMPTIONS_FILE), read(PRICING_FILE));
}
