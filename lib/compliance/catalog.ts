import * as os from 'os';
import * as fs from 'fs';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import * as path from 'path';
import { TAP_RULES } from '../../aspects';
import { CONTROL_TOWER_RULES_DIR, listGuardRules, POLICIES_DIR } from './guard';
import { IAM_EVALUATION_RULE_ID } from './iam-evaluation';
import { layer, type Layer, type LayerId } from './layers';

/** One rule a layer evaluates. */
export interface CatalogRule {
  /** The rule name as the validation report shows it (`ruleName`, without namespace). */
  readonly id: string;
  /** `error`, `warning`, `info`, `fatal` as the layer declares it, when it does. */
  readonly level?: string;
  /** One line about the rule. */
  readonly title?: string;
  /** A control the rule implements (e.g. `CT.ELB.PR.1`), when known. */
  readonly control?: string;
  /** Guard rules: the file name (what a disabled Control Tower rule is named by). */
  readonly file?: string;
}

/** The rules of one layer. */
export interface LayerCatalog {
  readonly layer: Layer;
  readonly rules: readonly CatalogRule[];
}

/** The rule IDs a cdk-nag pack applies (cdk-nag 3 packs do not list them: each rule is applied to a probe). */
export function nagPackRules(pack: NagPack): CatalogRule[] {
  const rules: CatalogRule[] = [];
  const recorder = pack as unknown as {
    applyRule(params: {
      ruleSuffixOverride?: string;
      rule: { name: string };
      level: string;
      info: string;
    }): void;
    checkResource(node: CfnResource): void;
  };
  recorder.applyRule = (params) =>
    rules.push({
      id: `${pack.readPackName}-${params.ruleSuffixOverride ?? params.rule.name}`,
      level: params.level === 'Error' ? 'error' : params.level === 'Info' ? 'info' : 'warning',
      title: params.info,
    });
  recorder.checkResource(
    // Its own outdir: under the CLI a bare App() would write into CDK_OUTDIR, over the real cloud assembly.
    new CfnResource(
      new Stack(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-probe-')) }), 'Probe'),
      'Probe',
      { type: 'Probe::Rule::Listing' },
    ),
  );
  return rules;
}

/**
 * The rules every layer of the gate evaluates (except cfn-lint, whose rules come from the installed tool and
 * CloudFormation Validate, whose engine is listed by {@link cloudFormationValidateRules}). With the validation
 * report this gives "evaluated / failed / acknowledged / passed" per layer.
 *
 * @param disabledControlTowerRules Control Tower rule files disabled in the register (they are not evaluated)
 */
export function complianceCatalog(disabledControlTowerRules: readonly string[] = []): LayerCatalog[] {
  const guard = (dir: string): CatalogRule[] =>
    listGuardRules(dir)
      .filter((r) => !disabledControlTowerRules.includes(r.file))
      .map((r) => ({ id: r.ruleName, file: r.file, control: r.control, level: 'error' }));
  const entry = (id: LayerId, rules: CatalogRule[]): LayerCatalog => ({ layer: layer(id), rules });
  return [
    entry(
      'tap',
      TAP_RULES.map((r) => ({ id: r.id, level: r.level, title: r.title })),
    ),
    entry('cdk-nag-aws-solutions', nagPackRules(new AwsSolutionsChecks())),
    entry('cdk-nag-nist-800-53-r5', nagPackRules(new NIST80053R5Checks())),
    entry('cdk-nag-pci-dss-321', nagPackRules(new PCIDSS321Checks())),
    entry('control-tower', guard(CONTROL_TOWER_RULES_DIR)),
    entry('tap-guard', guard(POLICIES_DIR)),
    entry('iam-evaluation', [
      {
        id: IAM_EVALUATION_RULE_ID,
        level: 'error',
        title: 'The task role access matrix (lib/compliance/access-matrix.ts) decides as written',
      },
    ]),
  ];
}

/**
 * The rules of the CloudFormation Validate engine bundled with aws-cdk-lib (constructing the engine takes a
 * few seconds).
 */
export function cloudFormationValidateRules(): LayerCatalog {
  const enginePath = require.resolve('@aws/cloudformation-validate', {
    paths: [path.dirname(require.resolve('aws-cdk-lib/package.json'))],
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the engine is aws-cdk-lib's own dependency
  const engineModule = require(enginePath) as {
    CompositeEngine: new () => {
      listRules(): Array<{ id: string; severity: string; description: string }>;
      free(): void;
    };
  };
  const engine = new engineModule.CompositeEngine();
  try {
    return {
      layer: layer('cfn-validate'),
      rules: engine
        .listRules()
        .map((r) => ({ id: r.id, level: r.severity.toLowerCase(), title: r.description })),
    };
  } finally {
    engine.free();
  }
}
