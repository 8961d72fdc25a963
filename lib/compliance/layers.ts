/**
 * The layers of the compliance gate and how each one appears in `cdk.out/validation-report.json`.
 *
 * `pluginName` is the `pluginName` of the layer's entry in the report; `namespace` prefixes the rule name in
 * acknowledgement IDs (`<namespace>::<rule>`), which is the form CDK records in `suppressedViolations`.
 */
export type LayerId =
  | 'tap'
  | 'cdk-nag-aws-solutions'
  | 'cdk-nag-nist-800-53-r5'
  | 'cdk-nag-pci-dss-321'
  | 'control-tower'
  | 'tap-guard'
  | 'iam-evaluation'
  | 'cfn-validate'
  | 'cfn-lint';

/** One layer of the gate. */
export interface Layer {
  readonly id: LayerId;
  /** For people: what the layer is. */
  readonly title: string;
  /** `pluginName` in the validation report (cfn-lint runs outside synth: its own SARIF/JUnit). */
  readonly pluginName: string;
  /** Prefix of acknowledgement IDs: `<namespace>::<rule>`. */
  readonly namespace: string;
}

/**
 * Namespace of findings reported through `Validations.of(node).addError/addWarning` (the project rules): the
 * validation report lists them under the `Construct Annotations` plugin as `Annotation::<ruleId>`. Defined here,
 * once, for both the rules (aspects/) and the register (lib/compliance/register/).
 */
export const ANNOTATION_NAMESPACE = 'Annotation';

/** The acknowledgement ID of a project rule, as it appears in `suppressedViolations` of the report. */
export function tapAcknowledgementId(ruleId: string): string {
  return `${ANNOTATION_NAMESPACE}::${ruleId}`;
}

/** Name of the wrapped cfn-guard plugin that runs the Control Tower proactive controls. */
export const CONTROL_TOWER_PLUGIN_NAME = 'cfn-guard-control-tower';
/** Name of the wrapped cfn-guard plugin that runs our rules in `policies/`. */
export const TAP_GUARD_PLUGIN_NAME = 'cfn-guard-tap-policies';

/** Name of the plugin that evaluates the task role's access matrix with an offline IAM evaluator. */
export const IAM_EVALUATION_PLUGIN_NAME = 'tap-iam-evaluation';

/** Every layer, in the order the gate reports them. */
export const LAYERS: readonly Layer[] = [
  {
    id: 'tap',
    title: 'Project rules (READONLY Aspects, aspects/)',
    pluginName: 'Construct Annotations',
    namespace: ANNOTATION_NAMESPACE,
  },
  {
    id: 'cdk-nag-aws-solutions',
    title: 'cdk-nag AwsSolutions',
    pluginName: 'AwsSolutions',
    namespace: 'AwsSolutions',
  },
  {
    id: 'cdk-nag-nist-800-53-r5',
    title: 'cdk-nag NIST 800-53 rev 5',
    pluginName: 'NIST.800.53.R5',
    namespace: 'NIST.800.53.R5',
  },
  {
    id: 'cdk-nag-pci-dss-321',
    title: 'cdk-nag PCI DSS 3.2.1',
    pluginName: 'PCI.DSS.321',
    namespace: 'PCI.DSS.321',
  },
  {
    id: 'control-tower',
    title: 'cfn-guard: AWS Control Tower proactive controls',
    pluginName: CONTROL_TOWER_PLUGIN_NAME,
    namespace: CONTROL_TOWER_PLUGIN_NAME,
  },
  {
    id: 'tap-guard',
    title: 'cfn-guard: project Guard rules (policies/)',
    pluginName: TAP_GUARD_PLUGIN_NAME,
    namespace: TAP_GUARD_PLUGIN_NAME,
  },
  {
    id: 'iam-evaluation',
    title: 'IAM evaluation: the task role access matrix (@cloud-copilot/iam-simulate)',
    pluginName: IAM_EVALUATION_PLUGIN_NAME,
    namespace: IAM_EVALUATION_PLUGIN_NAME,
  },
  {
    id: 'cfn-validate',
    title: 'CloudFormation Validate (linter bundled with aws-cdk-lib)',
    pluginName: 'CloudFormation Validate',
    namespace: 'CloudFormation-Validate',
  },
  {
    id: 'cfn-lint',
    title: 'cfn-lint (Python CloudFormation linter, npm run lint:cfn)',
    pluginName: 'cfn-lint',
    namespace: 'cfn-lint',
  },
];

/** The layer with this ID. */
export function layer(id: LayerId): Layer {
  const found = LAYERS.find((l) => l.id === id);
  if (!found) throw new Error(`Unknown compliance layer "${id}"`);
  return found;
}

/** The layer whose findings the validation report lists under `pluginName`. */
export function layerByPluginName(pluginName: string): Layer | undefined {
  return LAYERS.find((l) => l.pluginName === pluginName);
}

/** Position of a layer in {@link LAYERS}: the order of every report. */
export function layerOrder(id: LayerId): number {
  return LAYERS.findIndex((l) => l.id === id);
}
