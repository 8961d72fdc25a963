import type * as sarif from 'sarif';
import { compareCodeUnits } from '../../lib/order';
import type { RegisterRow } from '../../lib/compliance/acknowledgements';
import { LAYERS, type LayerId, layerOrder } from '../../lib/compliance/layers';

export { layerOrder };
import { type ProfileAssembly, ReportInputError, type ReportViolation, stackOfPath, templateLine } from './assembly';
import { type ConstructSource, constructSource } from './locations';

/** SARIF-style level of a finding. */
export type FindingLevel = 'error' | 'warning' | 'note';

/** Who accepted a finding. */
export type AcknowledgementOrigin = 'register' | 'aws-cdk-lib' | 'unregistered';

/** The acknowledgement that suppresses a finding. */
export interface FindingAcknowledgement {
  /** `<namespace>::<rule>` as recorded in the validation report (`cfn-lint::<rule>` for cfn-lint). */
  readonly id: string;
  /** Construct path it was recorded on (`OrderBroker-dev/...`). */
  readonly at: string;
  readonly reason: string;
  readonly origin: AcknowledgementOrigin;
  /** The register row, when the acknowledgement comes from the register. */
  readonly row?: RegisterRow;
}

/** One finding of one rule on one resource of one profile, from any layer. */
export interface Finding {
  readonly profile: string;
  readonly stackName: string;
  readonly layer: LayerId;
  /** The rule as reported, without namespace: `AwsSolutions-IAM5[Resource::*]`, `TAP-CAP-5`, `E3002`. */
  readonly rule: string;
  /** The rule as catalogued (granular suffix removed): `AwsSolutions-IAM5`. */
  readonly ruleId: string;
  readonly level: FindingLevel;
  readonly message: string;
  readonly fix?: string;
  readonly helpUri?: string;
  /** Full construct path (`OrderBroker-dev/Platform/...`). */
  readonly constructPath?: string;
  readonly logicalId?: string;
  readonly resourceType?: string;
  /** Where the resource was defined in the repository's TypeScript. */
  readonly source?: ConstructSource;
  /** The template and the line of the resource in it. */
  readonly template: { readonly uri: string; readonly line?: number };
  readonly acknowledgement?: FindingAcknowledgement;
}

/** An acknowledgement aws-cdk-lib records on its own constructs (LIBRARY_ACKNOWLEDGEMENTS). */
export interface LibraryAcknowledgement {
  readonly acknowledgedId: string;
  readonly source: string;
  readonly reason: string;
}

/** The catalogued rule of a reported rule name: `AwsSolutions-IAM5[Resource::*]` -> `AwsSolutions-IAM5`. */
export function baseRule(rule: string): string {
  return rule.replace(/\[.*\]$/s, '');
}

/** SARIF level of a validation-report severity (cfn-guard sets none; the gate treats those as errors). */
export function levelOf(severity: string | undefined): FindingLevel {
  switch ((severity ?? 'error').toLowerCase()) {
    case 'warning':
    case 'warn': // CloudFormation Validate's rule catalog
      return 'warning';
    case 'info':
    case 'informational':
    case 'note':
      return 'note';
    default:
      return 'error';
  }
}

/** True when an acknowledgement recorded at `at` covers a finding on `constructPath` (the construct or below). */
export function covers(at: string, constructPath: string | undefined): boolean {
  return constructPath !== undefined && (constructPath === at || constructPath.startsWith(`${at}/`));
}

/** The logical ID of a construct path: the path itself, or the L2's default child (`Resource`, `Default`). */
function logicalIdOf(assembly: ProfileAssembly, constructPath: string | undefined): string | undefined {
  if (!constructPath) return undefined;
  const { logicalIdByPath } = stackOfPath(assembly, constructPath);
  return (
    logicalIdByPath.get(constructPath) ??
    logicalIdByPath.get(`${constructPath}/Resource`) ??
    logicalIdByPath.get(`${constructPath}/Default`)
  );
}

/**
 * Every finding of the validation report of one profile: open violations and acknowledged ones, one per violating
 * construct, located in the template and in the repository's TypeScript, joined with the register (on
 * acknowledgement ID and construct path) or the library's own acknowledgements.
 *
 * @throws ReportInputError when the report names a plugin that is not a layer of the gate
 */
