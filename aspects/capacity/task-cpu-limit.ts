import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { render, resourceOfType } from '../template';

import { RIGHT_SIZED_TASK_CPU } from '../../lib/config/constants';

export { RIGHT_SIZED_TASK_CPU };

/**
 * The CPU units of a task definition's `Cpu` in any form CloudFormation accepts: units (`'2048'`, 2048) or vCPUs
 * (`'2 vCPU'`, `'2 vcpu'`, `'0.25 vCPU'`; 1 vCPU = 1024 units). Undefined when the value is none of these (a
 * token, another string), so the rule reports it instead of reading NaN.
 */
export function taskCpuUnits(cpu: unknown): number | undefined {
  if (typeof cpu === 'number') return Number.isFinite(cpu) ? cpu : undefined;
  if (typeof cpu !== 'string') return undefined;
  const units = /^\s*(\d+)\s*$/.exec(cpu);
  if (units) return Number(units[1]);
  const vcpu = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*vcpu\s*$/i.exec(cpu);
  return vcpu ? Math.round(Number(vcpu[1]) * 1024) : undefined;
}

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
    const written: unknown = render(taskDefinition).properties.Cpu;
    if (written === undefined) return;
    const cpu = taskCpuUnits(written);
    if (cpu === undefined) {
      this.report(node, `has Cpu ${JSON.stringify(written)}, which is neither CPU units nor 'n vCPU'`);
    } else if (cpu > RIGHT_SIZED_TASK_CPU) {
      this.report(
        node,
        `reserves ${cpu} CPU units (Cpu ${JSON.stringify(written)}), above the right-sized ${RIGHT_SIZED_TASK_CPU}`,
      );
    }
  }
}
