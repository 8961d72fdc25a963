import { reactionMarkdown } from './reaction';
import type { Assumptions } from './assumptions';
import { countAt } from './capacity';
import { daySimulationAssumptionsMarkdown, daySimulationMarkdown } from './day-markdown';
import { type PlanReport, type ProfilePlan, dayChartFile } from './plan';
import { EXCLUDED_FROM_PLATFORM_COST } from './platform-cost';
import { policyTags } from '../../aspects/required-tags';

/** The tags the tagging Aspect puts on every resource: finance activates them as cost allocation tags. */
export const COST_ALLOCATION_TAGS: readonly string[] = Object.keys(
  policyTags({
    costCenter: 'CC-0000',
    project: 'TradingPlatform',
    service: 'OrderBroker',
    environment: 'any',
  }),
);

/** `1234.5` → `1,234.50` (no locale: the output must not depend on the machine). */
export function money(value: number): string {
  const [int, frac] = Math.abs(value).toFixed(2).split('.');
  return `${value < 0 ? '-' : ''}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

function seconds(value: number): string {
  return Number.isFinite(value) ? `${value} s` : 'unbounded';
}

function status(s: 'pass' | 'fail'): string {
  return s === 'pass' ? 'PASS' : '**FAIL**';
}

function table(header: string[], rows: Array<Array<string | number>>): string {
  const esc = (c: string | number) => String(c).replace(/\|/g, '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

function summary(report: PlanReport, p: ProfilePlan): string {
  const standard = p.capacity.days[0];
  const rb = p.rollback;
  const byId = (id: string) => p.checks.find((c) => c.id === id)!;
  const cfg = (id: string) => p.cost.configurations.find((c) => c.id === id);
  const costCell = (id: string) => {
    const c = cfg(id);
    return c ? `${money(c.perTradingDay)} / ${money(c.perMonth)}` : 'n/a';
  };
  const req = report.requirements;
  return table(
    ['Figure', 'Value', 'Requirement', 'Check'],
    [
      [
        `Tasks at ${req.preOpenCheck} ET (standard day)`,
        countAt(standard, req.preOpenCheck),
        `pre-open level ${p.capacity.preOpen.level}`,
        status(byId('PLAN-CAP-1').status),
      ],
      [
        `Tasks at ${req.preCloseCheck} ET (standard day)`,
        countAt(standard, req.preCloseCheck),
        `pre-close level ${p.capacity.preClose.level}`,
        status(byId('PLAN-CAP-2').status),
      ],
      [
        'Lowest scheduled minimum',
        Math.min(...p.capacity.days.map((d) => Math.min(...d.counts))),
        `warm floor ${p.capacity.warmFloor}`,
        status(byId('PLAN-CAP-3').status),
      ],
      [
        'New capacity from warm tasks',
        seconds(p.serveTime.warm.secondsToServe),
        `< ${req.newCapacitySeconds} s`,
        status(byId('PLAN-SERVE-1').status),
      ],
      [
        'Started task healthy in the target group',
        seconds(p.serveTime.healthCheckSeconds),
        `< ${req.newCapacitySeconds} s`,
        status(byId('PLAN-SERVE-2').status),
      ],
      ['Cold task, start to serving', seconds(p.serveTime.cold.totalSeconds), 'informational', '-'],
      [
        'Rollback budget (worst case)',
        seconds(rb.budgetSeconds),
        `<= ${req.rollbackSeconds} s`,
        status(byId('PLAN-RB-1').status),
      ],
      ...equalWorkRows(p, byId),
      [
        `Old x86 Fargate, same task counts, ${p.cost.currency} per trading day / month`,
        costCell('old'),
        '-',
        '-',
      ],
      [
        `New ARM64 Fargate, same task counts, ${p.cost.currency} per trading day / month`,
        costCell('new-ARM64'),
        'below old',
        status(byId('PLAN-COST-1').status),
      ],
      [
        `New X86_64 Fargate, same task counts, ${p.cost.currency} per trading day / month`,
        costCell('new-X86_64'),
        '-',
        '-',
      ],
      ...(p.platformCost
        ? [
            [
              `Whole platform, ${p.platformCost.currency} per month`,
              `${money(p.platformCost.totalPerMonth)} (Fargate ${p.platformCost.fargateSharePercent}%)`,
              'informational',
              '-',
            ],
          ]
        : []),
    ],
  );
}

/** The headline comparison: the running configuration against the old fleet doing the same work. */
function equalWorkRows(
  p: ProfilePlan,
  byId: (id: string) => ProfilePlan['checks'][number],
): Array<Array<string | number>> {
  const ew = p.cost.equalWork;
  const running = p.cost.configurations.find((c) => c.label.endsWith('(running)'));
  const check = p.checks.find((c) => c.id === 'PLAN-COST-2');
  if (!ew || !running || !check) return [];
  return [
    [
      `Fargate at equal work, ${p.cost.currency} per month: running vs old fleet`,
      `${money(running.perMonth)} vs ${money(ew.oldPerMonthAtEqualWork)} (${ew.runningVsOldPercent}%)`,
      'below old',
      status(byId('PLAN-COST-2').status),
    ],
  ];
}

function capacitySection(report: PlanReport, p: ProfilePlan): string {
  const c = p.capacity;
  const req = report.requirements;
  const actions = table(
    ['Scheduled action', 'Schedule', 'Timezone', 'MinCapacity', 'MaxCapacity'],
    c.scheduledActions.map((a) => [
      a.name,
      `\`${a.schedule}\``,
      a.timezoneDeclared ? a.timezone : `${a.timezone} (not declared)`,
      a.minCapacity ?? '-',
      a.maxCapacity ?? '-',
    ]),
  );
  const days = table(
    [
      'Day',
      'Date',
      'Offset',
      `At ${req.preOpenCheck}`,
      `At ${req.preCloseCheck}`,
      `Scheduled minimum, ${req.window.from}-${req.window.to} ET`,
    ],
    c.days.map((d) => [
      d.label,
      `${d.weekday} ${d.date}`,
      d.offset,
      d.tradingDay ? countAt(d, req.preOpenCheck) : '-',
      d.tradingDay ? countAt(d, req.preCloseCheck) : '-',
      d.segments.map((s) => `${s.from}-${s.to}: ${s.tasks}`).join('; '),
    ]),
  );
  return [
    `### Capacity over a trading day`,
    '',
    `Scalable target: MinCapacity ${c.scalableTarget.minCapacity}, MaxCapacity ${c.scalableTarget.maxCapacity}. ` +
      `Warm floor (the scalable target's minimum; the service's strategy on ${c.capacityProviders.join(', ')} has no base): ${c.warmFloor} tasks. ` +
      `Pre-open level: ${c.preOpen.level} (${c.preOpen.action}); pre-close level: ${c.preClose.level} (${c.preClose.action}).`,
    '',
    actions,
    '',
    `Scheduled minimum in force at every minute (each cron evaluated in its declared time zone, shown in ${c.zone}):`,
    '',
    days,
  ].join('\n');
}

