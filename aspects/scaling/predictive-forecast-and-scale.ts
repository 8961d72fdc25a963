import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { render, resourceOfType } from '../template';

/** TAP-SCL-2: predictive scaling policies scale (ForecastAndScale), not only forecast. */
export class PredictiveForecastAndScaleRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-SCL-2',
    area: 'SCL',
    title: 'Predictive scaling policies use ForecastAndScale (ForecastOnly, the default, launches nothing)',
    rationale:
      'The capacity plan counts on predictive scaling launching tasks before the forecast hour; ForecastOnly only draws a graph.',
    fix: 'Set predictiveScalingPolicyConfiguration.mode to ForecastAndScale (lib/constructs/scaling.ts).',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const policy = resourceOfType(node, 'AWS::ApplicationAutoScaling::ScalingPolicy');
    if (!policy) return;
    const p = render(policy).properties;
    if (p.PolicyType !== 'PredictiveScaling') return;
    const mode = (p.PredictiveScalingPolicyConfiguration as { Mode?: unknown } | undefined)?.Mode;
    if (mode !== 'ForecastAndScale') {
      this.report(node, `runs in mode ${JSON.stringify(mode ?? 'ForecastOnly (default)')}`);
    }
  }
}
