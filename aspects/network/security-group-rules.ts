import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type {
  AllowedFlow,
  NetworkContract,
  NetworkPeer,
  NetworkRole,
} from '../../lib/compliance/network-contract';
import { type CfnProperties, asList, referencedLogicalIds, render, stackResources } from '../template';

/** The rule CDK writes into a group created with allowAllOutbound: false: it matches no traffic. */
export function isDisallowAllPlaceholder(rule: CfnProperties): boolean {
  return rule.CidrIp === '255.255.255.255/32' && rule.IpProtocol === 'icmp';
}

/** One security-group rule of the rendered template, with the group it belongs to. */
export interface SecurityGroupRule {
  readonly direction: 'ingress' | 'egress';
  readonly properties: CfnProperties;
  /** The group the rule is on: its construct path relative to the stack (L2 path), or a literal group ID. */
  readonly group: string;
}

/**
 * The rules a resource adds: a group's inline ingress/egress, or a separate SecurityGroupIngress/Egress.
 * Undefined when `node` is none of these.
 */
export function securityGroupRulesOf(node: IConstruct): SecurityGroupRule[] | undefined {
  if (!CfnResource.isCfnResource(node)) return undefined;
  const type = node.cfnResourceType;
  if (type === 'AWS::EC2::SecurityGroup') {
    const p = render(node).properties;
    const group = groupPath(node);
    return [
      ...asList(p.SecurityGroupIngress as CfnProperties[]).map((r) => ({
        direction: 'ingress' as const,
        properties: r,
        group,
      })),
      ...asList(p.SecurityGroupEgress as CfnProperties[])
        .filter((r) => !isDisallowAllPlaceholder(r))
        .map((r) => ({ direction: 'egress' as const, properties: r, group })),
    ];
  }
  if (type === 'AWS::EC2::SecurityGroupIngress' || type === 'AWS::EC2::SecurityGroupEgress') {
    const p = render(node).properties;
    return [
      {
        direction: type === 'AWS::EC2::SecurityGroupIngress' ? 'ingress' : 'egress',
        properties: p,
        group: groupReference(node, p.GroupId),
      },
    ];
  }
  return undefined;
}

/** Construct path of a group's L2 (the L1 path without `/Resource`), relative to the stack. */
function groupPath(node: CfnResource): string {
  return node.node.path
    .split('/')
    .slice(1)
    .join('/')
    .replace(/\/Resource$/, '');
}

/** The group a resolved `GroupId` / source / destination names: a group of the stack by path, or the literal. */
export function groupReference(node: IConstruct, value: unknown): string {
  if (typeof value === 'string') return value;
  const [logicalId] = referencedLogicalIds(value);
  const group = stackResources(node, 'AWS::EC2::SecurityGroup').find((g) => g.logicalId === logicalId);
  return group ? groupPath(group.node) : `\${${logicalId ?? '?'}}`;
}

/** The role of a group (path or literal ID), if the contract has one. */
export function roleOf(contract: NetworkContract, group: string): NetworkRole | undefined {
  for (const [role, paths] of Object.entries(contract.rolePaths)) {
    if (paths.includes(group)) return role as NetworkRole;
  }
  for (const [role, ids] of Object.entries(contract.roleGroupIds)) {
    if ((ids ?? []).includes(group)) return role as NetworkRole;
  }
  return undefined;
}

/** What a rule's other side is, or an error when it cannot be evaluated (a token CIDR). */
export type RulePeer = NetworkPeer | { readonly group: string } | { readonly error: string };

/** The other side of a rule: the source of an ingress, the destination of an egress. */
export function peerOf(node: IConstruct, contract: NetworkContract, rule: SecurityGroupRule): RulePeer {
  const p = rule.properties;
  const [groupKey, prefixKey] =
    rule.direction === 'ingress'
      ? ['SourceSecurityGroupId', 'SourcePrefixListId']
      : ['DestinationSecurityGroupId', 'DestinationPrefixListId'];
  for (const key of ['CidrIp', 'CidrIpv6']) {
    if (p[key] === undefined) continue;
    if (typeof p[key] !== 'string') return { error: `${key} is a token (${JSON.stringify(p[key])})` };
    return { cidr: p[key] };
  }
  if (p[prefixKey] !== undefined) {
    if (typeof p[prefixKey] !== 'string') return { error: `${prefixKey} is a token` };
    return { prefixList: p[prefixKey] };
  }
  if (p[groupKey] !== undefined) {
    const group = groupReference(node, p[groupKey]);
    const role = roleOf(contract, group);
    return role ? { role } : { group };
  }
  return { error: 'names no peer' };
}

