import * as fs from 'fs';
import * as path from 'path';

/**
 * The one reader of synthesized CloudFormation templates and of the cloud assembly manifest beside them.
 *
 * The compliance gate (Guard rule selection, the IAM evaluation, the blocking summary) reads templates during
 * synthesis, and the tools (reports, lint wrapper, plan) read them afterwards; all of them go through this module
 * so a template has one shape in TypeScript. It only reads and parses: what a template means is each reader's
 * business.
 */

/** One resource of a synthesized template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

/** A CloudFormation template as synthesized (JSON). */
export interface CfnTemplate {
  readonly Resources?: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { readonly Value?: unknown }>;
  readonly Parameters?: Record<string, { readonly Default?: unknown }>;
}

/** A template's JSON text, parsed. */
export function parseTemplate(text: string): CfnTemplate {
  return JSON.parse(text) as CfnTemplate;
}

/** Reads and parses the template at `file`. */
export function readTemplate(file: string): CfnTemplate {
  return parseTemplate(fs.readFileSync(file, 'utf8'));
}

/** The resources of the template at `file` (none when it has no `Resources`). */
export function readTemplateResources(file: string): Record<string, TemplateResource> {
  return readTemplate(file).Resources ?? {};
}

/** Metadata entries of a stack artifact, by construct path. */
export type AssemblyMetadata = Record<string, Array<{ type: string; data?: unknown }>>;

/** The part of a cloud assembly's `manifest.json` the gate and the tools read. */
export interface AssemblyManifest {
  readonly artifacts?: Record<
    string,
    {
      readonly type: string;
      readonly displayName?: string;
      /** `aws://<account>/<region>` (`unknown-account`, `unknown-region` for environment-agnostic stacks). */
      readonly environment?: string;
      readonly properties?: { readonly templateFile?: string; readonly stackName?: string };
      readonly metadata?: AssemblyMetadata;
      readonly additionalMetadataFile?: string;
    }
  >;
}

/** The `manifest.json` of the cloud assembly in `dir`. */
export function readManifest(dir: string): AssemblyManifest {
  return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as AssemblyManifest;
}
