import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
} from 'aws-cdk-lib';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readTemplateResources } from '../cfn-template';
import { StartableCfnGuard } from './guard-run';
import { CONTROL_TOWER_PLUGIN_NAME, TAP_GUARD_PLUGIN_NAME } from './layers';

/** Directory of the project's Guard rules (`<rule>.guard`, tests in `tests/<rule>_tests.yaml`). */
export const POLICIES_DIR = path.resolve(__dirname, '..', '..', 'policies');

/** Directory of the Control Tower proactive-control rules bundled with the validator. */
export const CONTROL_TOWER_RULES_DIR = path.join(
  path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')),
  'rules',
  'control-tower',
  'cfn-guard',
);

/** The cfn-guard binary bundled with the validator (it has no npm bin entry). */
export function cfnGuardBinary(): string {
  const platform = process.platform === 'darwin' ? 'macos' : 'ubuntu';
  const arch = process.arch === 'arm64' ? 'aarch64' : 'x86_64';
  return path.join(
    path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')),
    'bin',
    platform,
    arch,
    'cfn-guard',
  );
}

/**
 * Wraps a validation plugin so that every violation it reports has severity `error`.
 *
 * cfn-guard violations carry no severity. When any acknowledgement matches a violation of a report, CDK
 * recomputes that report's success as "no violation of severity error or fatal": without a severity, the
 * remaining unacknowledged Guard violations would then pass synthesis.
 */
export class ErrorSeverityPlugin implements IPolicyValidationPlugin {
  public readonly version?: string;
  public readonly ruleIds?: string[];

  constructor(
    public readonly name: string,
    private readonly inner: IPolicyValidationPlugin,
    /** The Guard rule files the inner plugin evaluates, when it is a Guard plugin (for the deploy-time hooks). */
    public readonly ruleFiles: readonly string[] = [],
  ) {
    this.version = inner.version;
    this.ruleIds = inner.ruleIds;
  }

  /** Starts the inner plugin early when it can be (see {@link StartableCfnGuard}). */
  public start(context: Pick<IPolicyValidationContext, 'templatePaths'>): void {
    if (this.inner instanceof StartableCfnGuard) this.inner.start(context);
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return asErrors(this.inner.validate(context));
  }
}

/** The report with every violation of severity `error`, failed when it has any (see {@link ErrorSeverityPlugin}). */
function asErrors(report: PolicyValidationPluginReport): PolicyValidationPluginReport {
  return {
    ...report,
    success: report.success && report.violations.length === 0,
    violations: report.violations.map((v) => ({ ...v, severity: 'error' })),
  };
}

/**
 * The Control Tower proactive controls, minus the disabled ones (file names, e.g. `ct-s3-pr-4`), every violation an
 * error.
 *
 * Each synthesis runs only the rules that can select something in the templates: a rule file whose
 * `AWS::Service::Type` literals include a type present in a template (or that names no type at all). Guard rules
 * select resources by those literals, so the others could only SKIP; leaving them out makes the Control Tower
 * layer 2.5x faster on this stack (10.4 s to 4.1 s on the dev template), with the same findings.
 */
export class ControlTowerPlugin implements IPolicyValidationPlugin {
  public readonly name = CONTROL_TOWER_PLUGIN_NAME;
  public readonly version?: string;
  /** Every enabled Control Tower rule (the validator's IDs, e.g. `ecspr2`). */
  public readonly ruleIds?: string[];
  /** Every enabled Control Tower rule file: what a synthesis may evaluate (and the deploy-time hooks do). */
  public readonly ruleFiles: readonly string[];
  private started?: { readonly rules: string; readonly runs: readonly StartableCfnGuard[] };

  constructor(disabledRules: readonly string[] = []) {
    this.ruleFiles = guardFilesUnder(CONTROL_TOWER_RULES_DIR).filter(
      (file) => !disabledRules.includes(path.basename(file, '.guard')),
    );
    const all = new CfnGuardValidator({ controlTowerRulesEnabled: true, disabledRules: [...disabledRules] });
    this.version = all.version;
    this.ruleIds = all.ruleIds;
  }

