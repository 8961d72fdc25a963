import type { CfnResource } from 'aws-cdk-lib';
import {
  acknowledgementId,
  describeEntry,
  entriesFor,
  findConstruct,
  resourceOf,
} from '../../../lib/compliance/register/engine';
import { render } from '../../../aspects/template';
import { REGISTER } from '../../../lib/compliance/register/entries';
import type { Binding, RegisterEntry } from '../../../lib/compliance/register/types';
import { blocking, suppressed, synthWithGate } from '../../helpers/gate';

/**
 * Every bound acknowledgement is proven to block a new violation on the same resource: the real dev stack, with
 * each bound entry's resource changed just outside what the entry accepts (a new environment variable named
 * DB_PASSWORD, a 1-day retention, another role, another managed policy...), synthesized ONCE with the full gate.
 */
const INJECTED = 'DB_PASSWORD';

/** Sets the first value at `propertyPath` (creating a missing leaf) and returns the top-level key it changed. */
function setFirst(properties: Record<string, unknown>, propertyPath: string, value: unknown): string {
  const segments = propertyPath.split('.');
  let current: any = properties;
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    const each = segment.endsWith('[*]');
    const key = each ? segment.slice(0, -3) : segment;
    if (last) {
      if (each) current[key] = [value, ...((current[key] as unknown[] | undefined) ?? []).slice(1)];
      else current[key] = Array.isArray(current[key]) ? [value] : value;
      return;
    }
    current[key] ??= each ? [{}] : {};
    current = each ? current[key][0] : current[key];
  });
  return segments[0].replace('[*]', '');
}

/** Breaks the entry's first binding on its resource. */
function breakBinding(resource: CfnResource, binding: Binding): void {
  const properties = structuredClone(render(resource).properties);
  let key: string;
  switch (binding.kind) {
    case 'values':
      key = setFirst(properties, binding.property, typeof binding.values[0] === 'number' ? 1 : INJECTED);
      break;
    case 'minimum':
      key = setFirst(properties, binding.property, binding.minimum > 1 ? 1 : binding.minimum - 1);
      break;
    case 'fingerprint':
      key = setFirst(properties, binding.properties[0], 'arn:aws:iam::aws:policy/AdministratorAccess');
      break;
  }
  resource.addPropertyOverride(key, properties[key]);
}

describe('bound register entries block a new violation on their resource (dev, one gated synth)', () => {
  // Platform entries (the governance stack's are proven in test/lib/governance).
  const bound: RegisterEntry[] = entriesFor(REGISTER, 'dev').filter(
    (e) => e.accepts?.length && (e.stack ?? 'platform') === 'platform',
  );
  const broken = new Map<CfnResource, Set<string>>();
  const { tap, report, error } = synthWithGate({ profile: 'dev' }, {}, (t) => {
    for (const entry of bound) {
      // Several entries on one resource: break each entry's first binding once (overrides accumulate).
      const resource = resourceOf(findConstruct(t.stack, entry.path)!)!;
      const done = broken.get(resource) ?? new Set<string>();
      broken.set(resource, done);
      const key = JSON.stringify(entry.accepts![0]);
      if (done.has(key)) continue;
      done.add(key);
      breakBinding(resource, entry.accepts![0]);
    }
  });
  const stackName = tap.stack.stackName;
  const exc3 = report.pluginReports
    .flatMap((p) => p.violations)
    .filter((v) => v.ruleName === 'TAP-EXC-3' || v.description.includes('TAP-EXC-3'));

  test('there are bound entries of every kind to prove', () => {
    const kinds = new Set(bound.flatMap((e) => e.accepts!.map((b) => b.kind)));
    expect([...kinds].sort()).toEqual(['fingerprint', 'minimum', 'values']);
    expect(bound.length).toBeGreaterThan(20);
  });

  test('synthesis fails', () => {
    expect(error).toBeDefined();
  });

  test('every bound entry is refused with TAP-EXC-3 on its construct and suppresses nothing', () => {
    const notBlocked = bound.filter(
      (entry) =>
        !exc3.some(
          (v) =>
            v.description.includes(`"${describeEntry(entry)}" no longer applies`) &&
            v.violatingConstructs.some((c) => c.constructPath === `${stackName}/${entry.path}`),
        ),
    );
    expect(notBlocked.map(describeEntry)).toEqual([]);
    const stillSuppressing = bound.filter((entry) =>
      suppressed(report).some(
        (s) =>
          s.acknowledgedId === acknowledgementId(entry) && s.acknowledgedAt === `${stackName}/${entry.path}`,
      ),
    );
    expect(stillSuppressing.map(describeEntry)).toEqual([]);
  });

  test('a plaintext DB_PASSWORD environment variable: AwsSolutions-ECS2 blocks again on both task definitions', () => {
    const findings = blocking(report).map((f) => `${f.rule} @ ${f.path}`);
    for (const td of ['Arm64', 'X8664']) {
      expect(findings).toEqual(
        expect.arrayContaining([
          expect.stringMatching(new RegExp(`^AwsSolutions-ECS2 @ Platform/TaskDefinitions/${td}`)),
        ]),
      );
    }
    expect(exc3.map((v) => v.description).join('\n')).toContain(
      `ContainerDefinitions[*].Environment[*].Name has "${INJECTED}", which the entry does not accept`,
    );
  });

  test('1-day log retention in dev: the Control Tower retention rule blocks again', () => {
    const findings = blocking(report).map((f) => `${f.rule} @ ${f.path}`);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^cloudwatch_log_group_retention_period_check @ Platform\/TaskDefinitions\/LogGroup/,
        ),
      ]),
    );
    expect(exc3.map((v) => v.description).join('\n')).toContain(
      'RetentionInDays is 1, below the accepted minimum 30',
    );
  });
});
