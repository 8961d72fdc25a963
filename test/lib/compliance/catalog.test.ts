import { TAP_RULE_IDS } from '../../../aspects';
import { cloudFormationValidateRules, complianceCatalog } from '../../../lib/compliance/catalog';
import { CONTROL_TOWER_RULES_DIR, guardRuleFiles, POLICIES_DIR } from '../../../lib/compliance/guard';
import { listGuardRules } from '../../../tools/guard-tests/guard-tests';
import { LAYERS } from '../../../lib/compliance/layers';

describe('the rule catalog the reports count "evaluated" from', () => {
  const catalog = complianceCatalog();
  const rules = (id: string) => catalog.find((c) => c.layer.id === id)!.rules;

  test('lists every synth-time layer except the bundled linter, in report order', () => {
    expect(catalog.map((c) => c.layer.id)).toEqual(
      LAYERS.map((l) => l.id).filter((id) => id !== 'cfn-validate' && id !== 'cfn-lint'),
    );
  });

  test('project rules are the pinned TAP IDs', () => {
    expect(rules('tap').map((r) => r.id)).toEqual(TAP_RULE_IDS);
  });

  test('each cdk-nag pack lists its rules with the pack prefix and a level', () => {
    for (const [id, prefix] of [
      ['cdk-nag-aws-solutions', 'AwsSolutions-'],
      ['cdk-nag-nist-800-53-r5', 'NIST.800.53.R5-'],
      ['cdk-nag-pci-dss-321', 'PCI.DSS.321-'],
    ]) {
      const pack = rules(id);
      expect(pack.length).toBeGreaterThan(50);
      expect(
        pack.every((r) => r.id.startsWith(prefix) && ['error', 'warning', 'info'].includes(r.level!)),
      ).toBe(true);
    }
    expect(rules('cdk-nag-aws-solutions').find((r) => r.id === 'AwsSolutions-IAM5')?.level).toBe('error');
    expect(rules('cdk-nag-aws-solutions').find((r) => r.id === 'AwsSolutions-KDS3')?.level).toBe('warning');
  });

  test('Control Tower rules carry their file and control ID; disabled files drop out', () => {
    const ct = rules('control-tower');
    expect(ct.length).toBe(listGuardRules(CONTROL_TOWER_RULES_DIR).length);
    expect(ct.find((r) => r.file === 'ct-ecs-pr-2')).toEqual(
      expect.objectContaining({ id: 'ecs_container_insights_enabled_check', control: 'CT.ECS.PR.2' }),
    );
    const withoutOne = complianceCatalog(['ct-ecs-pr-2']).find((c) => c.layer.id === 'control-tower')!.rules;
    expect(withoutOne.length).toBe(ct.length - 1);
  });

  test('project Guard rules are the files of policies/', () => {
    expect(rules('tap-guard').length).toBe(guardRuleFiles(POLICIES_DIR).length);
  });

  test('the bundled CloudFormation Validate engine lists its rules', () => {
    const cfn = cloudFormationValidateRules();
    expect(cfn.layer.pluginName).toBe('CloudFormation Validate');
    expect(cfn.rules.length).toBeGreaterThan(300);
    expect(cfn.rules.find((r) => r.id === 'E3002')).toBeDefined();
  });
});