function serveSection(p: ProfilePlan): string {
  const s = p.serveTime;
  const rows: Array<Array<string | number>> = s.cold.components.map((c) => [c.label, c.seconds, c.source]);
  rows.push(['**Cold task total**', `**${s.cold.totalSeconds}**`, '']);
  const headroom =
    s.warm.headroomTaskEquivalents === undefined
      ? ''
      : ` At the ${s.warm.cpuTargetPercent}% CPU target they hold ${s.warm.headroomTaskEquivalents} task-equivalents of spare capacity that serves a burst at once.`;
  const burst = s.burst
    ? `An unforeseen burst: the step-scaling alarm needs ${s.burst.alarmSeconds} s, then a cold task: new tasks serve after ~${s.burst.totalSeconds} s; the warm headroom carries the load until then.`
    : 'No step-scaling policy: an unforeseen burst waits for target tracking.';
  return [
    '### Time to serve new capacity',
    '',
    `**Warm path (meets < 30 s):** ${s.warm.warmFloor} tasks always run (the warm floor; Fargate has no warm pool) and are already healthy in the target group: they serve new load in ${s.warm.secondsToServe} s.${headroom}`,
    '',
    `**Health check:** ${s.healthChecks.map((h) => `${h.targetGroup} ${h.intervalSeconds} s x ${h.healthyThreshold} = ${h.budgetSeconds} s`).join('; ')}.`,
    '',
    `**Cold path (does not meet < 30 s):** a task started by a scaling action serves after:`,
    '',
    table(['Component', 'Seconds', 'Source'], rows),
    '',
    burst,
  ].join('\n');
}