export function validationFindings(
  assembly: ProfileAssembly,
  register: readonly RegisterRow[],
  library: readonly LibraryAcknowledgement[],
  root: string,
): Finding[] {
  const findings: Finding[] = [];
  for (const report of assembly.validationReport.pluginReports) {
    const layer = LAYERS.find((l) => l.pluginName === report.pluginName);
    if (!layer) {
      throw new ReportInputError([
        `${assembly.dir}/validation-report.json has plugin "${report.pluginName}", which is not a layer in lib/compliance/layers.ts (known: ${LAYERS.map((l) => l.pluginName).join(', ')})`,
      ]);
    }
    const entries: Array<[ReportViolation, boolean]> = [
      ...(report.violations ?? []).map((v): [ReportViolation, boolean] => [v, false]),
      ...(report.suppressedViolations ?? []).map((v): [ReportViolation, boolean] => [v, true]),
    ];
    for (const [violation, suppressed] of entries) {
      const rule = violation.ruleName.startsWith(`${layer.namespace}::`)
        ? violation.ruleName.slice(layer.namespace.length + 2)
        : violation.ruleName;
      for (const construct of violation.violatingConstructs) {
        const cfnLogicalId = construct.cloudFormationResource?.logicalId;
        const constructPath =
          construct.constructPath ?? (cfnLogicalId ? assembly.pathByLogicalId.get(cfnLogicalId) : undefined);
        const logicalId = cfnLogicalId ?? logicalIdOf(assembly, constructPath);
        const stack = stackOfPath(assembly, constructPath);
        findings.push({
          profile: assembly.profile,
          stackName: stack.stackName,
          layer: layer.id,
          rule,
          ruleId: baseRule(rule),
          level: levelOf(violation.severity),
          message: violation.description,
          fix: violation.suggestedFix,
          helpUri: violation.ruleMetadata?.DocumentationUrl,
          constructPath,
          logicalId,
          resourceType: logicalId ? stack.resources[logicalId]?.Type : undefined,
          source: constructPath ? constructSource(assembly, constructPath, root) : undefined,
          template: { uri: stack.templateFile, line: logicalId ? templateLine(stack, logicalId) : undefined },
          acknowledgement: suppressed ? acknowledgementOf(violation, constructPath, register, library) : undefined,
        });
      }
    }
  }
  return findings;
}

function acknowledgementOf(
  violation: ReportViolation,
  constructPath: string | undefined,
  register: readonly RegisterRow[],
  library: readonly LibraryAcknowledgement[],
): FindingAcknowledgement {
  const id = violation.acknowledgedId ?? '';
  const at = violation.acknowledgedAt ?? constructPath ?? '';
  const row = register.find((r) => r.acknowledgedId === id && r.constructPath === at);
  if (row) return { id, at, reason: row.reason, origin: 'register', row };
  const lib = library.find((l) => l.acknowledgedId === id);
  return {
    id,
    at,
    reason: violation.reason ?? lib?.reason ?? '',
    origin: lib ? 'aws-cdk-lib' : 'unregistered',
  };
}

/**
 * The cfn-lint findings of one profile from the lint wrapper's SARIF (results on the profile's template), joined
 * with the register's cfn-lint rows the way the wrapper applies them (rule, and the row's construct or below).
 */
export function lintFindings(
  assembly: ProfileAssembly,
  log: sarif.Log,
  register: readonly RegisterRow[],
  root: string,
): Finding[] {
  const run = log.runs?.[0];
  const rules = new Map((run?.tool.driver.rules ?? []).map((r) => [r.id, r]));
  const findings: Finding[] = [];
  for (const result of run?.results ?? []) {
    const location = result.locations?.[0];
    if (location?.physicalLocation?.artifactLocation?.uri !== assembly.templateFile) continue;
    const logical = location.logicalLocations?.[0];
    const constructPath = logical?.fullyQualifiedName?.includes('/') ? logical.fullyQualifiedName : undefined;
    const logicalId = logical?.name;
    const rule = result.ruleId ?? 'unknown';
    const suppression = result.suppressions?.[0];
    let acknowledgement: FindingAcknowledgement | undefined;
    if (suppression) {
      const row = register.find(
        (r) => r.layer === 'cfn-lint' && r.rule === rule && covers(r.constructPath, constructPath),
      );
      acknowledgement = row
        ? { id: row.acknowledgedId, at: row.constructPath, reason: row.reason, origin: 'register', row }
        : {
            id: `cfn-lint::${rule}`,
            at: constructPath ?? '',
            reason: suppression.justification ?? '',
            origin: 'unregistered',
          };
    }
    const descriptor = rules.get(rule);
    findings.push({
      profile: assembly.profile,
      stackName: assembly.stackName,
      layer: 'cfn-lint',
      rule,
      ruleId: rule,
      level: (result.level as FindingLevel | undefined) ?? 'warning',
      message: result.message.text ?? '',
      helpUri: descriptor?.helpUri,
      constructPath,
      logicalId,
      resourceType: logicalId ? assembly.resources[logicalId]?.Type : undefined,
      source: constructPath ? constructSource(assembly, constructPath, root) : undefined,
      template: {
        uri: assembly.templateFile,
        line: location.physicalLocation?.region?.startLine,
      },
      acknowledgement,
    });
  }
  return findings;
}

/** Code-unit order: the project's one ordering function (lib/order.ts), under the name the reports use. */
export const cmp = compareCodeUnits;


/** Report order of two findings: layer (as LAYERS), rule, construct path, logical ID, message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    layerOrder(a.layer) - layerOrder(b.layer) ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.rule, b.rule) ||
    cmp(a.constructPath, b.constructPath) ||
    cmp(a.logicalId, b.logicalId) ||
    cmp(a.message, b.message)
  );
}

/** Findings in report order ({@link compareFindings}). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}