/** `tcp/443`, `all traffic`, ... */
export function portText(p: CfnProperties): string {
  const protocol = String(p.IpProtocol ?? 'tcp');
  if (protocol === '-1') return 'all traffic';
  return p.FromPort === p.ToPort
    ? `${protocol}/${String(p.FromPort)}`
    : `${protocol}/${String(p.FromPort)}-${String(p.ToPort)}`;
}

/** `group <path>`, `10.0.0.0/8`, `prefix list pl-...`. */
export function peerText(peer: RulePeer): string {
  if ('role' in peer) return `the ${peer.role} group`;
  if ('cidr' in peer) return peer.cidr;
  if ('prefixList' in peer) return `prefix list ${peer.prefixList}`;
  if ('group' in peer) return `group ${peer.group} (no role in the network contract)`;
  return peer.error;
}

/** The allowed flow a rule matches, if any: TCP, one port, the same role and peer. */
export function matchingFlow(
  flows: readonly AllowedFlow[],
  role: NetworkRole,
  rule: SecurityGroupRule,
  peer: RulePeer,
): AllowedFlow | undefined {
  const p = rule.properties;
  const tcp = p.IpProtocol === 'tcp' || p.IpProtocol === '6' || p.IpProtocol === 6;
  if (!tcp || typeof p.FromPort !== 'number' || p.FromPort !== p.ToPort) return undefined;
  return flows.find(
    (f) =>
      f.role === role &&
      f.port === p.FromPort &&
      (('role' in f.peer && 'role' in peer && f.peer.role === peer.role) ||
        ('cidr' in f.peer && 'cidr' in peer && f.peer.cidr === peer.cidr) ||
        ('prefixList' in f.peer && 'prefixList' in peer && f.peer.prefixList === peer.prefixList)),
  );
}

/** The allowed flows of a role, in words. */
export function allowedText(flows: readonly AllowedFlow[], role: NetworkRole, direction: string): string {
  const own = flows.filter((f) => f.role === role);
  if (own.length === 0) return `no ${direction}`;
  return own.map((f) => `tcp/${f.port} ${peerText(f.peer)}`).join('; ');
}

/**
 * The findings of one direction for `node`: each rule that is on a group without a role, has a token peer, or
 * matches no allowed flow of its group's role.
 */
export function flowFindings(
  node: IConstruct,
  contract: NetworkContract,
  direction: 'ingress' | 'egress',
): string[] {
  const rules = securityGroupRulesOf(node)?.filter((r) => r.direction === direction);
  if (!rules) return [];
  const flows = direction === 'ingress' ? contract.ingress : contract.egress;
  const findings: string[] = [];
  if (direction === 'egress') {
    const allowAll = defaultAllowAllEgress(node);
    const role = allowAll ? roleOf(contract, allowAll) : undefined;
    if (allowAll && !(role && contract.egressUncheckedRoles.includes(role))) {
      findings.push(
        `group ${allowAll} has no egress rule at all, so EC2's default allow-all egress stays: create it with allowAllOutbound: false`,
      );
    }
  }
  for (const rule of rules) {
    const role = roleOf(contract, rule.group);
    if (role && direction === 'egress' && contract.egressUncheckedRoles.includes(role)) continue;
    const peer = peerOf(node, contract, rule);
    const verb = direction === 'ingress' ? 'admits' : 'sends';
    const what = `${portText(rule.properties)} ${direction === 'ingress' ? 'from' : 'to'} ${peerText(peer)}`;
    if ('error' in peer) {
      findings.push(`${direction} rule on ${rule.group} ${peer.error}: a CIDR must be a literal`);
    } else if (!role) {
      findings.push(`group ${rule.group} has no role in the network contract and ${verb} ${what}`);
    } else if (!matchingFlow(flows, role, rule, peer)) {
      findings.push(
        `the ${role} group (${rule.group}) ${verb} ${what}; allowed: ${allowedText(flows, role, direction)}`,
      );
    }
  }
  return findings;
}

/**
 * The path of a group that keeps EC2's default allow-all egress: no inline egress and no
 * AWS::EC2::SecurityGroupEgress on it (CloudFormation removes the default only when the group gets an egress
 * rule, inline or separate).
 */
function defaultAllowAllEgress(node: IConstruct): string | undefined {
  if (!CfnResource.isCfnResource(node) || node.cfnResourceType !== 'AWS::EC2::SecurityGroup')
    return undefined;
  const { logicalId, properties } = render(node);
  if (asList(properties.SecurityGroupEgress as unknown[]).length > 0) return undefined;
  const separate = stackResources(node, 'AWS::EC2::SecurityGroupEgress').some((e) =>
    referencedLogicalIds(e.properties.GroupId).includes(logicalId),
  );
  return separate ? undefined : groupPath(node);
}