function rollbackSection(p: ProfilePlan): string {
  const rb = p.rollback;
  const alarms = table(
    [
      'Rollback alarm',
      'Metric',
      'Period',
      'Datapoints / evaluation periods',
      'Signal',
      '(evaluation periods + 1) x period',
      'Total',
    ],
    rb.alarms.map((a) => [
      a.alarm,
      a.metric,
      `${a.periodSeconds} s`,
      `${a.datapointsToAlarm} / ${a.evaluationPeriods}`,
      `${a.signalSeconds} s`,
      `${a.datapointSeconds} s`,
      `${a.totalSeconds} s`,
    ]),
  );
  const latencies = rb.latencies.map((l) => `${l.label} ${l.seconds} s`).join(' + ');
  const routing =
    rb.routing.type === 'AllAtOnce'
      ? 'all at once'
      : `${rb.routing.type} ${rb.routing.percentage}% every ${rb.routing.intervalMinutes} min`;
  const hook = rb.hook
    ? `**Validation hook (pre-traffic):** ${rb.hook.function} runs against the test listener before any production traffic moves, with Timeout ${rb.hook.timeoutSeconds} s${
        rb.hook.timeoutDefaulted ? ' (Lambda default)' : ''
      }. A failing validation stops the deployment after at most ${rb.hook.decisionSeconds} s (Timeout + CodeDeploy reaction) with 0 s of production traffic on green. If the function dies without reporting, CodeDeploy waits for the lifecycle event's own 1-hour limit; production stays on blue throughout.`
    : '**Validation hook:** not modeled — the template has no output `ValidationHookFunctionName` naming an AWS::Lambda::Function. A bad green is then only caught by the alarms below.';
  return [
    '### Rollback budget',
    '',
    hook,
    '',
    `**Alarm path (a bad green that passes validation):** traffic shifts ${routing} (${rb.routingSource}). The worst case is a failure that only the slowest rollback alarm sees and that starts just after a period boundary: the alarm may need all its evaluation periods (an intermittent failure spreads its breaching datapoints over them) plus the partly covered first period, then ${latencies}. Blue is kept ${rb.bakeWindowSeconds} s after the full shift, so a rollback in the bake window still has somewhere to go.`,
    '',
    alarms,
    '',
    `**Worst case: ${seconds(rb.budgetSeconds)}** (${rb.worstAlarm ?? 'no alarm'}). Green holds at most ${rb.maxExposurePercent}% of production traffic before the rollback lands. Rollback events: ${rb.autoRollbackEvents.join(', ') || 'none'}.`,
    '',
    rollbackClocksText(rb),
  ].join('\n');
}

/** The two clocks of "rollback within 5 minutes", and which one the requirement is met on. */
function rollbackClocksText(rb: ProfilePlan['rollback']): string {
  const c = rb.clocks;
  const limit = 300;
  const onset = c.fromFailureOnsetSeconds <= limit ? 'meets' : 'misses';
  const start = c.fromDeploymentStartSeconds <= limit ? 'meets' : 'does not meet';
  return [
    '**Which clock:** the 5-minute requirement is measured from **failure onset** (a bad green starts failing while it serves production traffic) to production back on blue.',
    `- From failure onset: **${seconds(c.fromFailureOnsetSeconds)}**: ${onset} the 300 s limit.`,
    `- From deployment start (CreateDeployment, a bad version that passes validation and fails as soon as it takes traffic): **${seconds(c.fromDeploymentStartSeconds)}** = ${c.deploymentStartParts.map((p) => `${p.seconds} s ${p.label}`).join(' + ')}: ${start} 300 s. Before traffic moves production stays on blue, so this clock measures how long a deployment takes to be undone, not customer exposure.`,
  ].join('\n');
}

