import { DateTime } from 'luxon';
import { ASSUMPTIONS_FILE, type Assumptions, PRICING_FILE } from './assumptions';
import {
  type DayCapacity,
  countAt,
  dayCapacity,
  dstSwitches,
  hhmm,
  levelSince,
  minuteOf,
  taskHours,
} from './capacity';
import type { CfnTemplate } from '../../lib/cfn-template';
import { PlanInputError } from './cfn';
import { type CostPlan, costPlan } from './cost';
import { type PlanInputs, type ScheduledActionInput, type SourceRef, readPlanInputs } from './inputs';
import { CALENDAR_FILE, type ExchangeCalendar, loadCalendar } from '../../lib/schedule/exchange-calendar';
import { calendarPlanChecks, checkCalendarDays } from './calendar-check';
import { type DaySimulationPlan, daySimulationAdvisories, simulateProfileDay } from './day-plan';
import {
  type PlatformCostPlan,
  type PlatformPricing,
  type PlatformUsage,
  PLATFORM_PRICING_FILE,
  loadPlatformAssumptions,
  platformCost,
  readPlatformResources,
} from './platform-cost';
import { type ReactionPlan, reactionPlan } from './reaction';
import { type RollbackBudget, type ServeTime, rollbackBudget, serveTime } from './timing';

/**
 * The numbers the refactor is judged by (the request summarized in README.md): tasks scaled up by 09:25 ET before the 09:30
 * open (integration scenario 1) and by 15:55 before the 16:00 close, new tasks serving in under 30 s,
 * rollback within 5 minutes.
 */
export const REQUIREMENTS = {
  window: { from: '08:00', to: '17:00' },
  marketOpen: '09:30',
  marketClose: '16:00',
  preOpenCheck: '09:25',
  preCloseCheck: '15:55',
  newCapacitySeconds: 30,
  rollbackSeconds: 300,
} as const;

/** The only files `npm run plan` writes (into reports/). */
export const PLAN_FILES = ['plan.md', 'plan.json', 'capacity.svg'] as const;

/** The day-simulation chart of a profile (reports/day-<profile>.svg), written beside {@link PLAN_FILES}. */
export function dayChartFile(profile: string): string {
  return `day-${profile}.svg`;
}

/** Names of the scheduled actions that carry the spike levels (ScheduledActionName, not logical IDs). */
const PRE_OPEN_ACTION = /pre-?open/i;
const PRE_CLOSE_ACTION = /pre-?close/i;

/** One pass/fail check of the plan. */
export interface PlanCheck {
  readonly id: string;
  readonly title: string;
  readonly status: 'pass' | 'fail';
  readonly details: string[];
}

/** A day the capacity timeline was computed for. */
export interface PlannedDay extends DayCapacity {
  readonly label: string;
  readonly tradingDay: boolean;
}

/** The plan of one profile (one synthesized stack). */
export interface ProfilePlan {
  readonly profile: string;
  readonly stackName: string;
  readonly sources: Record<string, SourceRef>;
  readonly capacity: {
    readonly zone: string;
    readonly warmFloor: number;
    readonly capacityProviders: string[];
    readonly scalableTarget: { readonly minCapacity: number; readonly maxCapacity: number };
    readonly scheduledActions: ScheduledActionInput[];
    readonly preOpen: { readonly action: string; readonly level: number };
    readonly preClose: { readonly action: string; readonly level: number };
    readonly days: PlannedDay[];
  };
  readonly serveTime: ServeTime;
  /** Burst onset to new tasks serving, per scaling path (tools/plan/reaction.ts). */
  readonly reaction?: ReactionPlan;
  readonly rollback: RollbackBudget;
  readonly cost: CostPlan;
  /** The day simulated at one-second resolution, old and new configuration (tools/plan/simulation.ts). */
  readonly daySimulation: DaySimulationPlan;
  /**
   * Every priced resource of the template plus the running Fargate configuration.
   *
   * @default - not priced: data/plan-assumptions.json has no platformUsage for this profile
   */
  readonly platformCost?: PlatformCostPlan;
  readonly checks: PlanCheck[];
  /** Findings that do not fail the plan but that a reviewer should see. */
  readonly advisories: string[];
}

