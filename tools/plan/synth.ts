import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createApp } from '../../lib/app';
import type { CfnTemplate } from '../../lib/cfn-template';
import { REPO_ROOT } from '../shared/repo';

/** The context of cdk.json (feature flags), as `cdk synth` loads it. */
export function cdkJsonContext(root = REPO_ROOT): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return { ...(cdkJson.context ?? {}) };
}

/** A synthesized stack template and the stack's name. */
export interface SynthesizedStack {
  readonly stackName: string;
  readonly template: CfnTemplate;
}

/**
 * Synthesizes the app exactly as `cdk synth -c profile=<profile>` builds it (cdk.json context, createApp) and
 * returns the stack's template from the cloud assembly. The compliance gate is off: it only validates, never
 * changes the template, and the plan must not depend on its speed.
 *
 * @param overrides further context (`-c key=value` equivalents), e.g. `{ preOpenTime: '09:00' }`
 */
export function synthesizeStack(profile: string, overrides: Record<string, unknown> = {}): SynthesizedStack {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'orderbroker-plan-'));
  try {
    const { app, stack } = createApp({
      // As the CLI does: construct paths in the template metadata, so the plan can cite them.
      // No bundling: the plan reads no Lambda code, only the template's numbers (CDK's documented way to skip it).
      context: {
        ...cdkJsonContext(),
        'aws:cdk:enable-path-metadata': true,
        'aws:cdk:bundling-stacks': [],
        ...overrides,
        profile,
      },
      outdir,
      complianceGate: false,
    });
    const assembly = app.synth();
    return {
      stackName: stack.stackName,
      template: assembly.getStackArtifact(stack.artifactId).template as CfnTemplate,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