function costSection(p: ProfilePlan, assumptions: Assumptions): string {
  const c = p.cost;
  const rows = c.configurations.map((x) => [
    x.label,
    x.pricePerTaskHour.toFixed(6),
    money(x.perTradingDay),
    money(x.perWeekendDay),
    money(x.perMonth),
    x.id === 'old' ? '-' : `${x.vsOldPercent}%`,
  ]);
  return [
    '### Cost',
    '',
    `Scheduled minimum integrated over 24 h: ${c.taskHoursPerTradingDay} task-hours per weekday, ${c.taskHoursPerWeekendDay} per weekend day; a month of ${assumptions.calendar.hoursPerMonth} h = ${c.tradingDaysPerMonth} weekdays + ${c.weekendDaysPerMonth} weekend days. Fargate Linux on-demand, ${assumptions.pricing.region}, ${c.currency}, prices retrieved ${assumptions.pricing.retrievedOn}. Target tracking and predictive scaling add tasks above this minimum on busy days; the figures are the floor of the bill, priced the same way for old and new.`,
    '',
    table(
      [
        'Configuration',
        `${c.currency}/task-hour`,
        'Per trading day',
        'Per weekend day',
        'Per month',
        'vs old',
      ],
      rows,
    ),
    ...(c.equalWork
      ? [
          '',
          `**At equal work** (the headline): an old task used ${assumptions.oldConfiguration.averageCpuUnitsUsed} of its ${assumptions.oldConfiguration.cpuUnits} CPU units on average; a new task carries its CPU units x the target-tracking target (${Math.round(assumptions.oldConfiguration.averageCpuUnitsUsed / c.equalWork.newTasksPerOldTask)} units), so the same load needs ${c.equalWork.newTasksPerOldTask} new tasks per old task. The old fleet doing the work of these task counts costs ${money(c.equalWork.oldPerMonthAtEqualWork)} ${c.currency}/month; the running configuration is ${c.equalWork.runningVsOldPercent}% against it (PLAN-COST-2). The same-task-count column above flatters the new configuration.`,
        ]
      : []),
    ...(p.platformCost
      ? ['', platformSection(p)]
      : [
          '',
          '### Whole-platform cost',
          '',
          `Not priced: \`data/plan-assumptions.json\` has no \`platformUsage.profiles.${p.profile}\`.`,
        ]),
  ].join('\n');
}

function platformSection(p: ProfilePlan): string {
  const b = p.platformCost!;
  const rows: Array<Array<string | number>> = [
    [
      'Fargate tasks (running configuration, scheduled minimum)',
      'Cost table above',
      '-',
      money(b.fargatePerMonth),
      'task definitions, scalable target',
    ],
    ...b.lines.map((l) => [
      l.item,
      l.quantity,
      l.unitPrice,
      money(l.perMonth),
      l.resources.join(', ') || 'usage assumption',
    ]),
    ['**Total**', '', '', `**${money(b.totalPerMonth)}**`, ''],
  ];
  return [
    '### Whole-platform cost',
    '',
    `Every resource the template creates that AWS bills by the hour, counted from the template, plus the traffic of the dated usage assumptions (\`data/plan-assumptions.json\`, platformUsage) at the dated prices of \`data/platform-pricing-us-east-2.json\`; a month of ${b.hoursPerMonth} h, ${b.currency}. Fargate is ${b.fargateSharePercent}% of the total; the rest (${money(b.platformPerMonth)}) does not depend on the task size, so the Fargate comparisons above are the whole difference between the old and the new task configuration on this platform.`,
    '',
    table(
      ['Item', 'Quantity per month', `Unit price (${b.currency})`, 'Per month', 'Template resources'],
      rows,
    ),
    '',
    '**Not in this bill:**',
    '',
    ...EXCLUDED_FROM_PLATFORM_COST.map((e) => `- ${e}`),
    '',
    `**Finance:** activate ${COST_ALLOCATION_TAGS.map((t) => `\`${t}\``).join(', ')} as cost allocation tags (Billing and Cost Management console, Cost allocation tags) so Cost Explorer and the Cost and Usage Report can split this bill by them; the tagging Aspect puts all four on every taggable resource, but AWS ignores resource tags in billing until they are activated, and only from activation onwards.`,
  ].join('\n');
}

function checksSection(p: ProfilePlan): string {
  const rows = p.checks.map((c) => [c.id, c.title, status(c.status), c.details.join('<br>')]);
  const advisories = p.advisories.length
    ? ['', '**Advisories**', '', ...p.advisories.map((a) => `- ${a}`)]
    : [];
  return ['### Checks', '', table(['ID', 'Check', 'Result', 'Evidence'], rows), ...advisories].join('\n');
}

function assumptionsSection(assumptions: Assumptions, report: PlanReport): string {
  const rows = [
    ...assumptions.fargateColdStart.map((c) => [
      'Fargate cold start',
      c.label,
      `${c.seconds} s`,
      c.source,
      c.basis,
    ]),
    ...assumptions.rollbackLatency.map((c) => ['Rollback', c.label, `${c.seconds} s`, c.source, c.basis]),
    ...(['X86_64', 'ARM64'] as const).map((arch) => [
      'Price',
      `Fargate Linux/${arch} ${assumptions.pricing.region}`,
      `${assumptions.pricing.prices[arch].perVcpuHour} per vCPU-hour, ${assumptions.pricing.prices[arch].perGbHour} per GB-hour`,
      assumptions.pricing.sourceUrl,
      `retrieved ${assumptions.pricing.retrievedOn}`,
    ]),
    [
      'Old configuration',
      `${assumptions.oldConfiguration.cpuUnits} CPU / ${assumptions.oldConfiguration.memoryMiB} MiB ${assumptions.oldConfiguration.architecture}`,
      `${assumptions.oldConfiguration.averageCpuUnitsUsed} CPU units used on average`,
      assumptions.oldConfiguration.source,
      assumptions.oldConfiguration.memoryBasis,
    ],
  ];
  return [
    '## Assumptions (dated tables in the repository)',
    '',
    `Reviewed ${assumptions.reviewedOn}: \`data/plan-assumptions.json\`, \`data/fargate-pricing-us-east-2.json\` and \`${report.inputs.platformPricingFile}\`. Everything else above is read from the synthesized template.`,
    '',
    table(['Kind', 'What', 'Value', 'Source', 'Basis'], rows),
    '',
    `Platform prices (\`${report.inputs.platformPricingFile}\`, retrieved ${report.inputs.platformPricingRetrievedOn}); \`unconfirmed\` lines were found in no dated copy and must be verified first:`,
    '',
    table(
      ['Price', `${assumptions.pricing.currency}`, 'Unit', 'Source', 'Confidence'],
      report.inputs.platformPrices.map((l) => [l.key, l.price, l.unit, l.sourceUrl, l.confidence]),
    ),
    '',
    `Log storage is billed compressed: ${report.inputs.logsCompressedFraction.value} of the ingested size (${report.inputs.logsCompressedFraction.basis}). The usage figures per profile and their reasons are in \`data/plan-assumptions.json\` (platformUsage).`,
  ].join('\n');
}