  /** Starts cfn-guard on these templates with the rules they select (see {@link StartableCfnGuard}). */
  public start(context: Pick<IPolicyValidationContext, 'templatePaths'>): void {
    const rules = applicableRuleFiles(this.ruleFiles, resourceTypesOf(context.templatePaths));
    const runs = controlTowerRuns(rules);
    for (const run of runs) run.start(context);
    this.started = { rules: JSON.stringify(rules), runs };
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const rules = applicableRuleFiles(this.ruleFiles, resourceTypesOf(context.templatePaths));
    const started = this.started?.rules === JSON.stringify(rules) ? this.started.runs : undefined;
    if (!started) this.started?.runs.forEach((run) => run.discard());
    this.started = undefined;
    const reports = (started ?? controlTowerRuns(rules)).map((run) => run.validate(context));
    return asErrors(mergeGuardReports(reports, context.templatePaths));
  }
}

/**
 * The cfn-guard runs of the Control Tower layer: the sorted rule files in two contiguous halves, run side by side.
 * cfn-guard is single-threaded and spends about 40 ms per rule file on the platform template; with 90 rule files
 * the layer would be the last engine to finish on a 2-CPU machine, with one CPU idle. None when no rule applies.
 */
function controlTowerRuns(rules: readonly string[]): StartableCfnGuard[] {
  const half = Math.ceil(rules.length / 2);
  return [rules.slice(0, half), rules.slice(half)]
    .filter((part) => part.length > 0)
    .map((part) => new StartableCfnGuard({ controlTowerRulesEnabled: false, rules: part }));
}

/**
 * The report one cfn-guard run over all the rule files would give, from runs over contiguous slices of them in
 * order: failed when one failed, violations in cfn-guard's order, template by template (in `templatePaths` order),
 * then rule file by rule file. Each run lists its violations in that order; a stable sort by template interleaves
 * them. cfn-guard reports a template by its real path (symbolic links and `..` resolved), so both sides are
 * compared as real paths. A test compares the result with a single run on the real templates.
 */
export function mergeGuardReports(
  reports: readonly PolicyValidationPluginReport[],
  templatePaths: readonly string[],
): PolicyValidationPluginReport {
  const real = (file: string) => {
    try {
      return fs.realpathSync(file);
    } catch {
      return path.resolve(file);
    }
  };
  const order = templatePaths.map(real);
  const template = (v: PolicyValidationPluginReport['violations'][number]) =>
    order.indexOf(real(v.violatingResources[0]?.templatePath ?? ''));
  return {
    success: reports.every((r) => r.success),
    violations: reports.flatMap((r) => r.violations).sort((a, b) => template(a) - template(b)),
  };
}

/** The Control Tower proactive controls (see {@link ControlTowerPlugin}). */
export function controlTowerPlugin(disabledRules: readonly string[] = []): ControlTowerPlugin {
  return new ControlTowerPlugin(disabledRules);
}

/** Resource types of the templates. */
export function resourceTypesOf(templatePaths: readonly string[]): Set<string> {
  const types = new Set<string>();
  for (const file of templatePaths) {
    for (const resource of Object.values(readTemplateResources(file)))
      if (resource.Type) types.add(resource.Type);
  }
  return types;
}

/**
 * The `.guard` files under `dir` that can select a resource of `types`: those whose `AWS::Service::Type` literals
 * include one of the types, and those that name no type (kept: they could select anything).
 */
/** Every `.guard` file under `dir`, recursively (Guard test folders excluded), sorted. */
export function guardFilesUnder(dir: string): string[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory() && entry.name !== 'tests') walk(full);
      else if (entry.isFile() && entry.name.endsWith('.guard')) files.push(full);
    }
  };
  walk(dir);
  return files.sort();
}

