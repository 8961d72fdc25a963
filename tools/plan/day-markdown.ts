import type { Assumptions } from './assumptions';
import type { DaySimulationPlan, SimulatedConfiguration } from './day-plan';
import type { SimSummary } from './simulation';

/** CPU units of one vCPU: missing work is shown in vCPU-seconds. */
const UNITS_PER_VCPU = 1024;

function ratio(old: number, fresh: number): string {
  if (old === 0 && fresh === 0) return '-';
  if (fresh === 0) return 'new: none';
  return `${(old / fresh).toFixed(2)}`;
}

function fixed(value: number, digits: number): string {
  return value.toFixed(digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** One line for the console: old and new side by side on the same day, and their ratio. */
export function daySimulationLine(profile: string, d: DaySimulationPlan): string {
  const [old, fresh] = d.configurations;
  const pair = (label: string, pick: (s: SimulatedConfiguration['summary']) => number, digits = 0) =>
    `${label} ${fixed(pick(old.summary), digits)} / ${fixed(pick(fresh.summary), digits)} (${ratio(pick(old.summary), pick(fresh.summary))})`;
  return `day simulation ${profile} ${d.day}, old / new (ratio): ${[
    pair('minutes short', (s) => s.shortfallMinutes),
    pair('missing vCPU-s', (s) => s.shortfallUnitSeconds / UNITS_PER_VCPU, 1),
    pair('peak tasks', (s) => s.peakTasks),
    pair(`cost ${d.currency}`, (s) => s.cost, 2),
  ].join(', ')}`;
}

/** The plan.md section of one profile's day simulation; `chartFile` is the SVG beside plan.md. */
export function daySimulationMarkdown(d: DaySimulationPlan, chartFile: string): string {
  const [old, fresh] = d.configurations;
  const row = (label: string, value: (s: SimulatedConfiguration['summary']) => number, digits = 0): string =>
    `| ${label} | ${fixed(value(old.summary), digits)} | ${fixed(value(fresh.summary), digits)} | ${ratio(value(old.summary), value(fresh.summary))} |`;
  const vcpuSeconds = (s: SimSummary) => s.shortfallUnitSeconds / UNITS_PER_VCPU;
  const bursts = d.bursts.length
    ? d.bursts.map((b) => `${b.label} (x${b.multiplier} from ${b.at} for ${b.seconds} s)`).join('; ')
    : 'none';
  const per = (c: SimulatedConfiguration) =>
    `${c.label}: ${c.unitsPerTask} units per task, MinCapacity ${c.minCapacity}, MaxCapacity ${c.maxCapacity}`;
  return [
    '### Day simulation, old and new configuration (model)',
    '',
    `**A model of documented AWS behaviour, not a measurement.** ${d.day} in ${d.zone}, 24 h at one-second resolution; both configurations face the same demand: the U-shaped intraday volume curve of US equities, scaled so its busiest minute needs ${fixed(d.peakUnits, 0)} CPU units of work, with volatility bursts: ${bursts}. A configuration falls short when demand exceeds its serving tasks x the units a task serves at its operating point; it saturates (orders queue) above serving tasks x CPU units.`,
    '',
    'Old / new above 1: the old configuration has more of it (for cost: it costs more).',
    '',
    '| Figure | Old | New | Old / new |',
    '| --- | ---: | ---: | ---: |',
    row('Minutes with demand above serving capacity', (s) => s.shortfallMinutes),
    row('Seconds with demand above serving capacity', (s) => s.shortfallSeconds),
    row('Longest run above serving capacity, s', (s) => s.longestShortfallSeconds),
    row(
      'Missing tasks x seconds (each configuration counts its own tasks)',
      (s) => s.shortfallTaskSeconds,
      1,
    ),
    row('Missing work, vCPU-seconds (comparable across task sizes)', vcpuSeconds, 1),
    row('Seconds at 100% CPU (orders queue)', (s) => s.saturatedSeconds),
    row('Peak tasks', (s) => s.peakTasks),
    row('Task-hours (billed: desired count)', (s) => s.taskHours, 2),
    row(`Fargate cost of the day, ${d.currency}`, (s) => s.cost, 2),
    '',
    `- ${per(old)}.`,
    `- ${per(fresh)}.`,
    '',
    '**Scaling paths in the model**',
    '',
    ...old.paths.map((p) => `- Old. ${p}.`),
    ...fresh.paths.map((p) => `- New. ${p}.`),
    '',
    `![Demand, serving capacity and floor of the old and new configuration on ${d.day}](${chartFile})`,
  ].join('\n');
}

/** The dated assumptions of the day simulation, once for all profiles. */
export function daySimulationAssumptionsMarkdown(assumptions: Assumptions): string {
  const s = assumptions.daySimulation;
  const v = s.intradayVolume;
  return [
    '## Day simulation assumptions',
    '',
    `Reviewed ${s.reviewedOn}, \`data/plan-assumptions.json\` \`daySimulation\`; the code is \`tools/plan/simulation.ts\` (the model), \`tools/plan/demand.ts\` (the curve) and \`tools/plan/day-plan.ts\` (what it reads from the template).`,
    '',
    `- **Intraday volume:** ${v.source} Shares per ${v.bucketMinutes}-minute bucket from ${v.sessionStart}: ${v.sharesPercent.join(', ')} %. ${v.interpolation} Retrieved ${v.retrievedOn}. ${v.verification}`,
    `- **Peak:** ${s.peak.basis} (share ${s.peak.spikeLevelShare}).`,
    `- **Off hours:** ${s.offHours.basis}`,
    `- **Bursts:** ${s.burstsBasis}`,
    `- **Capacity per task:** ${s.capacityModel}`,
    `- **Target tracking:** ${s.targetTracking.basis} (${s.targetTracking.source})`,
    `- **Step scaling:** ${s.stepScaling.basis} (${s.stepScaling.source})`,
    `- **Metric and placement delays:** ${s.metricDelays.basis}`,
    `- **In-flight metric:** ${s.inFlightMetric.basis}`,
    `- **Predictive scaling:** ${s.predictive.basis} (${s.predictive.source})`,
    `- **Scale-in:** ${s.scaleIn}`,
    `- **Billing:** ${s.billing}`,
    `- **Old configuration:** ${s.old.basis}`,
    '- **Cold start:** new tasks serve after the cold-start components and the target-group health check of the table above (from the template and `fargateColdStart`).',
  ].join('\n');
}
