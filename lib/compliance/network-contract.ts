import { TEST_LISTENER_PORT } from '../constructs/load-balancing';
import { S3_PREFIX_LIST_IDS } from '../constructs/network';
import type { TapConfig } from '../config/types';

/**
 * The network paths of the platform, as an allow-list: which security group may be reached on which port from
 * which source, and where each group may send traffic. TAP-NET-4 / TAP-NET-5 check the rendered template against
 * it with the profile's numbers; the Guard rules `tap_network_ingress_allow_list` / `tap_network_egress_allow_list`
 * check the same structure (the fixed ports and the groups by logical ID) without the profile's CIDRs.
 */

/** What a security group is for. A group of the template that has no role may have no rule at all. */
export type NetworkRole = 'alb' | 'testClient' | 'tasks' | 'database' | 'databaseBootstrap' | 'endpoints';

/**
 * The security groups of each role, by construct path relative to the stack (the L2 group; its L1 is
 * `<path>/Resource`). Adding a group to a role is one line here: e.g. the database bootstrap Lambda's group goes
 * into `databaseBootstrap`, which may already reach the database (5432) and the endpoints (443).
 */
export const NETWORK_ROLE_PATHS: Readonly<Record<NetworkRole, readonly string[]>> = {
  alb: ['Platform/LoadBalancing/AlbSecurityGroup'],
  testClient: ['Platform/LoadBalancing/TestTrafficClientSecurityGroup'],
  tasks: ['Platform/OrderBroker/SecurityGroup'],
  database: ['OrdersDatabase/ClusterSecurityGroup'],
  databaseBootstrap: ['Platform/DbBootstrap/SecurityGroup'],
  endpoints: [
    'Network/EndpointSecurityGroup',
    'Platform/ValidationHook/CodeDeployEndpointSecurityGroup',
    'Platform/DbBootstrap/SecretsManagerEndpointSecurityGroup',
  ],
};

/**
 * Roles whose egress is not checked: an interface endpoint's network interfaces only answer (security groups are
 * stateful) and never open a connection, so their outbound rules carry nothing.
 */
export const EGRESS_UNCHECKED_ROLES: readonly NetworkRole[] = ['endpoints'];

/** One side of an allowed flow: another group by role, a literal CIDR, or a managed prefix list. */
export type NetworkPeer =
  { readonly role: NetworkRole } | { readonly cidr: string } | { readonly prefixList: string };

/** One allowed flow: TCP on `port` between a group of `role` and `peer`. */
export interface AllowedFlow {
  readonly role: NetworkRole;
  readonly port: number;
  readonly peer: NetworkPeer;
  /** Why the flow exists (shown when a rule is not allowed). */
  readonly why: string;
}

/** The allow-list of one deployment. */
export interface NetworkContract {
  /** Construct paths of each role's groups. */
  readonly rolePaths: Readonly<Record<NetworkRole, readonly string[]>>;
  /** Literal group IDs of each role (an imported database's group). */
  readonly roleGroupIds: Readonly<Partial<Record<NetworkRole, readonly string[]>>>;
  /** Ingress: `role` admits `peer` on `port`. */
  readonly ingress: readonly AllowedFlow[];
  /** Egress: `role` may send to `peer` on `port`. */
  readonly egress: readonly AllowedFlow[];
  readonly egressUncheckedRoles: readonly NetworkRole[];
}

/** The PostgreSQL port of the `orders` database. */
export const DATABASE_PORT = 5432;
/** HTTPS: the interface endpoints and S3. */
export const HTTPS_PORT = 443;

/**
 * The network contract of a deployment, from the same configuration the stack is built from.
 *
 * @param extraRolePaths more groups per role (tests; a construct that joins the stack adds its path to
 *   {@link NETWORK_ROLE_PATHS} instead)
 */
