import * as fs from 'fs';
import * as path from 'path';
import {
  type AssemblyMetadata,
  parseTemplate,
  readManifest,
  type TemplateResource,
} from '../../lib/cfn-template';
import {
  CDK_OUT,
  describeDiff,
  diffFingerprints,
  type SourceFingerprint,
  sha256File,
  SYNTH_STAMP,
  type SynthStamp,
} from './fingerprint';

/** A violating construct in `validation-report.json`. */
export interface ReportConstruct {
  readonly constructPath?: string;
  readonly constructFqn?: string;
  readonly cloudFormationResource?: {
    readonly templatePath?: string;
    readonly logicalId?: string;
    readonly propertyPaths?: readonly string[];
  };
  readonly stackTraces?: readonly string[];
}

/** A violation (or, with `acknowledgedId`, a suppressed violation) in `validation-report.json`. */
export interface ReportViolation {
  readonly ruleName: string;
  readonly description: string;
  readonly suggestedFix?: string;
  readonly severity?: string;
  readonly ruleMetadata?: Readonly<Record<string, string>>;
  readonly violatingConstructs: readonly ReportConstruct[];
  readonly acknowledgedId?: string;
  readonly acknowledgedAt?: string;
  readonly reason?: string;
}

/** `cdk.out/<profile>/validation-report.json` (cloud assembly schema's policy validation report). */
export interface ValidationReport {
  readonly pluginReports: ReadonlyArray<{
    readonly pluginName: string;
    readonly pluginVersion?: string;
    readonly conclusion: string;
    readonly violations?: readonly ReportViolation[];
    readonly suppressedViolations?: readonly ReportViolation[];
  }>;
}

/** A stack artifact of a cloud assembly, with its construct-path metadata. */
export interface StackArtifact {
  readonly stackName: string;
  /** Absolute path of the stack's template. */
  readonly templatePath: string;
  /** Construct path (`OrderBroker-dev/Platform/...`, no leading slash) -> logical ID. */
  readonly logicalIdByPath: ReadonlyMap<string, string>;
  /** Logical ID -> construct path. */
  readonly pathByLogicalId: ReadonlyMap<string, string>;
  /** Construct path -> creation stack trace lines (`aws:cdk:creationStack` metadata). */
  readonly creationStacks: ReadonlyMap<string, readonly string[]>;
}

/** One profile's cloud assembly, read and checked. */
export interface ProfileAssembly extends Omit<StackArtifact, 'templatePath'> {
  readonly profile: string;
  /** Assembly directory, repository-relative POSIX path (`cdk.out/dev`). */
  readonly dir: string;
  /** Template, repository-relative POSIX path. */
  readonly templateFile: string;
  readonly templateSha256: string;
  readonly templateText: string;
  readonly resources: Readonly<Record<string, TemplateResource>>;
  readonly validationReport: ValidationReport;
  /** The day the gate evaluated the register on (`compliance-gate.json`), null when the assembly has no record. */
  readonly gateToday: string | null;
  /**
   * The other stacks of the profile's assembly (the governance stack, `OrderBrokerGovernance-<profile>`): the gate
   * validates them in the same run, so their findings are in the same validation report and are located in their
   * own template. `creationStacks` above already holds their construct paths (paths start with the stack name).
   */
  readonly companions: readonly CompanionStack[];
}

/** A stack of the assembly beside the platform stack, as far as the reports locate findings in it. */
export interface CompanionStack {
  readonly stackName: string;
  readonly templateFile: string;
  readonly templateText: string;
  readonly resources: Readonly<Record<string, TemplateResource>>;
  readonly logicalIdByPath: ReadonlyMap<string, string>;
}

/** The stack (the platform's or a companion's) a construct path belongs to: its first segment is the stack name. */
export function stackOfPath(
  assembly: ProfileAssembly,
  constructPath: string | undefined,
): Pick<CompanionStack, 'stackName' | 'templateFile' | 'templateText' | 'resources' | 'logicalIdByPath'> {
  const stackName = constructPath?.split('/')[0];
  return assembly.companions.find((c) => c.stackName === stackName) ?? assembly;
}

