import type { CfnTemplate } from '../../../lib/cfn-template';
import { reactionMarkdown, reactionPlan } from '../../../tools/plan/reaction';

const alarm = (metric: string, period: number, datapoints: number, policy: string) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    MetricName: metric,
    Period: period,
    EvaluationPeriods: datapoints,
    DatapointsToAlarm: datapoints,
    AlarmActions: [{ Ref: policy }],
  },
});
const template: CfnTemplate = {
  Resources: {
    CpuStep: {
      Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
      Properties: { PolicyType: 'StepScaling' },
    },
    FastStep: {
      Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
      Properties: { PolicyType: 'StepScaling' },
    },
    Tracking: {
      Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
      Properties: { PolicyType: 'TargetTrackingScaling' },
    },
    CpuAlarm: alarm('CPUUtilization', 60, 1, 'CpuStep'),
    FastAlarm: alarm('InFlightOrdersPerTask', 10, 2, 'FastStep'),
    // Not a scaling path: its action is a target-tracking policy.
    TrackingAlarm: alarm('CPUUtilization', 60, 3, 'Tracking'),
  },
};

test('computes burst onset to serving per path from the alarm periods and a 70 s cold start', () => {
  const r = reactionPlan(template, 8, 50, 70);
  expect(
    r.paths.map((p) => [p.id, p.detectSeconds, p.delaySeconds, p.startSeconds, p.totalSeconds, p.alarm]),
  ).toEqual([
    ['old', 300, 0, 90, 390, undefined],
    // 60 x 1 + (60 ECS metric + 5 policy) + 70
    ['cpu-step', 60, 65, 70, 195, 'CpuAlarm'],
    // 10 x 2 + (10 EMF + 5 policy) + 70
    ['fast-step', 20, 15, 70, 105, 'FastAlarm'],
  ]);
  expect(r.fastestSeconds).toBe(105);
  // At a 50% CPU target the warm floor carries twice its steady load at 100% CPU.
  expect(r.absorbedMultiple).toBe(2);
});

test('without a high-resolution alarm the fastest path is the one-minute CPU step', () => {
  const rest = Object.fromEntries(Object.entries(template.Resources!).filter(([id]) => id !== 'FastAlarm'));
  const r = reactionPlan({ Resources: rest }, 2, 60, 70);
  expect(r.paths.map((p) => p.id)).toEqual(['old', 'cpu-step']);
  expect(r.fastestSeconds).toBe(195);
  expect(r.absorbedMultiple).toBe(1.67);
  expect(reactionMarkdown(r)).toContain(
    '| One-minute step policy on CPUUtilization (60 s x 1) | 60 | 65 | 70 | **195** | CpuAlarm |',
  );
});