export function applicableRuleFiles(
  dirOrFiles: string | readonly string[],
  types: ReadonlySet<string>,
): string[] {
  const files = typeof dirOrFiles === 'string' ? guardFilesUnder(dirOrFiles) : [...dirOrFiles].sort();
  return files.filter((file) => {
    const named = fs.readFileSync(file, 'utf8').match(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g) ?? [];
    return named.length === 0 || named.some((type) => types.has(type));
  });
}

/**
 * Values of Guard variables the gate sets from the configuration: `let <NAME> = <value>` lines of the rule
 * files are replaced by these (a number, a list of strings, or a regex written `/.../`).
 */
export type GuardParameters = Readonly<Record<string, number | string | readonly string[] | RegExp>>;

/** The project's Guard rules in `policies/`, with the variables in `parameters` set for this deployment. */
export function tapGuardPlugin(
  policiesDir: string = POLICIES_DIR,
  parameters: GuardParameters = {},
): ErrorSeverityPlugin {
  const rules = parameterizedRuleFiles(guardRuleFiles(policiesDir), parameters);
  return new ErrorSeverityPlugin(
    TAP_GUARD_PLUGIN_NAME,
    new StartableCfnGuard({ controlTowerRulesEnabled: false, rules }),
    rules,
  );
}

/**
 * Copies of the rule files with their `let <NAME> = ...` line (one line) replaced by the parameter's value, in
 * a temporary directory; the files themselves when there is no parameter.
 *
 * @throws Error naming a parameter no rule file declares
 */
export function parameterizedRuleFiles(files: readonly string[], parameters: GuardParameters): string[] {
  const names = Object.keys(parameters);
  if (names.length === 0) return [...files];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tap-guard-'));
  const used = new Set<string>();
  const out = files.map((file) => {
    let text = fs.readFileSync(file, 'utf8');
    for (const name of names) {
      const line = new RegExp(`^let ${name} = .*$`, 'm');
      if (!line.test(text)) continue;
      used.add(name);
      const value = parameters[name];
      const rendered = value instanceof RegExp ? `/${value.source}/` : JSON.stringify(value);
      text = text.replace(line, `let ${name} = ${rendered}`);
    }
    const target = path.join(dir, path.basename(file));
    fs.writeFileSync(target, text);
    return target;
  });
  const unused = names.filter((n) => !used.has(n));
  if (unused.length > 0) {
    throw new Error(
      `Guard parameter(s) ${unused.join(', ')} are declared by no rule file (a one-line "let <NAME> = ..." in policies/*.guard)`,
    );
  }
  return out;
}

/** The `.guard` files of a directory (not its tests), sorted. */
export function guardRuleFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.guard'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** One Guard rule as the reports show it. */
export interface GuardRuleInfo {
  /** File name without `.guard`: what a disabled rule is named by. */
  readonly file: string;
  /** The rule name the validation report uses (`ruleName`). */
  readonly ruleName: string;
  /** Control ID from the rule's message, e.g. `CT.ELB.PR.1` (Control Tower rules). */
  readonly control?: string;
}

/** The rules of every `.guard` file under `dir` (recursively), sorted by file. */
export function listGuardRules(dir: string): GuardRuleInfo[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory() && entry.name !== 'tests') walk(full);
      else if (entry.name.endsWith('.guard')) files.push(full);
    }
  };
  walk(dir);
  return files
    .map((file) => {
      const text = fs.readFileSync(file, 'utf8');
      const ruleName =
        /^rule\s+([A-Za-z0-9_]+)\s+when\s+is_cfn_template/m.exec(text)?.[1] ??
        /^rule\s+([A-Za-z0-9_]+)/m.exec(text)?.[1] ??
        path.basename(file, '.guard');
      const control = /\[(CT\.[A-Z0-9]+\.PR\.\d+)\]/.exec(text)?.[1];
      return { file: path.basename(file, '.guard'), ruleName, control };
    })
    .sort((a, b) => a.file.localeCompare(b.file, 'en', { numeric: true }));
}