/** The whole report (reports/plan.json). */
export interface PlanReport {
  readonly schema: 'orderbroker-capacity-plan/1';
  readonly requirements: typeof REQUIREMENTS;
  readonly inputs: {
    readonly assumptionsFile: string;
    readonly assumptionsReviewedOn: string;
    readonly pricingFile: string;
    readonly pricingSource: string;
    readonly pricingRetrievedOn: string;
    readonly pricingNote: string;
    readonly platformPricingFile: string;
    readonly platformPricingRetrievedOn: string;
    readonly platformPricingNote: string;
    readonly platformPrices: Array<{
      readonly key: string;
      readonly price: number;
      readonly unit: string;
      readonly sourceUrl: string;
      readonly confidence: string;
    }>;
    readonly logsCompressedFraction: PlatformUsage['logsCompressedFraction'];
    readonly calendar: Assumptions['calendar'];
  };
  readonly defaultProfile: string;
  readonly status: 'pass' | 'fail';
  readonly profiles: ProfilePlan[];
}

function spikeAction(
  actions: readonly ScheduledActionInput[],
  pattern: RegExp,
  what: string,
  target: string,
) {
  // The calendar splits each weekday action into dated segments (and adds early-close ones): all carry one level.
  const matches = actions.filter((a) => pattern.test(a.name) && a.minCapacity !== undefined);
  const levels = [...new Set(matches.map((a) => a.minCapacity!))];
  if (levels.length !== 1) {
    throw new PlanInputError(
      `${target}: expected scheduled actions named like ${String(pattern)} with one MinCapacity (the ${what} level),` +
        ` found ${levels.length === 0 ? 'none' : `levels ${levels.join(', ')}`} among [${actions.map((a) => a.name).join(', ')}]`,
    );
  }
  return { action: matches[0].name, level: levels[0] };
}

function plannedDays(inputs: PlanInputs, assumptions: Assumptions): PlannedDay[] {
  const { zone, year, standardDay } = assumptions.calendar;
  const actions = inputs.scalableTarget.scheduledActions;
  const min = inputs.scalableTarget.minCapacity;
  const from = minuteOf(REQUIREMENTS.window.from);
  const to = minuteOf(REQUIREMENTS.window.to);
  const day = (date: string, label: string): PlannedDay => {
    const local = DateTime.fromISO(date, { zone });
    return { ...dayCapacity(actions, min, date, zone, from, to), label, tradingDay: local.weekday <= 5 };
  };
  const days = [day(standardDay, 'Standard day')];
  for (const s of dstSwitches(zone, year)) {
    const change = s.dstStarts ? 'DST starts' : 'DST ends';
    days.push(day(s.before, `Last trading day before ${change} (${s.switchDate})`));
    days.push(day(s.after, `First trading day after ${change} (${s.switchDate})`));
  }
  return days;
}

function check(id: string, title: string, failures: string[], passes: string[]): PlanCheck {
  return {
    id,
    title,
    status: failures.length === 0 ? 'pass' : 'fail',
    details: failures.length ? failures : passes,
  };
}

function capacityChecks(
  inputs: PlanInputs,
  days: PlannedDay[],
  fullDays: DayCapacity[],
  preOpen: { action: string; level: number },
  preClose: { action: string; level: number },
  coldSeconds: number,
): PlanCheck[] {
  const trading = days.filter((d) => d.tradingDay);
  const atLevel = (time: string, spike: { action: string; level: number }) => {
    const fail: string[] = [];
    const ok: string[] = [];
    for (const d of trading) {
      const n = countAt(d, time);
      const line = `${d.date} (${d.offset}): ${n} tasks at ${time}, ${spike.action} level ${spike.level}`;
      (n === spike.level ? ok : fail).push(line);
    }
    return [fail, ok] as const;
  };
  const serving = (time: string, spike: { action: string; level: number }) => {
    const fail: string[] = [];
    const ok: string[] = [];
    for (const d of trading) {
      const since = levelSince(d, time);
      const servingAt = minuteOf(since) * 60 + coldSeconds;
      const line = `${d.date}: level ${countAt(d, time)} in force since ${since}${
        since === REQUIREMENTS.window.from ? ' (or earlier)' : ''
      }; cold tasks serve ${coldSeconds} s later, at ${hhmm(Math.floor(servingAt / 60))}:${String(servingAt % 60).padStart(2, '0')}`;
      (countAt(d, time) === spike.level && servingAt <= minuteOf(time) * 60 ? ok : fail).push(line);
    }
    return [fail, ok] as const;
  };
  const floorFail: string[] = [];
  const floorOk: string[] = [];
  for (const d of [...days, ...fullDays]) {
    const lowest = Math.min(...d.counts);
    const line = `${d.date} ${hhmm(d.fromMinute)}-${hhmm(d.toMinute)}: lowest scheduled minimum ${lowest}, warm floor ${inputs.service.warmFloor}`;
    (lowest >= inputs.service.warmFloor ? floorOk : floorFail).push(line);
  }
  const targetLine = `scalable target MinCapacity ${inputs.scalableTarget.minCapacity} is the warm floor; service strategy FARGATE base ${inputs.service.strategyBase} (must be 0: a CODE_DEPLOY service changes its strategy only through a deployment)`;
  return [
    check(
      'PLAN-CAP-1',
      `Tasks at ${REQUIREMENTS.preOpenCheck} ET are at the pre-open level`,
      ...atLevel(REQUIREMENTS.preOpenCheck, preOpen),
    ),
    check(
      'PLAN-CAP-2',
      `Tasks at ${REQUIREMENTS.preCloseCheck} ET are at the pre-close level`,
      ...atLevel(REQUIREMENTS.preCloseCheck, preClose),
    ),
    check('PLAN-CAP-3', 'The scheduled minimum never drops below the warm floor', floorFail, floorOk),
    check(
      'PLAN-CAP-4',
      `Pre-open tasks started cold are serving by ${REQUIREMENTS.preOpenCheck} ET`,
      ...serving(REQUIREMENTS.preOpenCheck, preOpen),
    ),
    check(
      'PLAN-CAP-5',
      `Pre-close tasks started cold are serving by ${REQUIREMENTS.preCloseCheck} ET`,
      ...serving(REQUIREMENTS.preCloseCheck, preClose),
    ),
    check(
      'PLAN-CAP-6',
      'The scalable target minimum keeps the warm floor running; the service strategy has no base',
      inputs.scalableTarget.minCapacity >= 1 && inputs.service.strategyBase === 0 ? [] : [targetLine],
      [targetLine],
    ),
  ];
}

