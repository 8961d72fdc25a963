import * as fs from 'fs';
import * as path from 'path';
import {
  LIBRARY_ACKNOWLEDGEMENTS,
  listRegister,
  type RegisterRow,
} from '../../lib/compliance/acknowledgements';
import {
  cloudFormationValidateRules,
  complianceCatalog,
  type LayerCatalog,
} from '../../lib/compliance/catalog';
import { LAYERS } from '../../lib/compliance/layers';
import type { ProfileName } from '../../lib/config/types';
import { guardTestsJunit } from '../guard-tests/guard-tests';
import { assemblyProblems, type ProfileAssembly, readAssembly, ReportInputError } from './assembly';
import { cmp, type Finding, lintFindings, sortFindings, validationFindings } from './findings';
import { fingerprintSources } from './fingerprint';
import { LINT_JUNIT, LINT_SARIF, lintProblems, readLint } from './lint';
import { renderMarkdown } from './markdown';
import {
  COMPLIANCE_SCHEMA_VERSION,
  type ComplianceReport,
  DEFINITIONS,
  profileResult,
  type ToolVersion,
} from './model';
import { REGISTER_FILE, renderSarif } from './sarif';
import { loadTaggableTypes } from '../../aspects/tags/taggable-types';
import { tagInventory, tagsCsv, tagsJson } from './tags';

/** The files `npm run reports` writes into reports/ (the plan's files are `npm run plan`'s). */
export const REPORT_FILES = [
  'compliance.md',
  'compliance.json',
  'compliance.schema.json',
  'compliance.sarif',
  'tags.csv',
  'tags.json',
  'guard-tests.xml',
  LINT_SARIF,
  LINT_JUNIT,
] as const;

/** Source of reports/compliance.schema.json. */
export const COMPLIANCE_SCHEMA_FILE = path.join(__dirname, 'compliance.schema.json');

/** Options of {@link generateReports}. Everything but `root` and `profiles` defaults to the real thing. */
export interface GenerateOptions {
  /** Repository root: its sources are fingerprinted, its `cdk.out/<profile>` read, paths made relative to it. */
  readonly root: string;
  readonly profiles: readonly string[];
  /** The register rows of a profile. */
  readonly registerFor?: (profile: string, stackName: string) => RegisterRow[];
  /** The rule catalog of every layer, given the Control Tower rules disabled on the profile. */
  readonly catalogFor?: (disabledControlTowerRules: readonly string[]) => LayerCatalog[];
  readonly taggableTypes?: ReadonlyMap<string, boolean>;
  /** The Guard rule tests as JUnit. */
  readonly guardJunit?: () => string;
  readonly tools?: readonly ToolVersion[];
}

/** The generated reports: file name in reports/ -> contents, and what a person should hear. */
export interface GeneratedReports {
  readonly files: ReadonlyMap<(typeof REPORT_FILES)[number], string>;
  readonly summary: readonly string[];
}

const readIfExists = (file: string): string => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');

let cfnValidateCatalog: LayerCatalog | undefined;

/** The real catalog: complianceCatalog() plus the bundled CloudFormation Validate rules (built once). */
export function defaultCatalog(disabledControlTowerRules: readonly string[]): LayerCatalog[] {
  cfnValidateCatalog ??= cloudFormationValidateRules();
  return [...complianceCatalog(disabledControlTowerRules), cfnValidateCatalog];
}

const packageVersion = (name: string, from?: string): string => {
  const file = require.resolve(`${name}/package.json`, from ? { paths: [from] } : undefined);
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
};

/** Versions of the gate's tools, from the installed packages (the lockfile pins them). */
export function installedTools(cfnLintVersion: string): ToolVersion[] {
  const cdkLib = path.dirname(require.resolve('aws-cdk-lib/package.json'));
  return [
    { name: 'aws-cdk-lib', version: packageVersion('aws-cdk-lib'), layers: ['tap'] },
    {
      name: 'cdk-nag',
      version: packageVersion('cdk-nag'),
      layers: ['cdk-nag-aws-solutions', 'cdk-nag-nist-800-53-r5', 'cdk-nag-pci-dss-321'],
    },
    {
      name: '@cdklabs/cdk-validator-cfnguard (bundled cfn-guard and Control Tower rules)',
      version: packageVersion('@cdklabs/cdk-validator-cfnguard'),
      layers: ['control-tower', 'tap-guard'],
    },
    {
      name: '@aws/cloudformation-validate (bundled with aws-cdk-lib)',
      version: packageVersion('@aws/cloudformation-validate', cdkLib),
      layers: ['cfn-validate'],
    },
    { name: 'cfn-lint', version: cfnLintVersion, layers: ['cfn-lint'] },
  ];
}

/**
 * Builds every report from `cdk.out/<profile>` (templates, metadata, validation reports), `cdk.out/lint` (cfn-lint),
 * the register and the rule catalogs. Pure apart from reading those inputs: no clock, no absolute path, stable
 * order, so two runs on the same tree give identical bytes.
 *
 * @throws ReportInputError when cdk.out is missing, not from `npm run synth:all`, from other sources than the
 * tree, or when cfn-lint did not run on exactly these templates
 */
