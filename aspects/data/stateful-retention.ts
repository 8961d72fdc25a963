import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { render } from '../template';
import { isStateful } from './stateful-types';

/** DeletionPolicy values that keep the data of a deleted resource but let a failed first create clean up. */
export const DELETION_POLICIES = ['RetainExceptOnCreate', 'Snapshot'];
/** UpdateReplacePolicy values that keep the data of a replaced resource. */
export const REPLACE_POLICIES = ['Retain', 'Snapshot'];
/**
 * Types that may keep plain `Retain`: an S3 bucket the ALB has written its test object to cannot be deleted by
 * a create rollback (ROLLBACK_FAILED), and an unnamed bucket left behind does not block the retry.
 */
export const RETAIN_ALLOWED_TYPES = ['AWS::S3::Bucket'];

/**
 * TAP-DAT-1: stateful resources keep their data on deletion and on replacement, and are deleted by the rollback
 * of a failed first create (RetainExceptOnCreate), so a retry does not fail with "already exists".
 */
export class StatefulRetentionRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-DAT-1',
    area: 'DAT',
    title:
      'Stateful resources are retained (except on a failed create) or snapshotted on deletion and replacement',
    rationale:
      'A stack deletion or a replacing update must never destroy trades, orders, keys or logs, and a failed first create must not leave named resources behind that make the retry fail.',
    fix: 'Set removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE (SNAPSHOT for databases) on the construct.',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const resource = render(node);
    if (!isStateful(resource)) return;
    const deletion = resource.deletionPolicy ?? 'Delete';
    const deletionOk =
      DELETION_POLICIES.includes(deletion) ||
      (deletion === 'Retain' && RETAIN_ALLOWED_TYPES.includes(resource.type));
    if (deletion === 'Retain' && !deletionOk) {
      this.report(
        node,
        'has DeletionPolicy Retain: the rollback of a failed first create leaves it behind and the retry fails with "already exists" (use RetainExceptOnCreate)',
      );
    } else if (!deletionOk) {
      this.report(node, `has DeletionPolicy ${deletion}`);
    }
    const replace = resource.updateReplacePolicy ?? 'Delete';
    if (!REPLACE_POLICIES.includes(replace)) this.report(node, `has UpdateReplacePolicy ${replace}`);
  }
}
