import { App, type IAspect, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { ASPECT_PRIORITIES } from '../../aspects';
import { Aspects } from 'aws-cdk-lib';

/** One finding of a project rule, read back from the construct tree after synthesis. */
export interface Finding {
  readonly ruleId: string;
  readonly level: 'error' | 'warning';
  /** Construct path relative to the stack. */
  readonly path: string;
  readonly message: string;
  /** Reported as an exempted (acknowledgeable) warning. */
  readonly exempted: boolean;
}

/**
 * A small app for rule tests: one stack in us-east-2, no validation plugins, no bundled linter, so a rule is
 * checked on its own in milliseconds.
 */
export function ruleTestStack(): { app: App; stack: Stack } {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Test', { env: { region: 'us-east-2' } });
  return { app, stack };
}

/** Adds the rules (READONLY, after any MUTATING Aspect), synthesizes, and returns their findings. */
export function findingsOf(app: App, ...rules: IAspect[]): Finding[] {
  return findingsIn(app, app, ...rules);
}

/** {@link findingsOf} with the rules applied to `scope` only (one stack of a multi-stack app). */
export function findingsIn(app: App, scope: IConstruct, ...rules: IAspect[]): Finding[] {
  for (const rule of rules) Aspects.of(scope).add(rule, { priority: ASPECT_PRIORITIES.TAG });
  app.synth();
  const findings: Finding[] = [];
  for (const construct of app.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== 'aws:cdk:error' && entry.type !== 'aws:cdk:warning') continue;
      const data = String(entry.data);
      const match = /(?:\(|\[ack: )Annotation::(TAP-[A-Z]+-\d+)[)\]]$/.exec(data);
      if (!match) continue;
      findings.push({
        ruleId: match[1],
        level: entry.type === 'aws:cdk:error' ? 'error' : 'warning',
        path: construct.node.path.split('/').slice(1).join('/'),
        message: data,
        exempted: entry.type === 'aws:cdk:warning' && data.endsWith(`(Annotation::${match[1]})`),
      });
    }
  }
  return findings;
}

/** `ruleId @ path` of each finding, sorted: compact and exact in assertions. */
export function ids(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.ruleId} @ ${f.path}`).sort();
}
