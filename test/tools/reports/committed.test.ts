import { parse } from 'csv-parse/sync';
import * as fs from 'fs';
import * as path from 'path';
import type * as sarif from 'sarif';
import { listRegister } from '../../../lib/compliance/acknowledgements';
import { PROFILES } from '../../../lib/config/profiles';
import type { ProfileName } from '../../../lib/config/types';
import { COMPLIANCE_SCHEMA_FILE, REPORT_FILES } from '../../../tools/reports/generate';
import { compileSchema, SARIF_SCHEMA } from '../../helpers/json-schema';
import { REPO_ROOT } from '../../helpers/synth';

// The committed reports, checked without synthesizing: CI regenerates them after the tests and fails on any
// difference; these tests catch a malformed or inconsistent report earlier and say what is wrong.
const read = (file: string) => fs.readFileSync(path.join(REPO_ROOT, 'reports', file), 'utf8');
const compliance = JSON.parse(read('compliance.json'));
const complianceSarif = JSON.parse(read('compliance.sarif')) as sarif.Log;

describe('the committed reports/', () => {
  test('holds every file npm run reports writes', () => {
    const missing = REPORT_FILES.filter((f) => !fs.existsSync(path.join(REPO_ROOT, 'reports', f)));
    expect(missing).toEqual([]);
  });

  test('compliance.schema.json is the generator schema, and compliance.json validates against it', () => {
    expect(read('compliance.schema.json')).toBe(fs.readFileSync(COMPLIANCE_SCHEMA_FILE, 'utf8'));
    const validate = compileSchema(JSON.parse(read('compliance.schema.json')));
    expect(validate(compliance)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  test.each(['compliance.sarif', 'cfn-lint.sarif'])('%s validates against the SARIF 2.1.0 schema', (file) => {
    const validate = compileSchema(SARIF_SCHEMA);
    expect(validate(JSON.parse(read(file)))).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  test('covers every profile', () => {
    expect(compliance.profiles.map((p: { profile: string }) => p.profile)).toEqual(Object.keys(PROFILES));
  });

  test.each(Object.keys(PROFILES))(
    'the register of %s is the one in lib/compliance/acknowledgements.ts (reason, owner, expiry)',
    (profile) => {
      const p = compliance.profiles.find((x: { profile: string }) => x.profile === profile);
      const pick = (r: Record<string, unknown>) => ({
        kind: r.kind,
        layer: r.layer,
        rule: r.rule,
        constructPath: r.constructPath,
        reason: r.reason,
        owner: r.owner,
        expires: r.expires,
      });
      const committed = [...p.acknowledgements, ...p.disabledRules].map(pick);
      const current = listRegister({
        profile: profile as ProfileName,
        stackName: p.stackName,
        governanceStackName: `OrderBrokerGovernance-${profile}`,
      }).map((r) =>
        pick({ ...r }),
      );
      const key = (r: ReturnType<typeof pick>) => `${String(r.layer)}|${String(r.rule)}|${String(r.constructPath)}`;
      expect(committed.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
        current.sort((a, b) => key(a).localeCompare(key(b))),
      );
    },
  );

  test('no open error and no suppression outside the register on any profile', () => {
    for (const p of compliance.profiles) {
      expect({ profile: p.profile, errors: p.summary.openFindings.error }).toEqual({ profile: p.profile, errors: 0 });
      expect({ profile: p.profile, unregistered: p.unregisteredAcknowledgements }).toEqual({
        profile: p.profile,
        unregistered: [],
      });
    }
  });

  test('every SARIF location is a file of the repository, at a line it has', () => {
    const bad: string[] = [];
    for (const result of complianceSarif.runs[0].results!) {
      const location = result.locations![0].physicalLocation!;
      const file = path.join(REPO_ROOT, location.artifactLocation!.uri!);
      const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').length : 0;
      if (lines < (location.region?.startLine ?? 1)) bad.push(`${result.ruleId} -> ${location.artifactLocation!.uri}`);
    }
    expect(bad).toEqual([]);
  });

  test('tags.csv and tags.json list the same resources, every taggable one fully tagged', () => {
    const rows = parse<Record<string, string>>(read('tags.csv'), { columns: true });
    const tags = JSON.parse(read('tags.json'));
    expect(rows.map((r) => `${r.stack}/${r.logicalId}`)).toEqual(
      tags.resources.map((r: { stack: string; logicalId: string }) => `${r.stack}/${r.logicalId}`),
    );
    expect(rows.filter((r) => r.fullyTagged === 'false')).toEqual([]);
    for (const c of tags.coverage) expect(c.percent).toBe(100);
  });
});
