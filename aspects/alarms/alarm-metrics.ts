import { type CfnProperties, asList, referencedLogicalIds } from '../template';

/** One metric an alarm watches, as rendered in the template. */
export interface AlarmMetric {
  readonly metricName?: string;
  readonly namespace?: string;
  /** Dimension name to the logical IDs its value refers to (dimension values are often `Fn::GetAtt`s). */
  readonly dimensions: Record<string, string[]>;
}

interface RawMetric {
  MetricName?: string;
  Namespace?: string;
  Dimensions?: Array<{ Name: string; Value: unknown }>;
}

/** The metrics an `AWS::CloudWatch::Alarm` watches: its single metric, or every metric of its math expression. */
export function alarmMetrics(properties: CfnProperties): AlarmMetric[] {
  const raw: RawMetric[] = [];
  if (properties.MetricName) raw.push(properties);
  for (const query of asList(properties.Metrics as Array<{ MetricStat?: { Metric?: RawMetric } }>)) {
    if (query.MetricStat?.Metric) raw.push(query.MetricStat.Metric);
  }
  return raw.map((m) => ({
    metricName: m.MetricName,
    namespace: m.Namespace,
    dimensions: Object.fromEntries(asList(m.Dimensions).map((d) => [d.Name, referencedLogicalIds(d.Value)])),
  }));
}
