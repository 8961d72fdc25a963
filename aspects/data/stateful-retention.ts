import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { render } from '../template';
import { isStateful } from './stateful-types';

const KEEPING_POLICIES = ['Retain', 'RetainExceptOnCreate', 'Snapshot'];

/** TAP-DAT-1: stateful resources are retained or snapshotted on deletion and on replacement. */
export class StatefulRetentionRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-DAT-1',
    area: 'DAT',
    title: 'Stateful resources are retained or snapshotted on deletion and replacement',
    rationale: 'A stack deletion or a replacing update must never destroy trades, orders, keys or logs.',
    fix: 'Set removalPolicy: RemovalPolicy.RETAIN (or SNAPSHOT for databases) on the construct.',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const resource = render(node);
    if (!isStateful(resource)) return;
    for (const [attribute, value] of [
      ['DeletionPolicy', resource.deletionPolicy],
      ['UpdateReplacePolicy', resource.updateReplacePolicy],
    ] as const) {
      if (!KEEPING_POLICIES.includes(value ?? 'Delete'))
        this.report(node, `has ${attribute} ${value ?? 'Delete'}`);
    }
  }
}
