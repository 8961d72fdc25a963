import { Validations } from 'aws-cdk-lib';
import { LIBRARY_ACKNOWLEDGEMENTS, listRegister } from '../../lib/compliance/acknowledgements';
import type { ProfileName } from '../../lib/config/types';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createApp } from '../../lib/app';
import { blocking, cliContext, suppressed, synthWithGate } from './gate';

/** The assertions every profile must meet with the full gate. Shared by gate-dev and gate-prod (parallel files). */
// eslint-disable-next-line jest/no-export -- one set of assertions, run per profile in parallel test files
export function describeProfileUnderGate(profile: ProfileName): void {
  describe(`profile ${profile} under the full compliance gate`, () => {
    const { tap, outdir, report, error } = synthWithGate({ profile });
    const rows = listRegister({
      profile,
      stackName: tap.stack.stackName,
      governanceStackName: tap.governance.stackName,
    });

    test('synthesizes with zero unacknowledged errors from every layer', () => {
      expect(error).toBeUndefined();
      expect(blocking(report)).toEqual([]);
      expect(report.pluginReports.filter((p) => p.conclusion !== 'success')).toEqual([]);
    });

    test('every suppressed finding is acknowledged by a register entry, with its reason', () => {
      const unexplained = suppressed(report).filter(
        (s) =>
          !rows.some(
            (r) =>
              r.acknowledgedId === s.acknowledgedId &&
              r.constructPath === s.acknowledgedAt &&
              r.reason === s.reason,
          ) &&
          !LIBRARY_ACKNOWLEDGEMENTS.some(
            (l) => l.acknowledgedId === s.acknowledgedId && l.reason === s.reason,
          ),
      );
      expect(unexplained.map((s) => `${s.acknowledgedId} @ ${s.acknowledgedAt}`)).toEqual([]);
      for (const s of suppressed(report)) expect(s.acknowledgedId).toMatch(/^[^:]+::/);
    });

    test('every register entry of the profile suppresses a real finding (no stale acknowledgement)', () => {
      const applied = rows.filter((r) => r.layer !== 'cfn-lint' && r.kind !== 'disabled-rule');
      const unused = applied.filter(
        (r) =>
          !suppressed(report).some(
            (s) => s.acknowledgedId === r.acknowledgedId && s.acknowledgedAt === r.constructPath,
          ),
      );
      expect(unused.map((r) => `${r.acknowledgedId} @ ${r.constructPath}`)).toEqual([]);
    });

    test('no acknowledgement in the app comes from outside the register', () => {
      const outside: string[] = [];
      for (const construct of tap.app.node.findAll()) {
        for (const entry of construct.node.metadata) {
          if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
          for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
            const fromRegister = rows.some(
              (r) =>
                r.acknowledgedId === id && r.constructPath === construct.node.path && r.reason === reason,
            );
            const fromLibrary = LIBRARY_ACKNOWLEDGEMENTS.some(
              (l) => l.acknowledgedId === id && l.reason === reason,
            );
            if (!fromRegister && !fromLibrary) outside.push(`${id} @ ${construct.node.path}`);
          }
        }
      }
      expect(outside).toEqual([]);
    });

    test('the gate ran every layer: cdk-nag, Control Tower and the bundled linter report acknowledged findings', () => {
      const plugins = new Set(suppressed(report).map((s) => s.plugin));
      for (const name of ['AwsSolutions', 'NIST.800.53.R5', 'PCI.DSS.321', 'cfn-guard-control-tower']) {
        expect(plugins).toContain(name);
      }
    });

    test('the gate only reads and validates: the template is the same without it', () => {
      const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'no-gate-'));
      createApp({ context: cliContext({ profile }), outdir: plain, complianceGate: false }).app.synth();
      const template = `${tap.stack.stackName}.template.json`;
      expect(fs.readFileSync(path.join(plain, template), 'utf8')).toBe(
        fs.readFileSync(path.join(outdir, template), 'utf8'),
      );
    });
  });
}
