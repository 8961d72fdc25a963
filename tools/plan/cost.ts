import type { Architecture } from '../../lib/config/types';
import type { Assumptions } from './assumptions';
import type { PlanInputs } from './inputs';
import { round } from './timing';

/** One priced task configuration. */
export interface PricedConfiguration {
  readonly id: string;
  readonly label: string;
  readonly architecture: Architecture;
  readonly cpuUnits: number;
  readonly memoryMiB: number;
  /** Where the size comes from: a task definition of the template, or the dated assumptions. */
  readonly source: string;
  readonly pricePerTaskHour: number;
  readonly perTradingDay: number;
  readonly perWeekendDay: number;
  readonly perMonth: number;
  /** Monthly change against the old configuration (negative = cheaper), percent. */
  readonly vsOldPercent: number;
}

/** The cost section of a profile's plan. */
export interface CostPlan {
  readonly currency: string;
  readonly taskHoursPerTradingDay: number;
  readonly taskHoursPerWeekendDay: number;
  readonly tradingDaysPerMonth: number;
  readonly weekendDaysPerMonth: number;
  readonly configurations: PricedConfiguration[];
  /**
   * Equal-work view: the old tasks averaged `averageCpuUnitsUsed`; a new task carries cpuUnits x target%.
   * `newTasksPerOldTask` > 1 means the same load needs more new tasks than the old fleet ran.
   *
   * @default - no CPU target in the template
   */
  readonly equalWork?: {
    readonly newTasksPerOldTask: number;
    readonly oldPerMonthAtEqualWork: number;
    readonly runningVsOldPercent: number;
  };
}

/** USD per task-hour of a Fargate task size on an architecture. */
export function pricePerTaskHour(
  assumptions: Assumptions,
  architecture: Architecture,
  cpuUnits: number,
  memoryMiB: number,
): number {
  const p = assumptions.pricing.prices[architecture];
  return (cpuUnits / 1024) * p.perVcpuHour + (memoryMiB / 1024) * p.perGbHour;
}

/**
 * Fargate cost of the old configuration and of the template's task definitions (one per architecture) at the
 * scheduled task counts: a weekday's 24 h of per-minute counts, a weekend day's, and a 730-hour month of
 * which 5/7 are weekdays.
 */
export function costPlan(
  inputs: PlanInputs,
  assumptions: Assumptions,
  taskHoursPerTradingDay: number,
  taskHoursPerWeekendDay: number,
): CostPlan {
  const days = assumptions.calendar.hoursPerMonth / 24;
  const tradingDaysPerMonth = (days * 5) / 7;
  const weekendDaysPerMonth = (days * 2) / 7;
  const old = assumptions.oldConfiguration;
  const sized = [
    {
      id: 'old',
      label: `Old: ${old.cpuUnits} CPU / ${old.memoryMiB} MiB, ${old.architecture}`,
      architecture: old.architecture,
      cpuUnits: old.cpuUnits,
      memoryMiB: old.memoryMiB,
      source: `${old.source} Memory: ${old.memoryBasis}`,
    },
    ...[...inputs.taskDefinitions]
      .sort((a, b) => (a.architecture < b.architecture ? -1 : a.architecture > b.architecture ? 1 : 0))
      .map((td) => ({
        id: `new-${td.architecture}`,
        label: `New: ${td.cpuUnits} CPU / ${td.memoryMiB} MiB, ${td.architecture}${
          td.architecture === inputs.service.runningArchitecture ? ' (running)' : ''
        }`,
        architecture: td.architecture,
        cpuUnits: td.cpuUnits,
        memoryMiB: td.memoryMiB,
        source: `template: ${td.source.type} ${td.source.logicalId}`,
      })),
  ];
  const priced = sized.map((c) => {
    const hourly = pricePerTaskHour(assumptions, c.architecture, c.cpuUnits, c.memoryMiB);
    const perTradingDay = hourly * taskHoursPerTradingDay;
    const perWeekendDay = hourly * taskHoursPerWeekendDay;
    return {
      ...c,
      hourly,
      perTradingDay,
      perWeekendDay,
      perMonth: perTradingDay * tradingDaysPerMonth + perWeekendDay * weekendDaysPerMonth,
    };
  });
  const oldMonth = priced[0].perMonth;
  const configurations = priced.map((c): PricedConfiguration => ({
    id: c.id,
    label: c.label,
    architecture: c.architecture,
    cpuUnits: c.cpuUnits,
    memoryMiB: c.memoryMiB,
    source: c.source,
    pricePerTaskHour: round(c.hourly, 6),
    perTradingDay: round(c.perTradingDay, 2),
    perWeekendDay: round(c.perWeekendDay, 2),
    perMonth: round(c.perMonth, 2),
    vsOldPercent: round(((c.perMonth - oldMonth) / oldMonth) * 100, 1),
  }));
  const running = priced.find((c) => c.id === `new-${inputs.service.runningArchitecture}`);
  const target = inputs.cpuTargetPercent;
  let equalWork: CostPlan['equalWork'];
  if (target !== undefined && running) {
    const newTasksPerOldTask = old.averageCpuUnitsUsed / (running.cpuUnits * (target / 100));
    const oldPerMonthAtEqualWork = oldMonth / newTasksPerOldTask;
    equalWork = {
      newTasksPerOldTask: round(newTasksPerOldTask, 3),
      oldPerMonthAtEqualWork: round(oldPerMonthAtEqualWork, 2),
      runningVsOldPercent: round(
        ((running.perMonth - oldPerMonthAtEqualWork) / oldPerMonthAtEqualWork) * 100,
        1,
      ),
    };
  }
  return {
    currency: assumptions.pricing.currency,
    taskHoursPerTradingDay: round(taskHoursPerTradingDay, 4),
    taskHoursPerWeekendDay: round(taskHoursPerWeekendDay, 4),
    tradingDaysPerMonth: round(tradingDaysPerMonth, 4),
    weekendDaysPerMonth: round(weekendDaysPerMonth, 4),
    configurations,
    equalWork,
  };
}
