import type { IConstruct } from 'constructs';
import { REQUIRED_TAG_KEYS } from '../required-tags';
import { type RuleInfo, TapRule } from '../rule';
import { resourceTags } from './resource-tags';

/** TAP-TAG-1: every taggable resource carries the three required tags. */
export class RequiredTagsPresentRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-TAG-1',
    area: 'TAG',
    title: `Every taggable resource carries ${REQUIRED_TAG_KEYS.join(', ')}`,
    rationale: 'Finance allocates cost and the tag-governance dashboards count coverage by these tags.',
    fix: 'Keep the RequiredTagsAspect on the app and do not remove its tags (Tags.of(x).remove) from any resource.',
    level: 'error',
  };

  public visit(node: IConstruct): void {
    const tags = resourceTags(node);
    if (!tags) return;
    const missing = REQUIRED_TAG_KEYS.filter((k) => !(k in tags));
    if (missing.length > 0) this.report(node, `lacks tag(s) ${missing.join(', ')}`);
  }
}