/**
 * Computes the plan of one synthesized stack.
 *
 * @throws PlanInputError when the template lacks something the plan reads
 */
export function computeProfilePlan(
  template: CfnTemplate,
  assumptions: Assumptions,
  profile: string,
  stackName: string,
  calendar: ExchangeCalendar = loadCalendar(),
  platform: { pricing: PlatformPricing; usage: PlatformUsage } = loadPlatformAssumptions(),
): ProfilePlan {
  const inputs = readPlanInputs(template);
  const { zone, standardDay } = assumptions.calendar;
  const actions = inputs.scalableTarget.scheduledActions;
  const targetId = inputs.scalableTarget.source.logicalId;
  const preOpen = spikeAction(actions, PRE_OPEN_ACTION, 'pre-open', targetId);
  const preClose = spikeAction(actions, PRE_CLOSE_ACTION, 'pre-close', targetId);
  const days = plannedDays(inputs, assumptions);
  const standard = DateTime.fromISO(standardDay, { zone });
  const saturday = standard.plus({ days: (6 - standard.weekday + 7) % 7 || 7 }).toISODate()!;
  const fullWeekday = dayCapacity(actions, inputs.scalableTarget.minCapacity, standardDay, zone, 0, 1439);
  const fullWeekend = dayCapacity(actions, inputs.scalableTarget.minCapacity, saturday, zone, 0, 1439);

  const serve = serveTime(inputs, assumptions.fargateColdStart);
  const rollback = rollbackBudget(inputs, assumptions.rollbackLatency, serve.cold.totalSeconds);
  const cost = costPlan(inputs, assumptions, taskHours(fullWeekday), taskHours(fullWeekend));

  const warmLine = `${serve.warm.warmFloor} tasks always running (scalable target minimum) serve at once: ${serve.warm.secondsToServe} s`;
  const healthLines = serve.healthChecks.map(
    (h) =>
      `${h.targetGroup}: ${h.intervalSeconds} s x ${h.healthyThreshold} = ${h.budgetSeconds} s${
        h.defaulted.length ? ` (ELB defaults for ${h.defaulted.join(', ')})` : ''
      }`,
  );
  const slowHealth = serve.healthChecks.filter((h) => h.budgetSeconds >= REQUIREMENTS.newCapacitySeconds);
  const rb = rollback;
  const rbLine = `worst case ${rb.budgetSeconds} s via ${rb.worstAlarm ?? 'no alarm'} (limit ${REQUIREMENTS.rollbackSeconds} s)`;
  const rollbackOnAlarm =
    rb.alarmsEnabled && rb.alarms.length > 0 && rb.autoRollbackEvents.includes('DEPLOYMENT_STOP_ON_ALARM');
  const bakeLine = `bake window ${rb.bakeWindowSeconds} s, rollback budget ${rb.budgetSeconds} s`;
  const running = cost.configurations.find((c) => c.id === `new-${inputs.service.runningArchitecture}`)!;
  const old = cost.configurations.find((c) => c.id === 'old')!;
  const costLine = `${running.label}: ${running.perMonth} ${cost.currency}/month vs old ${old.perMonth} (${running.vsOldPercent}%)`;
  const profileUsage = platform.usage.profiles[profile];
  const platformBill = profileUsage
    ? platformCost(
        readPlatformResources(template),
        platform.pricing,
        platform.usage,
        profileUsage,
        assumptions.calendar.hoursPerMonth,
        running.perMonth,
      )
    : undefined;
  const ew = cost.equalWork;
  const equalWorkLine = ew
    ? `${running.label}: ${running.perMonth} ${cost.currency}/month vs the old fleet doing the same work ${ew.oldPerMonthAtEqualWork} (${ew.runningVsOldPercent}%; ${ew.newTasksPerOldTask} new tasks per old task at ${assumptions.oldConfiguration.averageCpuUnitsUsed} CPU units used per old task)`
    : 'no CPU target-tracking policy: the work a new task carries is unknown';

  const calendarResult = checkCalendarDays(calendar, actions, {
    preOpenLevel: preOpen.level,
    preCloseLevel: preClose.level,
    warmFloor: inputs.service.warmFloor,
    targetMinCapacity: inputs.scalableTarget.minCapacity,
    preOpenCheck: REQUIREMENTS.preOpenCheck,
    preCloseLeadMinutes: minuteOf(REQUIREMENTS.marketClose) - minuteOf(REQUIREMENTS.preCloseCheck),
    coldStartSeconds: serve.cold.totalSeconds,
  });
  const checks: PlanCheck[] = [
    ...capacityChecks(inputs, days, [fullWeekday, fullWeekend], preOpen, preClose, serve.cold.totalSeconds),
    ...calendarPlanChecks(calendarResult, CALENDAR_FILE),
    check(
      'PLAN-SERVE-1',
      'New capacity serves in under 30 s from warm tasks',
      serve.warm.warmFloor >= 1 ? [] : [warmLine],
      [warmLine],
    ),
    check(
      'PLAN-SERVE-2',
      'A started task passes the target-group health check in under 30 s',
      slowHealth.length ? healthLines : [],
      healthLines,
    ),
    check(
      'PLAN-RB-1',
      'Rollback puts production back on blue within 300 s',
      rb.budgetSeconds <= REQUIREMENTS.rollbackSeconds ? [] : [rbLine],
      [rbLine],
    ),
    check(
      'PLAN-RB-2',
      'The deployment group rolls back on alarm',
      rollbackOnAlarm
        ? []
        : [
            `alarms enabled: ${rb.alarmsEnabled}, alarms: ${rb.alarms.length}, events: ${rb.autoRollbackEvents.join(', ') || 'none'}`,
          ],
      [`${rb.alarms.length} alarms, events: ${rb.autoRollbackEvents.join(', ')}`],
    ),
    check(
      'PLAN-RB-3',
      'Blue outlives the rollback budget after the full shift',
      rb.bakeWindowSeconds >= rb.budgetSeconds ? [] : [bakeLine],
      [bakeLine],
    ),
    check(
      'PLAN-RB-4',
      'Every target group of the deployment group has a rollback alarm',
      rb.uncoveredTargetGroups.map((tg) => `${tg}: no rollback alarm`),
      inputs.deployment.targetGroups.map((tg) => `${tg.source.logicalId}: covered`),
    ),
    ...(rb.hook
      ? [
          check(
            'PLAN-RB-5',
            'A failing validation hook stops the deployment within 300 s',
            rb.hook.decisionSeconds <= REQUIREMENTS.rollbackSeconds
              ? []
              : [`${rb.hook.function}: ${rb.hook.decisionSeconds} s`],
            [
              `${rb.hook.function}: Timeout ${rb.hook.timeoutSeconds} s + CodeDeploy reaction = ${rb.hook.decisionSeconds} s`,
            ],
          ),
        ]
      : []),
    check(
      'PLAN-COST-1',
      'The running configuration costs less than the old one at the same task counts',
      running.vsOldPercent < 0 ? [] : [costLine],
      [costLine],
    ),
    check(
      'PLAN-COST-2',
      `The running configuration costs less than the old fleet doing the same work (old tasks at their measured ${assumptions.oldConfiguration.averageCpuUnitsUsed} CPU units)`,
      ew && ew.runningVsOldPercent < 0 ? [] : [equalWorkLine],
      [equalWorkLine],
    ),
  ];

  const advisories: string[] = [];
  if (serve.cold.totalSeconds >= REQUIREMENTS.newCapacitySeconds) {
    advisories.push(
      `A cold task takes ~${serve.cold.totalSeconds} s to serve: only the warm floor meets "< 30 s"; scheduled and predictive scaling must start tasks at least that early.`,
    );
  }
  if (rb.routing.type !== 'AllAtOnce' && rb.maxExposurePercent === 100) {
    advisories.push(
      `The ${rb.routing.type} interval (${rb.routing.intervalMinutes} min) is shorter than the rollback budget (${rb.budgetSeconds} s): a green that fails from its first request can take 100% of production traffic for up to ${
        rb.budgetSeconds - rb.routing.intervalMinutes * 60
      } s before the rollback lands. An interval of ${Math.ceil(rb.budgetSeconds / 60)} min would keep it at ${rb.routing.percentage}%.`,
    );
  }
  if (!rb.hook) {
    advisories.push(
      `The validation hook path is not modeled: the template has no output ${'ValidationHookFunctionName'} naming an AWS::Lambda::Function.`,
    );
  }
  const daySimulation = simulateProfileDay(
    template,
    inputs,
    assumptions,
    Math.max(preOpen.level, preClose.level),
    serve.cold.totalSeconds,
  );
  advisories.push(...daySimulationAdvisories(daySimulation));
  const unzoned = actions.filter((a) => !a.timezoneDeclared);
  if (unzoned.length > 0) {
    advisories.push(
      `Scheduled actions without a Timezone run in UTC and drift by an hour across DST: ${unzoned.map((a) => a.name).join(', ')}.`,
    );
  }

  return {
    profile,
    stackName,
    sources: {
      service: inputs.service.source,
      scalableTarget: inputs.scalableTarget.source,
      deploymentGroup: inputs.deployment.source,
      ...Object.fromEntries(
        inputs.taskDefinitions.map((td) => [`taskDefinition${td.architecture}`, td.source]),
      ),
      ...(inputs.hook ? { validationHook: inputs.hook.source } : {}),
    },
    capacity: {
      zone,
      warmFloor: inputs.service.warmFloor,
      capacityProviders: inputs.service.capacityProviders,
      scalableTarget: {
        minCapacity: inputs.scalableTarget.minCapacity,
        maxCapacity: inputs.scalableTarget.maxCapacity,
      },
      scheduledActions: actions,
      preOpen,
      preClose,
      days,
    },
    serveTime: serve,
    reaction: reactionPlan(
      template,
      inputs.service.warmFloor,
      inputs.cpuTargetPercent ?? 100,
      serve.cold.totalSeconds,
    ),
    rollback,
    cost,
    platformCost: platformBill,
    daySimulation,
    checks,
    advisories,
  };
}

