import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { render, resourceOfType } from '../template';

import { RIGHT_SIZED_TASK_CPU } from '../../lib/config/constants';

export { RIGHT_SIZED_TASK_CPU };

/** TAP-CAP-5: task definitions reserve no more than the right-sized CPU. */
export class TaskCpuLimitRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-CAP-5',
    area: 'CAP',
    title: `Task definitions reserve at most ${RIGHT_SIZED_TASK_CPU} CPU units`,
    rationale:
      'The service averaged 1800 of 4096 units; scaling out on more small tasks is cheaper and faster than large ones.',
    fix: `Keep cpu at ${RIGHT_SIZED_TASK_CPU} and scale out; a measured need for more goes through an exemption in lib/compliance/register/entries.ts.`,
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const taskDefinition = resourceOfType(node, 'AWS::ECS::TaskDefinition');
    if (!taskDefinition) return;
    const cpu = Number(render(taskDefinition).properties.Cpu);
    if (cpu > RIGHT_SIZED_TASK_CPU) {
      this.report(node, `reserves ${cpu} CPU units, above the right-sized ${RIGHT_SIZED_TASK_CPU}`);
    }
  }
}
