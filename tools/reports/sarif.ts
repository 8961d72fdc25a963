import { createHash } from 'crypto';
import type * as sarif from 'sarif';
import type { LayerCatalog } from '../../lib/compliance/catalog';
import { LAYERS } from '../../lib/compliance/layers';
import { FINGERPRINT_KEY, frameworkTags, SECURITY_SEVERITY } from './baseline';
import { cmp, compareFindings, type Finding, levelOf } from './findings';
import type { SourceLocation } from './locations';
import type { ToolVersion } from './model';
import { sarifLog } from '../shared/sarif';

/** The register file, where every acknowledgement's suppression is declared. */
export const REGISTER_FILE = 'lib/compliance/register/entries.ts';

/** Inputs of {@link renderSarif}. */
export interface SarifInputs {
  readonly findings: readonly Finding[];
  /** Rule metadata of every layer (catalogs plus the rules cfn-lint reported). */
  readonly catalog: readonly LayerCatalog[];
  readonly tools: readonly ToolVersion[];
  readonly templates: ReadonlyArray<{ readonly profile: string; readonly uri: string; readonly sha256: string }>;
  /** Text of the register file, to point each suppression at the line declaring its rule. */
  readonly registerSource: string;
}

/** The SARIF rule ID of a finding: `<layer>/<rule>` (`cdk-nag-aws-solutions/AwsSolutions-IAM5`). */
export function sarifRuleId(f: Pick<Finding, 'layer' | 'ruleId'>): string {
  return `${f.layer}/${f.ruleId}`;
}

/** The 1-based line of the register declaring `rule` (its first quoted occurrence), if any. */
export function registerLine(registerSource: string, rule: string): number | undefined {
  const lines = registerSource.split('\n');
  const quoted = [`'${rule}'`, `"${rule}"`, `\`${rule}\``];
  const at = lines.findIndex((l) => quoted.some((q) => l.includes(q)));
  return at < 0 ? undefined : at + 1;
}

function physical(loc: SourceLocation): sarif.PhysicalLocation {
  return { artifactLocation: { uri: loc.uri }, region: { startLine: loc.line, startColumn: loc.column } };
}

/**
 * The stable identity of a finding across commits: profile, layer, rule (as reported), construct path and logical
 * ID. No line, column, message or template position enters it, so moving or editing unrelated code (or the
 * resource's own source line) leaves it unchanged; renaming the construct or the rule changes it.
 */
export function findingFingerprint(f: Finding): string {
  return createHash('sha256')
    .update([f.profile, f.layer, f.rule, f.constructPath ?? '', f.logicalId ?? ''].join('\0'))
    .digest('hex');
}

/**
 * reports/compliance.sarif: one SARIF 2.1.0 run of the whole gate over every profile. Each finding is a result
 * whose location is the TypeScript line that defined the resource (from the construct's creation stack; the
 * template when none reaches the repository), with the construct path and logical ID as its logical location, the
 * repository frames of the creation stack as a stack, and, when acknowledged, a suppression carrying the register's
 * reason, owner and expiry (located at the register entry). Rules carry their layer, level, description and help.
 */