export function networkContract(
  config: TapConfig,
  extraRolePaths: Partial<Record<NetworkRole, readonly string[]>> = {},
): NetworkContract {
  const https = config.loadBalancing.certificateArn !== undefined;
  const productionPorts = https ? [443, 80] : [80];
  const databasePort = config.ordersDatabase.mode === 'import' ? config.ordersDatabase.port : DATABASE_PORT;
  const containerPort = config.service.containerPort;
  const rolePaths = Object.fromEntries(
    Object.entries(NETWORK_ROLE_PATHS).map(([role, paths]) => [
      role,
      [...paths, ...(extraRolePaths[role as NetworkRole] ?? [])],
    ]),
  ) as unknown as Record<NetworkRole, readonly string[]>;
  // A created VPC's endpoints have their own group; an imported VPC's endpoints are reached by its CIDR.
  const endpointPeer: NetworkPeer =
    config.network.mode === 'create' ? { role: 'endpoints' } : { cidr: config.network.cidr };
  return {
    rolePaths,
    roleGroupIds:
      config.ordersDatabase.mode === 'import' ? { database: [config.ordersDatabase.securityGroupId] } : {},
    ingress: [
      ...productionPorts.map((port) => ({
        role: 'alb' as const,
        port,
        peer: { cidr: config.clientCidr },
        why: 'clients on the production listener (clientCidr)',
      })),
      {
        role: 'alb',
        port: TEST_LISTENER_PORT,
        peer: { role: 'testClient' },
        why: 'the test listener, for the validation hook only',
      },
      { role: 'tasks', port: containerPort, peer: { role: 'alb' }, why: 'the load balancer to its targets' },
      { role: 'database', port: databasePort, peer: { role: 'tasks' }, why: 'the OrderBroker tasks' },
      {
        role: 'database',
        port: databasePort,
        peer: { role: 'databaseBootstrap' },
        why: 'the database bootstrap',
      },
      {
        role: 'endpoints',
        port: HTTPS_PORT,
        peer: { cidr: config.network.cidr },
        why: 'HTTPS from the VPC to the interface endpoints',
      },
      {
        role: 'endpoints',
        port: HTTPS_PORT,
        peer: { role: 'testClient' },
        why: 'the validation hook reports to CodeDeploy',
      },
      { role: 'endpoints', port: HTTPS_PORT, peer: { role: 'tasks' }, why: 'the tasks call AWS APIs' },
      {
        role: 'endpoints',
        port: HTTPS_PORT,
        peer: { role: 'databaseBootstrap' },
        why: 'the database bootstrap calls AWS APIs',
      },
    ],
    egress: [
      { role: 'alb', port: containerPort, peer: { role: 'tasks' }, why: 'the load balancer to its targets' },
      {
        role: 'testClient',
        port: TEST_LISTENER_PORT,
        peer: { role: 'alb' },
        why: 'the validation hook calls the test listener',
      },
      {
        role: 'testClient',
        port: HTTPS_PORT,
        peer: { role: 'endpoints' },
        why: 'the validation hook reports to CodeDeploy',
      },
      { role: 'tasks', port: databasePort, peer: { role: 'database' }, why: 'the orders database' },
      {
        role: 'tasks',
        port: HTTPS_PORT,
        peer: endpointPeer,
        why: 'ECR, CloudWatch Logs, Kinesis through the interface endpoints',
      },
      {
        role: 'tasks',
        port: HTTPS_PORT,
        peer: { prefixList: S3_PREFIX_LIST_IDS[config.env.region] },
        why: 'image layers from S3 through the gateway endpoint',
      },
      {
        role: 'databaseBootstrap',
        port: databasePort,
        peer: { role: 'database' },
        why: 'the database bootstrap',
      },
      {
        role: 'databaseBootstrap',
        port: HTTPS_PORT,
        peer: endpointPeer,
        why: 'the database bootstrap calls AWS APIs through the interface endpoints',
      },
    ],
    egressUncheckedRoles: EGRESS_UNCHECKED_ROLES,
  };
}

/**
 * The logical-ID pattern CDK gives the L1 of a group at `path` (relative to the stack): the path's components
 * without `Resource`, then an 8-character hash. The Guard rules name the groups this way.
 */
export function logicalIdPattern(path: string): string {
  return `^${path.split('/').join('')}[0-9A-F]{8}$`;
}
