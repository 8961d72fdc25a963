import type { CfnTemplate } from '../../lib/cfn-template';
import { getPath, numberProp, referencedLogicalId, resourcesOfType } from './cfn';

/**
 * How fast each scaling path turns an unforeseen burst into serving tasks, from the template's step-scaling
 * alarms plus the documented (or assumed, and labeled so) delays below; and how much burst the warm floor
 * carries meanwhile. A model of documented AWS behaviour, not a measurement.
 */

/** Dated delays the template cannot contain (reviewed 2026-12-01). */
export const REACTION_ASSUMPTIONS = {
  reviewedOn: '2026-12-01',
  /** The old service: scaled by hand-tuned alarms after ~5 minutes, 90 s task starts (issue 14, REQUEST figures). */
  old: { reactionSeconds: 300, startSeconds: 90 },
  /** AWS/ECS CPUUtilization is published once a minute; the datapoint lands about a minute after its period. */
  ecsMetricDelaySeconds: 60,
  /** EMF lines reach CloudWatch metrics seconds after they are written (assumption: 10 s incl. the log driver). */
  emfDelaySeconds: 10,
  /** Application Auto Scaling runs the policy and ECS starts placing tasks (assumption). */
  policyToPlacementSeconds: 5,
} as const;

/** One path from burst onset to new tasks serving. */
export interface ReactionPath {
  readonly id: 'old' | 'cpu-step' | 'fast-step';
  readonly label: string;
  /** Alarm period x datapoints, or the old reaction. */
  readonly detectSeconds: number;
  /** Metric publication + policy execution delays. */
  readonly delaySeconds: number;
  /** Cold start until the target group routes to the new task. */
  readonly startSeconds: number;
  readonly totalSeconds: number;
  /** The alarm it comes from (logical ID), if any. */
  readonly alarm?: string;
}

/** The reaction table and the warm floor's burst headroom. */
export interface ReactionPlan {
  readonly paths: ReactionPath[];
  /** Tasks always running (scalable target minimum). */
  readonly warmFloor: number;
  readonly cpuTargetPercent: number;
  /**
   * Load the warm floor carries at 100% CPU, as a multiple of what it carries at the target:
   * 100 / target. A burst up to that multiple of the steady load is absorbed (at rising latency) until the
   * fastest path's tasks serve; above it, orders queue.
   */
  readonly absorbedMultiple: number;
  readonly fastestSeconds: number;
}

/**
 * Reads the step-scaling alarms of the template (an alarm whose action is a StepScaling policy) and computes
 * each path. The high-resolution one is the alarm with a period under 60 s; the CPU one reads `CPUUtilization`.
 */
export function reactionPlan(
  template: CfnTemplate,
  warmFloor: number,
  cpuTargetPercent: number,
  coldStartSeconds: number,
): ReactionPlan {
  const a = REACTION_ASSUMPTIONS;
  const stepPolicies = new Set(
    resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalingPolicy')
      .filter((p) => p.properties.PolicyType === 'StepScaling')
      .map((p) => p.logicalId),
  );
  const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').filter((al) => {
    const actions = al.properties.AlarmActions;
    return Array.isArray(actions) && actions.some((x) => stepPolicies.has(referencedLogicalId(x) ?? ''));
  });
  const paths: ReactionPath[] = [
    {
      id: 'old',
      label: 'Old service: 5-minute reaction, 90 s start',
      detectSeconds: a.old.reactionSeconds,
      delaySeconds: 0,
      startSeconds: a.old.startSeconds,
      totalSeconds: a.old.reactionSeconds + a.old.startSeconds,
    },
  ];
  for (const al of alarms) {
    const period = numberProp(al, 'Period');
    const datapoints = Number(
      getPath(al.properties, ['DatapointsToAlarm']) ?? numberProp(al, 'EvaluationPeriods'),
    );
    const fast = period < 60;
    const delay = (fast ? a.emfDelaySeconds : a.ecsMetricDelaySeconds) + a.policyToPlacementSeconds;
    paths.push({
      id: fast ? 'fast-step' : 'cpu-step',
      label: `${fast ? 'High-resolution' : 'One-minute'} step policy on ${String(al.properties.MetricName)} (${period} s x ${datapoints})`,
      detectSeconds: period * datapoints,
      delaySeconds: delay,
      startSeconds: coldStartSeconds,
      totalSeconds: period * datapoints + delay + coldStartSeconds,
      alarm: al.logicalId,
    });
  }
  const order = { old: 0, 'cpu-step': 1, 'fast-step': 2 };
  paths.sort((x, y) => order[x.id] - order[y.id]);
  return {
    paths,
    warmFloor,
    cpuTargetPercent,
    absorbedMultiple: Math.round((100 / cpuTargetPercent) * 100) / 100,
    fastestSeconds: Math.min(...paths.filter((p) => p.id !== 'old').map((p) => p.totalSeconds)),
  };
}

/** The plan.md section of a {@link ReactionPlan}. */
export function reactionMarkdown(r: ReactionPlan): string {
  const rows = r.paths.map(
    (p) =>
      `| ${p.label} | ${p.detectSeconds} | ${p.delaySeconds} | ${p.startSeconds} | **${p.totalSeconds}** | ${p.alarm ?? '-'} |`,
  );
  return [
    '### Reaction to an unforeseen burst (model)',
    '',
    '| Path | Detect (s) | Metric + policy delay (s) | Cold start (s) | Burst onset to new tasks serving (s) | Alarm |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    `Until the fastest path's tasks serve (${r.fastestSeconds} s), the ${r.warmFloor} tasks of the warm floor carry the burst alone: running at ${r.cpuTargetPercent}% CPU in steady state, they absorb up to ${r.absorbedMultiple}x the steady load (100% CPU, rising latency) before orders queue. Delays other than the template's alarm periods are dated assumptions (${REACTION_ASSUMPTIONS.reviewedOn}, tools/plan/reaction.ts): ECS CPU metric ${REACTION_ASSUMPTIONS.ecsMetricDelaySeconds} s, EMF ${REACTION_ASSUMPTIONS.emfDelaySeconds} s, policy to placement ${REACTION_ASSUMPTIONS.policyToPlacementSeconds} s.`,
  ].join('\n');
}