export function renderSarif(inputs: SarifInputs): sarif.Log {
  const findings = [...inputs.findings].sort((a, b) => cmp(a.profile, b.profile) || compareFindings(a, b));
  const ruleIds = [...new Set(findings.map(sarifRuleId))].sort(cmp);
  const rules = ruleIds.map((id): sarif.ReportingDescriptor => {
    const example = findings.find((f) => sarifRuleId(f) === id)!;
    const layer = LAYERS.find((l) => l.id === example.layer)!;
    const info = inputs.catalog.find((c) => c.layer.id === layer.id)?.rules.find((r) => r.id === example.ruleId);
    const description = info?.title ?? example.message;
    const level = levelOf(info?.level ?? example.level);
    // The frameworks the rule maps to: the NIST and PCI packs name their control IDs in the message, Control Tower
    // rules their control in the title or the catalog.
    const frameworks = new Set([
      ...frameworkTags(layer.id, info?.title ?? '', info?.control ? [info.control] : []),
      ...frameworkTags(layer.id, example.message),
    ]);
    return {
      id,
      name: example.ruleId,
      shortDescription: {
        text: info?.control && !description.includes(info.control) ? `[${info.control}] ${description}` : description,
      },
      fullDescription: { text: `${layer.title}: ${description}` },
      help: { text: example.fix ?? `See ${layer.title}.` },
      helpUri: example.helpUri,
      defaultConfiguration: { level },
      properties: {
        layer: layer.id,
        pluginName: layer.pluginName,
        ...(info?.control ? { control: info.control } : {}),
        // GitHub code scanning reads security-severity only on rules tagged `security`.
        'security-severity': SECURITY_SEVERITY[level],
        tags: [...new Set(['security', 'compliance', layer.id, ...[...frameworks].sort(cmp)])],
      },
    };
  });

  const results = findings.map((f): sarif.Result => {
    const id = sarifRuleId(f);
    const location: sarif.Location = {
      physicalLocation: f.source
        ? physical(f.source.location)
        : {
            artifactLocation: { uri: f.template.uri },
            ...(f.template.line ? { region: { startLine: f.template.line } } : {}),
          },
      logicalLocations: f.constructPath
        ? [
            {
              name: f.logicalId ?? f.constructPath.split('/').pop(),
              fullyQualifiedName: f.constructPath,
              kind: 'resource',
            },
          ]
        : undefined,
    };
    const ack = f.acknowledgement;
    const owner = ack?.row?.owner ?? (ack?.origin === 'aws-cdk-lib' ? 'aws-cdk-lib' : undefined);
    const line = ack?.row ? registerLine(inputs.registerSource, ack.row.rule) : undefined;
    const where = f.constructPath ? ` on ${f.constructPath}` : '';
    return {
      ruleId: id,
      ruleIndex: ruleIds.indexOf(id),
      level: f.level,
      message: {
        text: `${f.rule}${where} (${f.profile}): ${f.message.trim()}${f.fix ? ` Fix: ${f.fix.trim()}` : ''}`,
      },
      locations: [location],
      stacks:
        f.source && f.source.frames.length > 1
          ? [
              {
                message: {
                  text: `Creation of ${f.source.via ?? f.constructPath ?? 'the resource'} (repository frames)`,
                },
                frames: f.source.frames.map((frame) => ({
                  location: {
                    physicalLocation: physical(frame),
                    ...(frame.function ? { message: { text: frame.function } } : {}),
                  },
                })),
              },
            ]
          : undefined,
      partialFingerprints: { [FINGERPRINT_KEY]: findingFingerprint(f) },
      suppressions: ack
        ? [
            {
              kind: 'external',
              status: ack.origin === 'unregistered' ? 'underReview' : 'accepted',
              justification:
                `${ack.reason.trim()} (${ack.id} on ${ack.at}` +
                (owner ? `; owner ${owner}` : '') +
                (ack.row ? `; expires ${ack.row.expires}` : '') +
                ')',
              ...(ack.row
                ? {
                    location: {
                      physicalLocation: {
                        artifactLocation: { uri: REGISTER_FILE },
                        ...(line ? { region: { startLine: line } } : {}),
                      },
                    },
                  }
                : {}),
            },
          ]
        : undefined,
      properties: {
        profile: f.profile,
        stack: f.stackName,
        layer: f.layer,
        rule: f.rule,
        ...(f.resourceType ? { resourceType: f.resourceType } : {}),
        template: f.template.line ? `${f.template.uri}:${f.template.line}` : f.template.uri,
        ...(ack ? { acknowledgedId: ack.id, acknowledgedBy: ack.origin } : {}),
        ...(ack?.row ? { owner: ack.row.owner, expires: ack.row.expires } : {}),
      },
    };
  });

  return sarifLog({
        tool: {
          driver: {
            name: 'orderbroker-compliance-gate',
            fullName: 'OrderBroker compliance gate (npm run synth:all, npm run lint:cfn, npm run reports)',
            rules,
            properties: {
              tools: inputs.tools.map((t) => `${t.name} ${t.version}`),
            },
          },
        },
        automationDetails: { id: 'orderbroker-compliance/' },
        columnKind: 'utf16CodeUnits',
        results,
        properties: {
          templates: inputs.templates.map((t) => ({ profile: t.profile, uri: t.uri, sha256: t.sha256 })),
        },
  });
}
