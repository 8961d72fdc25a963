// vega-lite publishes its types only through `exports`, which this project's node10 resolution ignores.
import type * as VegaLite from 'vega-lite/build/index';
import type { TopLevelSpec } from 'vega-lite/build/index';
import { hhmm, minuteOf } from './capacity';
import type { PlanReport, ProfilePlan } from './plan';
import { round } from './timing';

/** One row of the chart's data. */
export interface ChartRow {
  readonly profile: string;
  readonly series: string;
  readonly minute: number;
  readonly tasks: number;
}

export const SERIES = {
  scheduled: 'Scheduled minimum',
  floor: 'Warm floor',
  demand: 'Illustrative demand (not a forecast)',
} as const;

const gauss = (x: number, sigma: number) => Math.exp(-((x / sigma) ** 2));

/**
 * An illustrative demand curve in tasks at the CPU target: quiet pre-market, a spike that builds into the
 * 09:30 open and decays over ~half an hour, a flatter midday, a spike into the 16:00 close that stops at the
 * bell. Scaled to the template's pre-open and pre-close levels; it only shows the shape the schedule is for.
 */
export function illustrativeDemand(p: ProfilePlan, minute: number, open: number, close: number): number {
  const floor = p.capacity.warmFloor;
  const quiet = floor * 0.5;
  const midday = floor * 0.75;
  const openPeak = p.capacity.preOpen.level * 0.85;
  const closePeak = p.capacity.preClose.level * 0.85;
  const base = minute < open ? quiet : minute < close + 30 ? midday : quiet;
  const openSpike =
    minute < open ? openPeak * gauss(open - minute, 6) : openPeak * Math.exp(-(minute - open) / 20);
  const closeSpike =
    minute < close ? closePeak * gauss(close - minute, 10) : closePeak * Math.exp(-(minute - close) / 4);
  return round(Math.max(base, openSpike, closeSpike), 2);
}

/** The chart's data: the standard day of each profile. */
export function chartRows(report: PlanReport): ChartRow[] {
  const from = minuteOf(report.requirements.window.from);
  const to = minuteOf(report.requirements.window.to);
  const open = minuteOf(report.requirements.marketOpen);
  const close = minuteOf(report.requirements.marketClose);
  const rows: ChartRow[] = [];
  for (const p of report.profiles) {
    const day = p.capacity.days[0];
    const label = `${p.profile}: ${day.weekday} ${day.date}`;
    // Only the change points of the step line: the data stays small, the line exact.
    day.counts.forEach((tasks, i) => {
      if (i === 0 || i === day.counts.length - 1 || tasks !== day.counts[i - 1]) {
        rows.push({ profile: label, series: SERIES.scheduled, minute: day.fromMinute + i, tasks });
      }
    });
    rows.push({ profile: label, series: SERIES.floor, minute: from, tasks: p.capacity.warmFloor });
    rows.push({ profile: label, series: SERIES.floor, minute: to, tasks: p.capacity.warmFloor });
    for (let m = from; m <= to; m += 5) {
      rows.push({
        profile: label,
        series: SERIES.demand,
        minute: m,
        tasks: illustrativeDemand(p, m, open, close),
      });
    }
  }
  return rows;
}

/** The Vega-Lite specification of reports/capacity.svg (pure data, no rendering). */
export function chartSpec(report: PlanReport): TopLevelSpec {
  const from = minuteOf(report.requirements.window.from);
  const to = minuteOf(report.requirements.window.to);
  const ticks: number[] = [];
  for (let m = from; m <= to; m += 60) ticks.push(m);
  const bells = [report.requirements.marketOpen, report.requirements.marketClose].map((t) => ({
    minute: minuteOf(t),
    label: `${t} bell`,
  }));
  const checks = [report.requirements.preOpenCheck, report.requirements.preCloseCheck].map((t) =>
    minuteOf(t),
  );
  const x = {
    field: 'minute',
    type: 'quantitative' as const,
    title: `Time of day (${report.inputs.calendar.zone})`,
    scale: { domain: [from, to], nice: false },
    axis: {
      values: ticks,
      labelExpr: "(floor(datum.value / 60) < 10 ? '0' : '') + floor(datum.value / 60) + ':00'",
    },
  };
  const y = { field: 'tasks', type: 'quantitative' as const, title: 'Tasks', scale: { zero: true } };
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    scale: {
      domain: [SERIES.scheduled, SERIES.floor, SERIES.demand],
      range: ['#1f77b4', '#d62728', '#2ca02c'],
    },
    legend: { orient: 'bottom' as const, labelLimit: 400 },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'OrderBroker tasks over the standard trading day',
      subtitle: `Scheduled minimum from the synthesized template; dashed: ${hhmm(checks[0])} and ${hhmm(checks[1])} checks; grey: bells`,
    },
    data: { values: chartRows(report) as unknown as Record<string, unknown>[] },
    facet: { row: { field: 'profile', type: 'nominal', title: null, sort: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 640,
      height: 180,
      layer: [
        {
          data: { values: bells },
          mark: { type: 'rule', color: '#999999', strokeWidth: 1 },
          encoding: { x },
        },
        {
          data: { values: checks.map((minute) => ({ minute })) },
          mark: { type: 'rule', color: '#555555', strokeDash: [4, 3] },
          encoding: { x },
        },
        {
          mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
          encoding: { x, y, color },
          transform: [{ filter: { field: 'series', equal: SERIES.scheduled } }],
        },
        {
          mark: { type: 'line', strokeWidth: 2, strokeDash: [6, 3] },
          encoding: { x, y, color },
          transform: [{ filter: { field: 'series', equal: SERIES.floor } }],
        },
        {
          mark: { type: 'line', interpolate: 'monotone', strokeWidth: 1.5, opacity: 0.8 },
          encoding: { x, y, color },
          transform: [{ filter: { field: 'series', equal: SERIES.demand } }],
        },
      ],
    },
    config: { font: 'sans-serif', view: { stroke: '#dddddd' } },
  };
}

/** Module name kept in a variable so the type checker does not resolve it (see the type import above). */
const VEGA_LITE = 'vega-lite';

interface VegaView {
  toSVG(): Promise<string>;
  finalize(): void;
}

/**
 * Renders the spec to SVG with vega's headless renderer. Deterministic: text is measured with vega's
 * estimator (never a canvas that may or may not be installed), and the spec has no time scales (no local
 * time zone) and no random ids. Vega is ESM-only, hence the dynamic imports (tsx runs them natively).
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vl = (await import(VEGA_LITE)) as typeof VegaLite;
  const vega = await import('vega');
  (vega as unknown as { textMetrics: { canvas(use: boolean): void } }).textMetrics.canvas(false);
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' }) as unknown as VegaView;
  try {
    const svg = await view.toSVG();
    return svg.endsWith('\n') ? svg : `${svg}\n`;
  } finally {
    view.finalize();
  }
}