/** The provenance of every price, as the data files state it: a reader must see it before any figure. */
function pricingCaveat(report: PlanReport): string {
  const i = report.inputs;
  return [
    `**Prices are not live.** Fargate (\`${i.pricingFile}\`, retrieved ${i.pricingRetrievedOn}): ${i.pricingNote}`,
    '',
    `Platform (\`${i.platformPricingFile}\`, retrieved ${i.platformPricingRetrievedOn}): ${i.platformPricingNote}`,
  ].join('\n');
}

/** Renders reports/plan.md. */
export function renderMarkdown(report: PlanReport, assumptions: Assumptions): string {
  const def = report.profiles.find((p) => p.profile === report.defaultProfile) ?? report.profiles[0];
  const failing = report.profiles.flatMap((p) =>
    p.checks.filter((c) => c.status === 'fail').map((c) => `${p.profile} ${c.id}`),
  );
  const lines = [
    '# OrderBroker capacity, timing and cost plan',
    '',
    '<!-- Generated by `npm run plan` from the synthesized templates; do not edit. See docs/capacity-plan.md. -->',
    '',
    `Every figure below is computed from the CloudFormation template that \`createApp\` synthesizes for each profile, plus the dated assumptions at the end. Calendar: ${report.inputs.calendar.zone}, standard day ${report.inputs.calendar.standardDay}, DST switches of ${report.inputs.calendar.year}.`,
    '',
    pricingCaveat(report),
    '',
    `**Status: ${report.status === 'pass' ? 'all checks pass' : `${failing.length} failing check(s): ${failing.join(', ')}`}.**`,
    '',
    `## Summary (default profile \`${def.profile}\`)`,
    '',
    summary(report, def),
    '',
    '![Scheduled capacity, warm floor and illustrative demand on the standard day](capacity.svg)',
  ];
  for (const p of report.profiles) {
    lines.push(
      '',
      `## Profile \`${p.profile}\` (stack ${p.stackName})`,
      '',
      capacitySection(report, p),
      '',
      serveSection(p),
      ...(p.reaction ? ['', reactionMarkdown(p.reaction)] : []),
      '',
      rollbackSection(p),
      '',
      costSection(p, assumptions),
      '',
      daySimulationMarkdown(p.daySimulation, dayChartFile(p.profile)),
      '',
      checksSection(p),
    );
  }
  lines.push(
    '',
    assumptionsSection(assumptions, report),
    '',
    daySimulationAssumptionsMarkdown(assumptions),
    '',
  );
  return lines.join('\n');
}
