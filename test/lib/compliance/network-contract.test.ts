import * as fs from 'fs';
import * as path from 'path';
import { POLICIES_DIR } from '../../../lib/compliance/guard';
import {
  NETWORK_ROLE_PATHS,
  type NetworkRole,
  networkContract,
} from '../../../lib/compliance/network-contract';
import { S3_PREFIX_LIST_IDS } from '../../../lib/constructs/network';
import { resolveConfig } from '../../../lib/config/resolve-config';

/** The Guard pattern of groups at these construct paths (logical ID = path components + 8-hex hash). */
const pattern = (paths: readonly string[]) =>
  `/^(${paths.map((p) => p.split('/').join('')).join('|')})[0-9A-F]{8}$/`;

/** The `let ROLE_* = /.../` lines the Guard rules must carry, from NETWORK_ROLE_PATHS. */
const EXPECTED: Record<string, readonly NetworkRole[]> = {
  ROLE_ALB: ['alb'],
  ROLE_TEST_CLIENT: ['testClient'],
  ROLE_TASKS: ['tasks'],
  ROLE_DATABASE: ['database'],
  ROLE_DATABASE_CLIENTS: ['tasks', 'databaseBootstrap'],
  ROLE_ENDPOINTS: ['endpoints'],
  ROLE_ENDPOINT_CLIENTS: ['testClient', 'databaseBootstrap'],
};

function roleLines(rule: string): Record<string, string> {
  const text = fs.readFileSync(path.join(POLICIES_DIR, `${rule}.guard`), 'utf8');
  return Object.fromEntries([...text.matchAll(/^let (ROLE_[A-Z_]+) = (\/.*\/)$/gm)].map((m) => [m[1], m[2]]));
}

describe('the network contract and its Guard twins name the same groups', () => {
  test.each(['tap_network_ingress_allow_list', 'tap_network_egress_allow_list'])(
    '%s: every ROLE_* pattern equals the logical IDs of NETWORK_ROLE_PATHS (adding a group is one line in each)',
    (rule) => {
      const lines = roleLines(rule);
      expect(Object.keys(lines).length).toBeGreaterThanOrEqual(5);
      for (const [name, value] of Object.entries(lines)) {
        const expected = pattern(EXPECTED[name].flatMap((role) => NETWORK_ROLE_PATHS[role]));
        expect(`let ${name} = ${value}`).toBe(`let ${name} = ${expected}`);
      }
    },
  );

  test('the S3 prefix list of the egress Guard rule is the one the stack allows', () => {
    const text = fs.readFileSync(path.join(POLICIES_DIR, 'tap_network_egress_allow_list.guard'), 'utf8');
    expect(text).toContain(`let S3_PREFIX_LIST = "${S3_PREFIX_LIST_IDS['us-east-2']}"`);
  });

  test('the contract takes the ports and CIDRs from the configuration of each profile', () => {
    const dev = networkContract(resolveConfig({}));
    const prod = networkContract(resolveConfig({ profile: 'prod' }));
    const albIngress = (c: typeof dev) =>
      c.ingress.filter((f) => f.role === 'alb').map((f) => `${f.port} ${JSON.stringify(f.peer)}`);
    expect(albIngress(dev)).toEqual(['80 {"cidr":"10.40.0.0/16"}', '9090 {"role":"testClient"}']);
    expect(albIngress(prod)).toEqual([
      '443 {"cidr":"10.41.0.0/16"}',
      '80 {"cidr":"10.41.0.0/16"}',
      '9090 {"role":"testClient"}',
    ]);
    expect(dev.ingress.filter((f) => f.role === 'database').map((f) => f.peer)).toEqual([
      { role: 'tasks' },
      { role: 'databaseBootstrap' },
    ]);
    expect(dev.egress.filter((f) => f.role === 'database')).toEqual([]);
  });
});
