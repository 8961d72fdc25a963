// vega-lite publishes its types only through `exports`, which this project's node10 resolution ignores.
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { DaySimulationPlan } from './day-plan';
import { round } from './timing';

/** Series of a day-simulation chart (the legend labels). */
export const DAY_SERIES = {
  demand: 'Demand',
  oldServing: 'Old: serving capacity',
  oldFloor: 'Old: floor',
  newServing: 'New: serving capacity',
  newFloor: 'New: floor',
} as const;

/** CPU units of one vCPU: the chart's unit of work. */
const UNITS_PER_VCPU = 1024;

interface Row {
  readonly series: string;
  readonly minute: number;
  readonly vcpu: number;
}

/** The chart's rows: demand and both configurations' serving capacity per minute; floors at their change points. */
export function dayChartRows(d: DaySimulationPlan): Row[] {
  const [old, fresh] = d.configurations;
  const rows: Row[] = [];
  const at = (i: number) => fresh.timeline.fromMinute + i;
  const vcpu = (units: number) => round(units / UNITS_PER_VCPU, 2);
  fresh.timeline.demand.forEach((u, i) =>
    rows.push({ series: DAY_SERIES.demand, minute: at(i), vcpu: vcpu(u) }),
  );
  for (const [config, serving, floor] of [
    [old, DAY_SERIES.oldServing, DAY_SERIES.oldFloor],
    [fresh, DAY_SERIES.newServing, DAY_SERIES.newFloor],
  ] as const) {
    const t = config.timeline;
    t.serving.forEach((u, i) => rows.push({ series: serving, minute: t.fromMinute + i, vcpu: vcpu(u) }));
    t.floor.forEach((u, i) => {
      if (i === 0 || i === t.floor.length - 1 || u !== t.floor[i - 1]) {
        rows.push({ series: floor, minute: t.fromMinute + i, vcpu: vcpu(u) });
      }
    });
  }
  return rows;
}

/** The Vega-Lite specification of reports/day-<profile>.svg (pure data, rendered by chart.ts `renderSvg`). */
export function dayChartSpec(profile: string, d: DaySimulationPlan): TopLevelSpec {
  const from = d.configurations[1].timeline.fromMinute;
  const to = from + d.configurations[1].timeline.demand.length - 1;
  const ticks: number[] = [];
  for (let m = from; m <= to; m += 60) ticks.push(m);
  const x = {
    field: 'minute',
    type: 'quantitative' as const,
    title: `Time of day (${d.zone})`,
    scale: { domain: [from, to], nice: false },
    axis: {
      values: ticks,
      labelExpr: "(floor(datum.value / 60) < 10 ? '0' : '') + floor(datum.value / 60) + ':00'",
    },
  };
  const y = {
    field: 'vcpu',
    type: 'quantitative' as const,
    title: 'Work, vCPU (1,024 CPU units)',
    scale: { zero: true },
  };
  const order = [
    DAY_SERIES.demand,
    DAY_SERIES.oldServing,
    DAY_SERIES.oldFloor,
    DAY_SERIES.newServing,
    DAY_SERIES.newFloor,
  ];
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    scale: { domain: order, range: ['#2ca02c', '#ff7f0e', '#ffbb78', '#1f77b4', '#aec7e8'] },
    legend: { orient: 'bottom' as const, labelLimit: 400 },
  };
  const line = (series: readonly string[], mark: Record<string, unknown>) => ({
    mark: { type: 'line' as const, ...mark },
    encoding: { x, y, color },
    transform: [{ filter: { field: 'series', oneOf: [...series] } }],
  });
  const [old, fresh] = d.configurations;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `OrderBroker ${profile}: simulated day ${d.day}, old and new configuration (model)`,
      subtitle: `Old ${old.summary.shortfallMinutes} min / new ${fresh.summary.shortfallMinutes} min with demand above serving capacity; bursts: ${
        d.bursts.map((b) => `${b.at} x${b.multiplier}`).join(', ') || 'none'
      }`,
    },
    data: { values: dayChartRows(d) as unknown as Record<string, unknown>[] },
    width: 720,
    height: 260,
    layer: [
      line([DAY_SERIES.oldServing, DAY_SERIES.newServing], { interpolate: 'step-after', strokeWidth: 1.5 }),
      line([DAY_SERIES.oldFloor, DAY_SERIES.newFloor], {
        interpolate: 'step-after',
        strokeWidth: 1.5,
        strokeDash: [6, 3],
      }),
      line([DAY_SERIES.demand], { strokeWidth: 1.5, opacity: 0.9 }),
    ],
    config: { font: 'sans-serif', view: { stroke: '#dddddd' } },
  };
}