/** Assembles the report of all profiles. */
export function buildReport(
  profiles: ProfilePlan[],
  assumptions: Assumptions,
  defaultProfile: string,
  platform: { pricing: PlatformPricing; usage: PlatformUsage } = loadPlatformAssumptions(),
): PlanReport {
  return {
    schema: 'orderbroker-capacity-plan/1',
    requirements: REQUIREMENTS,
    inputs: {
      assumptionsFile: ASSUMPTIONS_FILE,
      assumptionsReviewedOn: assumptions.reviewedOn,
      pricingFile: PRICING_FILE,
      pricingSource: assumptions.pricing.sourceUrl,
      pricingRetrievedOn: assumptions.pricing.retrievedOn,
      pricingNote: assumptions.pricing.retrievalNote,
      platformPricingFile: PLATFORM_PRICING_FILE,
      platformPricingRetrievedOn: platform.pricing.retrievedOn,
      platformPricingNote: platform.pricing.retrievalNote,
      platformPrices: [
        ...Object.entries(platform.pricing.prices),
        ...Object.entries(platform.pricing.auroraInstanceHour).map(
          ([cls, l]) => [`auroraInstanceHour ${cls}`, l] as const,
        ),
      ].map(([key, l]) => ({
        key,
        price: l.price,
        unit: l.unit,
        sourceUrl: l.sourceUrl,
        confidence: l.confidence,
      })),
      logsCompressedFraction: platform.usage.logsCompressedFraction,
      calendar: assumptions.calendar,
    },
    defaultProfile,
    status: profiles.every((p) => p.checks.every((c) => c.status === 'pass')) ? 'pass' : 'fail',
    profiles,
  };
}

/** Failing checks of a report, as `profile PLAN-X-n: title` lines. */
export function failingChecks(report: PlanReport): string[] {
  return report.profiles.flatMap((p) =>
    p.checks
      .filter((c) => c.status === 'fail')
      .map((c) => `${p.profile} ${c.id}: ${c.title} — ${c.details.join('; ')}`),
  );
}