/** cdk.out is missing, incomplete, or does not describe the current tree. */
export class ReportInputError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(
      `npm run reports cannot use ${CDK_OUT}:\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        `\nRegenerate its inputs: npm run synth:all && npm run lint:cfn, then npm run reports.`,
    );
    this.name = 'ReportInputError';
  }
}

const posix = (p: string) => p.split(path.sep).join('/');

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/**
 * Problems that make `cdk.out/<profile>` unusable for the reports: missing, not produced by `npm run synth:all`,
 * synthesized from other sources than `current` (another commit, or edits since), or without the gate's report.
 * Empty when the assembly is current.
 */
export function assemblyProblems(root: string, profile: string, current: SourceFingerprint): string[] {
  const dir = path.join(root, CDK_OUT, profile);
  const rel = `${CDK_OUT}/${profile}`;
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    return [`${rel} is missing (no ${rel}/manifest.json): the ${profile} profile has not been synthesized`];
  }
  const stampFile = path.join(dir, SYNTH_STAMP);
  if (!fs.existsSync(stampFile)) {
    return [
      `${rel} has no ${SYNTH_STAMP}: it was not produced by npm run synth:all, so nothing says which sources it describes`,
    ];
  }
  const stamp = readJson<SynthStamp>(stampFile);
  const problems: string[] = [];
  if (stamp.profile !== profile) {
    problems.push(`${rel}/${SYNTH_STAMP} is for profile "${stamp.profile}", expected "${profile}"`);
  }
  if (stamp.sources?.digest !== current.digest) {
    const diff = describeDiff(diffFingerprints(stamp.sources ?? { digest: '', files: {} }, current));
    problems.push(
      `${rel} is stale: it was synthesized from other sources than the working tree (another commit, or edits since)` +
        (diff.length > 0 ? `:\n      ${diff.join('\n      ')}` : ''),
    );
  }
  if (!fs.existsSync(path.join(dir, 'validation-report.json'))) {
    problems.push(`${rel} has no validation-report.json: it was synthesized without the compliance gate`);
  }
  return problems;
}

/** The stack artifacts of the cloud assembly in `dir` (its `manifest.json` and additional metadata files). */
export function readStackArtifacts(dir: string): StackArtifact[] {
  const manifest = readManifest(dir);
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, a]) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile)
    .map(([id, artifact]) => {
      const metadata: AssemblyMetadata = { ...(artifact.metadata ?? {}) };
      if (artifact.additionalMetadataFile) {
        Object.assign(metadata, readJson<AssemblyMetadata>(path.join(dir, artifact.additionalMetadataFile)));
      }
      const logicalIdByPath = new Map<string, string>();
      const pathByLogicalId = new Map<string, string>();
      const creationStacks = new Map<string, readonly string[]>();
      for (const [constructPath, entries] of Object.entries(metadata)) {
        const p = constructPath.replace(/^\//, '');
        for (const entry of entries) {
          if (entry.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
            logicalIdByPath.set(p, entry.data);
            pathByLogicalId.set(entry.data, p);
          } else if (entry.type === 'aws:cdk:creationStack' && Array.isArray(entry.data)) {
            creationStacks.set(p, entry.data as string[]);
          }
        }
      }
      return {
        stackName: artifact.properties?.stackName ?? artifact.displayName ?? id,
        templatePath: path.resolve(dir, artifact.properties!.templateFile!),
        logicalIdByPath,
        pathByLogicalId,
        creationStacks,
      };
    });
}

/** Reads one profile's assembly (call {@link assemblyProblems} first). */
export function readAssembly(root: string, profile: string): ProfileAssembly {
  const dir = path.join(root, CDK_OUT, profile);
  const all = readStackArtifacts(dir);
  // The platform stack; the governance stack beside it (OrderBrokerGovernance-<profile>) is a companion.
  const stacks = all.filter((s) => !s.stackName.startsWith('OrderBrokerGovernance-'));
  if (stacks.length !== 1) {
    throw new ReportInputError([
      `${CDK_OUT}/${profile} holds ${stacks.length} platform stacks; the reports expect exactly one (OrderBroker-${profile})`,
    ]);
  }
  const { stackName, templatePath, logicalIdByPath, pathByLogicalId } = stacks[0];
  const readTemplate = (file: string) => {
    const text = fs.readFileSync(file, 'utf8');
    const parsed = parseTemplate(text);
    return { templateFile: posix(path.relative(root, file)), templateText: text, resources: parsed.Resources ?? {} };
  };
  const platform = readTemplate(templatePath);
  const companions = all
    .filter((s) => s !== stacks[0])
    .map((s): CompanionStack => ({ stackName: s.stackName, logicalIdByPath: s.logicalIdByPath, ...readTemplate(s.templatePath) }));
  return {
    profile,
    stackName,
    dir: `${CDK_OUT}/${profile}`,
    ...platform,
    templateSha256: sha256File(templatePath),
    logicalIdByPath,
    pathByLogicalId,
    // Construct paths start with their stack's name, so the stacks' creation stacks merge without collisions.
    creationStacks: new Map(all.flatMap((s) => [...s.creationStacks])),
    companions,
    validationReport: readJson<ValidationReport>(path.join(dir, 'validation-report.json')),
    gateToday: fs.existsSync(path.join(dir, 'compliance-gate.json'))
      ? (readJson<{ today?: string }>(path.join(dir, 'compliance-gate.json')).today ?? null)
      : null,
  };
}

/**
 * The 1-based line of a resource's key in the template, if found. CDK writes templates with one-space
 * indentation, so a resource is the line `  "<LogicalId>": {` after `"Resources": {`.
 */
export function templateLine(assembly: Pick<ProfileAssembly, 'templateText'>, logicalId: string): number | undefined {
  const lines = assembly.templateText.split('\n');
  const start = lines.indexOf(' "Resources": {');
  if (start < 0) return undefined;
  const at = lines.indexOf(`  ${JSON.stringify(logicalId)}: {`, start);
  return at < 0 ? undefined : at + 1;
}