export function generateReports(options: GenerateOptions): GeneratedReports {
  const { root } = options;
  const current = fingerprintSources(root);
  const problems = options.profiles.flatMap((p) => assemblyProblems(root, p, current));
  if (problems.length > 0) throw new ReportInputError(problems);
  const assemblies: ProfileAssembly[] = options.profiles.map((p) => readAssembly(root, p));
  const lintIssues = lintProblems(root, assemblies);
  if (lintIssues.length > 0) throw new ReportInputError(lintIssues);
  const lint = readLint(root);

  const registerFor =
    options.registerFor ??
    ((profile: string, stackName: string) =>
      listRegister({
        profile: profile as ProfileName,
        stackName,
        governanceStackName: `OrderBrokerGovernance-${profile}`,
      }));
  const catalogFor = options.catalogFor ?? defaultCatalog;
  const taggableTypes = options.taggableTypes ?? loadTaggableTypes();
  const tools = options.tools ?? installedTools(lint.toolVersion);
  const tags = tagInventory(assemblies, taggableTypes);

  const allFindings: Finding[] = [];
  const profiles = assemblies.map((assembly, i) => {
    const register = registerFor(assembly.profile, assembly.stackName);
    const catalog = catalogFor(register.filter((r) => r.kind === 'disabled-rule').map((r) => r.rule));
    const findings = sortFindings([
      ...validationFindings(assembly, register, LIBRARY_ACKNOWLEDGEMENTS, root),
      ...lintFindings(assembly, lint.log, register, root),
    ]);
    allFindings.push(...findings);
    return {
      result: profileResult({
        assembly,
        findings,
        register,
        library: LIBRARY_ACKNOWLEDGEMENTS,
        catalog,
        tagCoverage: tags.coverage[i],
      }),
      catalog,
    };
  });

  const fullCatalog = catalogFor([]);
  const report: ComplianceReport = {
    $schema: './compliance.schema.json',
    schemaVersion: COMPLIANCE_SCHEMA_VERSION,
    generatedBy: 'npm run reports (scripts/reports.ts)',
    documentation: {
      report: 'reports/compliance.md',
      gate: 'docs/compliance-gate.md',
      decisions: 'docs/decisions.md',
      register: 'lib/compliance/register/entries.ts',
    },
    definitions: DEFINITIONS,
    tools,
    layers: LAYERS.map((l) => ({
      id: l.id,
      title: l.title,
      pluginName: l.pluginName,
      namespace: l.namespace,
      rules: [...(fullCatalog.find((c) => c.layer.id === l.id)?.rules ?? [])].sort((a, b) => cmp(a.id, b.id)),
    })),
    profiles: profiles.map((p) => p.result),
  };

  // cfn-lint rule metadata comes from the lint run itself.
  const lintRules = (lint.log.runs?.[0]?.tool.driver.rules ?? []).map((r) => ({
    id: r.id,
    title: r.shortDescription?.text,
    level: r.defaultConfiguration?.level,
  }));
  const sarifCatalog: LayerCatalog[] = [
    ...fullCatalog,
    { layer: LAYERS.find((l) => l.id === 'cfn-lint')!, rules: lintRules },
  ];
  const sarif = renderSarif({
    findings: allFindings,
    catalog: sarifCatalog,
    tools,
    templates: assemblies.map((a) => ({ profile: a.profile, uri: a.templateFile, sha256: a.templateSha256 })),
    registerSource: readIfExists(path.join(root, REGISTER_FILE)),
  });

  const decisions = readIfExists(path.join(root, 'docs', 'decisions.md'));
  const files = new Map<(typeof REPORT_FILES)[number], string>([
    ['compliance.md', renderMarkdown(report, tags, decisions)],
    ['compliance.json', JSON.stringify(report, undefined, 2) + '\n'],
    ['compliance.schema.json', fs.readFileSync(COMPLIANCE_SCHEMA_FILE, 'utf8')],
    ['compliance.sarif', JSON.stringify(sarif, undefined, 2) + '\n'],
    ['tags.csv', tagsCsv(tags)],
    ['tags.json', tagsJson(tags)],
    ['guard-tests.xml', (options.guardJunit ?? guardTestsJunit)()],
    [LINT_SARIF, lint.sarifText],
    [LINT_JUNIT, lint.junitText],
  ]);

  const summary = report.profiles.map(
    (p) =>
      `${p.profile}: ${p.summary.rulesEvaluated} rules evaluated (+ cfn-lint), ` +
      `${p.summary.openFindings.error} open errors, ${p.summary.openFindings.warning} open warnings, ` +
      `${p.summary.acknowledgedFindings} acknowledged findings (${p.summary.registerEntries} register entries), ` +
      `tags ${p.summary.tagCoverage.fullyTagged}/${p.summary.tagCoverage.taggable} (${p.summary.tagCoverage.percent ?? '-'}%)`,
  );
  return { files, summary };
}

/** The profiles whose compliance.json shows open errors or acknowledgements outside the register (exit 1). */
export function reportsVerdict(complianceJson: string): string[] {
  const compliance = JSON.parse(complianceJson) as {
    profiles: Array<{
      profile: string;
      summary: { openFindings: { error: number } };
      unregisteredAcknowledgements: unknown[];
    }>;
  };
  return compliance.profiles
    .filter((p) => p.summary.openFindings.error > 0 || p.unregisteredAcknowledgements.length > 0)
    .map((p) => p.profile);
}
