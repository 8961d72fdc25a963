/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return -- synthesized templates are untyped JSON */
import type {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
} from 'aws-cdk-lib';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  ACCESS_MATRIX,
  FOREIGN_ACCOUNT,
  type MatrixFacts,
  type MatrixPrincipal,
  type MatrixRequest,
} from './access-matrix';
import { readManifest, readTemplate, readTemplateResources } from '../cfn-template';
import { type Json, STAND_IN_ACCOUNT, TemplateResolver, type TemplateResources } from './intrinsics';
import { IAM_EVALUATION_PLUGIN_NAME } from './layers';

/** The rule ID of every finding of the IAM evaluation layer. */
export const IAM_EVALUATION_RULE_ID = 'TAP-IAM-9';

/** What the evaluation needs to know about the deployment, from the config the stack is built from. */
export interface IamEvaluationOptions {
  /** Logical ID of the contract task role in the template. */
  readonly taskRoleLogicalId: string;
  /** Name of the trades stream (`trades`, or the imported stream's name). */
  readonly streamName: string;
  /** ARN of an imported stream (otherwise the stream of that name in the template). */
  readonly streamArn?: string;
  /** Key of an imported stream. */
  readonly streamKeyArn?: string;
  /** Resource ID of an imported cluster (otherwise the template's cluster). */
  readonly clusterResourceId?: string;
  readonly dbUser: string;
  /** The matrix to evaluate. @default ACCESS_MATRIX */
  readonly matrix?: readonly MatrixRequest[];
}

/** One request as evaluated, with its decision. */
export interface EvaluatedRequest {
  readonly id: string;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly expected: 'Allowed' | 'Denied';
  /** `Allowed`, `ExplicitlyDenied`, `ImplicitlyDenied`, or `Error: ...` when the evaluator rejected the input. */
  readonly actual: string;
  /** Logical IDs of the policies whose statements allowed it (identity and resource). */
  readonly allowedBy: readonly string[];
  /** Logical IDs of every policy that took part. */
  readonly policies: readonly string[];
}

/** The evaluator's input, one per request (`@cloud-copilot/iam-simulate` `Simulation`). */
interface Simulation {
  request: {
    principal: string;
    action: string;
    resource: { resource: string; accountId: string };
    contextVariables: Record<string, string>;
  };
  identityPolicies: Array<{ name: string; policy: Json }>;
  serviceControlPolicies: [];
  resourceControlPolicies: [];
  resourcePolicy?: Json;
}

interface PlannedRequest {
  readonly entry: MatrixRequest;
  readonly principal: string;
  readonly resource: string;
  readonly simulation: Simulation;
  readonly policies: readonly string[];
  /** Logical IDs of the resource policy statements, in order (to attribute resource allows). */
  readonly resourcePolicyIds: readonly string[];
}

/** A synthesized template with its intrinsics resolvable. */
export interface ResolvedTemplate {
  readonly resolver: TemplateResolver;
  readonly resources: TemplateResources;
}

/** Reads a template and the stack environment from its cloud assembly's manifest (pseudo parameters). */
export function loadTemplate(templatePath: string): ResolvedTemplate {
  const template = readTemplate(templatePath);
  const file = path.basename(templatePath);
  let environment = 'aws://unknown-account/unknown-region';
  let stackName = file.replace(/\.template\.json$/, '');
  const dir = path.dirname(templatePath);
  if (fs.existsSync(path.join(dir, 'manifest.json'))) {
    const manifest = readManifest(dir);
    const artifact = Object.values(manifest.artifacts ?? {}).find((a) => a.properties?.templateFile === file);
    environment = artifact?.environment ?? environment;
    stackName = artifact?.properties?.stackName ?? stackName;
  }
  const [account, region] = environment.replace('aws://', '').split('/');
  const resources = (template.Resources ?? {}) as TemplateResources;
  const resolver = new TemplateResolver(
    resources,
    {
      account: /^\d{12}$/.test(account) ? account : STAND_IN_ACCOUNT,
      region: region.startsWith('unknown') ? 'us-east-2' : region,
      partition: 'aws',
      stackName,
    },
    template.Parameters ?? {},
  );
  return { resolver, resources };
}

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const ofType = (resources: TemplateResources, ...types: string[]) =>
  Object.entries(resources).filter(([, r]) => types.includes(r.Type));

/**
 * The identity policies of a role, by every path IAM attaches them: `AWS::IAM::Policy` and
 * `AWS::IAM::ManagedPolicy` naming the role (by Ref, by name, by a name derived from its ARN), an
 * `AWS::IAM::RolePolicy`, the role's inline `Policies` and its `ManagedPolicyArns`. A managed policy ARN whose
 * document is not in the template (an AWS managed policy) cannot be evaluated offline and is returned in
 * `unreadable`.
 */
export function identityPoliciesOf(
  t: ResolvedTemplate,
  roleId: string,
): { policies: Array<{ name: string; policy: Json }>; unreadable: string[] } {
  const { resolver, resources } = t;
  const role = resources[roleId];
  const roleName = String(resolver.resolve({ Ref: roleId }));
  const policies: Array<{ name: string; policy: Json }> = [];
  const unreadable: string[] = [];
  for (const [id, r] of ofType(resources, 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy')) {
    const roles = asList(resolver.resolve(r.Properties?.Roles)).map(String);
    if (roles.includes(roleName))
      policies.push({ name: id, policy: resolver.resolve(r.Properties?.PolicyDocument) });
  }
  for (const [id, r] of ofType(resources, 'AWS::IAM::RolePolicy')) {
    if (String(resolver.resolve(r.Properties?.RoleName)) === roleName)
      policies.push({ name: id, policy: resolver.resolve(r.Properties?.PolicyDocument) });
  }
  const p = role?.Properties ?? {};
  asList<Json>(p.Policies).forEach((inline, i) =>
    policies.push({ name: `${roleId}.Policies[${i}]`, policy: resolver.resolve(inline.PolicyDocument) }),
  );
  const managed = ofType(resources, 'AWS::IAM::ManagedPolicy').map(([id]) => ({
    id,
    arn: String(resolver.resolve({ Ref: id })),
  }));
  for (const arn of asList<Json>(resolver.resolve(p.ManagedPolicyArns)).map(String)) {
    const local = managed.find((m) => m.arn === arn);
    if (local) {
      if (!policies.some((x) => x.name === local.id))
        policies.push({
          name: local.id,
          policy: resolver.resolve(resources[local.id].Properties?.PolicyDocument),
        });
    } else unreadable.push(arn);
  }
  return { policies, unreadable };
}

/** The resource policies in the template that apply to `arn`, with their logical IDs. */
export function resourcePoliciesOf(t: ResolvedTemplate, arn: string): Array<{ id: string; document: Json }> {
  const { resolver, resources } = t;
  const found: Array<{ id: string; document: Json }> = [];
  const add = (id: string, document: Json) => found.push({ id, document: resolver.resolve(document) });
  for (const [id, r] of Object.entries(resources)) {
    const p = r.Properties ?? {};
    const targets = (): string[] => {
      switch (r.Type) {
        case 'AWS::IAM::Role':
          return [String(resolver.resolve({ 'Fn::GetAtt': [id, 'Arn'] }))];
        case 'AWS::KMS::Key':
          return [String(resolver.resolve({ 'Fn::GetAtt': [id, 'Arn'] }))];
        case 'AWS::Kinesis::ResourcePolicy':
          return [String(resolver.resolve(p.ResourceArn))];
        case 'AWS::SNS::TopicPolicy':
          return asList(resolver.resolve(p.Topics)).map(String);
        case 'AWS::SQS::QueuePolicy':
          return asList(resolver.resolve(p.Queues)).map((url) => {
            const [, , host, account, name] = String(url).split('/');
            const region = host?.split('.')[1];
            return `arn:${resolver.pseudo.partition}:sqs:${region}:${account}:${name}`;
          });
        case 'AWS::S3::BucketPolicy': {
          const bucket = String(resolver.resolve(p.Bucket));
          return [`arn:${resolver.pseudo.partition}:s3:::${bucket}`];
        }
        case 'AWS::SecretsManager::ResourcePolicy':
          return [String(resolver.resolve(p.SecretId))];
        default:
          return [];
      }
    };
    const matches = targets().some((target) =>
      r.Type === 'AWS::S3::BucketPolicy' ? arn === target || arn.startsWith(`${target}/`) : arn === target,
    );
    if (!matches) continue;
    if (r.Type === 'AWS::IAM::Role') add(id, p.AssumeRolePolicyDocument);
    else if (r.Type === 'AWS::KMS::Key') add(id, p.KeyPolicy);
    else if (r.Type === 'AWS::Kinesis::ResourcePolicy') add(id, p.ResourcePolicy);
    else add(id, p.PolicyDocument);
  }
  return found;
}

/** The contract facts of a template (see {@link MatrixFacts}). */
export function matrixFacts(t: ResolvedTemplate, options: IamEvaluationOptions): MatrixFacts {
  const { resolver, resources } = t;
  const { partition, region, account } = resolver.pseudo;
  const arnOf = (id: string) => String(resolver.resolve({ 'Fn::GetAtt': [id, 'Arn'] }));
  const streams = ofType(resources, 'AWS::Kinesis::Stream');
  const streamId = streams.find(([id]) => resolver.resolve({ Ref: id }) === options.streamName)?.[0];
  const streamArn =
    options.streamArn ??
    (streamId
      ? arnOf(streamId)
      : `arn:${partition}:kinesis:${region}:${account}:stream/${options.streamName}`);
  const keyId = streamId
    ? resolver.resolve(resources[streamId].Properties?.StreamEncryption?.KeyId)
    : undefined;
  const streamKeyArn =
    options.streamKeyArn ?? (typeof keyId === 'string' && !keyId.includes('alias/aws/') ? keyId : undefined);
  const clusters = ofType(resources, 'AWS::RDS::DBCluster');
  const clusterResourceId =
    options.clusterResourceId ??
    (clusters[0]
      ? String(resolver.resolve({ 'Fn::GetAtt': [clusters[0][0], 'DBClusterResourceId'] }))
      : 'cluster-UNKNOWN');
  return {
    partition,
    region,
    account,
    streamArn,
    streamKeyArn,
    clusterResourceId,
    dbUser: options.dbUser,
    masterUser: String(resolver.resolve(clusters[0]?.[1].Properties?.MasterUsername ?? 'postgres')),
    taskRoleArn: arnOf(options.taskRoleLogicalId),
    otherKeyArns: ofType(resources, 'AWS::KMS::Key')
      .map(([id]) => arnOf(id))
      .filter((arn) => arn !== streamKeyArn),
    bucketArns: ofType(resources, 'AWS::S3::Bucket').map(([id]) => arnOf(id)),
    secretArns: [
      ...ofType(resources, 'AWS::SecretsManager::Secret').map(([id]) =>
        String(resolver.resolve({ Ref: id })),
      ),
      ...clusters
        .filter(([, r]) => r.Properties?.ManageMasterUserPassword)
        .map(([id]) => String(resolver.resolve({ 'Fn::GetAtt': [id, 'MasterUserSecret.SecretArn'] }))),
    ],
    otherStreamArns: streams.filter(([id]) => id !== streamId).map(([id]) => arnOf(id)),
  };
}

const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** The simulations of every matrix request against the template. */
function plan(
  t: ResolvedTemplate,
  options: IamEvaluationOptions,
): { planned: PlannedRequest[]; unreadable: string[] } {
  const facts = matrixFacts(t, options);
  const { partition, account, region } = t.resolver.pseudo;
  const roleName = String(t.resolver.resolve({ Ref: options.taskRoleLogicalId }));
  const identity = identityPoliciesOf(t, options.taskRoleLogicalId);
  const principals: Record<
    MatrixPrincipal,
    { arn: string; identity: Array<{ name: string; policy: Json }>; context: Record<string, string> }
  > = {
    'task-role': {
      arn: `arn:${partition}:sts::${account}:assumed-role/${roleName}/ecs-task`,
      identity: identity.policies,
      context: {},
    },
    'ecs-tasks': {
      arn: 'ecs-tasks.amazonaws.com',
      identity: [],
      context: {
        'aws:SourceAccount': account,
        'aws:SourceArn': `arn:${partition}:ecs:${region}:${account}:task/orderbroker/0123456789abcdef0123456789abcdef`,
      },
    },
    'ecs-tasks-foreign': {
      arn: 'ecs-tasks.amazonaws.com',
      identity: [],
      context: {
        'aws:SourceAccount': FOREIGN_ACCOUNT,
        'aws:SourceArn': `arn:${partition}:ecs:${region}:${FOREIGN_ACCOUNT}:task/other/0123456789abcdef0123456789abcdef`,
      },
    },
    'account-role': {
      arn: `arn:${partition}:iam::${account}:role/AccountAdministrator`,
      identity: [{ name: 'AllowAll', policy: ALLOW_ALL }],
      context: {},
    },
    'foreign-role': {
      arn: `arn:${partition}:iam::${FOREIGN_ACCOUNT}:role/Attacker`,
      identity: [{ name: 'AllowAll', policy: ALLOW_ALL }],
      context: {},
    },
  };
  const matrix = options.matrix ?? ACCESS_MATRIX;
  const planned: PlannedRequest[] = [];
  for (const entry of matrix) {
    const who = principals[entry.principal];
    for (const resource of entry.resources(facts)) {
      const resourcePolicies = resourcePoliciesOf(t, resource);
      // A KMS key outside the template (an imported stream's key) has a key policy we cannot read: evaluate it with
      // the default key policy, which delegates to IAM in the key's account ("Enable IAM User Permissions"). Keys
      // in the template are evaluated with their own policy.
      const importedKey = resourcePolicies.length === 0 && /^arn:aws[a-z-]*:kms:/.test(resource);
      const resourcePolicy = importedKey
        ? {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'DefaultKeyPolicyDelegatesToIam',
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${resource.split(':')[4]}:root` },
                Action: 'kms:*',
                Resource: '*',
              },
            ],
          }
        : resourcePolicies.length === 0
          ? undefined
          : {
              Version: '2012-10-17',
              Statement: resourcePolicies.flatMap((r) => asList<Json>(r.document?.Statement)),
            };
      const resourcePolicyIds = resourcePolicies.flatMap((r) =>
        asList<Json>(r.document?.Statement).map(() => r.id),
      );
      const resourceAccount = resource.split(':')[4] || account;
      planned.push({
        entry,
        principal: who.arn,
        resource,
        policies: [
          ...who.identity.map((p) => p.name).filter((n) => n !== 'AllowAll'),
          ...new Set(resourcePolicyIds),
        ],
        resourcePolicyIds,
        simulation: {
          request: {
            principal: who.arn,
            action: entry.action,
            resource: { resource, accountId: resourceAccount },
            contextVariables: who.context,
          },
          identityPolicies: who.identity,
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy,
        },
      });
    }
  }
  return { planned, unreadable: identity.unreadable };
}

/**
 * Runs the simulations with `@cloud-copilot/iam-simulate` (its validated, asynchronous `runSimulation`) in a
 * child Node process, so that the synchronous validation plugin can wait for it.
 */
function simulate(
  simulations: Simulation[],
): Array<{ result?: string; error?: string; identityAllows?: string[]; resourceAllows?: number[] }> {
  const worker = `
    const { runSimulation } = require(process.argv[1]);
    let input = '';
    process.stdin.on('data', (d) => (input += d)).on('end', async () => {
      const out = [];
      for (const s of JSON.parse(input)) {
        const r = await runSimulation(s, {});
        if (r.resultType === 'error') { out.push({ error: r.errors.message + ' ' + JSON.stringify(r.errors) }); continue; }
        const analysis = r.resultType === 'single' ? r.result.analysis : (r.results[0] || {}).analysis;
        const allows = (a) => (a ? a.allowStatements : []);
        const statements = (s.resourcePolicy && s.resourcePolicy.Statement) || [];
        out.push({
          result: r.overallResult,
          identityAllows: allows(analysis && analysis.identityAnalysis).map((x) => x.policyId),
          resourceAllows: allows(analysis && analysis.resourceAnalysis).map((x) => x.statement.index()),
        });
      }
      process.stdout.write(JSON.stringify(out));
    });`;
  const result = spawnSync(process.execPath, ['-e', worker, require.resolve('@cloud-copilot/iam-simulate')], {
    input: JSON.stringify(simulations),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(`The IAM evaluator failed: ${result.stderr || result.error?.message}`);
  return JSON.parse(result.stdout) as ReturnType<typeof simulate>;
}

/** Evaluates the access matrix over one synthesized template. */
export function evaluateAccessMatrix(
  templatePath: string,
  options: IamEvaluationOptions,
): {
  requests: EvaluatedRequest[];
  unreadable: string[];
} {
  const t = loadTemplate(templatePath);
  if (!t.resources[options.taskRoleLogicalId]) {
    throw new Error(
      `taskRoleLogicalId "${options.taskRoleLogicalId}" is not a resource of ${templatePath}; the IAM evaluation needs the contract task role`,
    );
  }
  const { planned, unreadable } = plan(t, options);
  const results = simulate(planned.map((p) => p.simulation));
  const requests = planned.map((p, i): EvaluatedRequest => {
    const r = results[i];
    const allowedBy = [
      ...(r.identityAllows ?? []),
      ...(r.resourceAllows ?? []).map((index) => p.resourcePolicyIds[index - 1] ?? p.resourcePolicyIds[0]),
    ].filter((x): x is string => !!x && x !== 'AllowAll');
    return {
      id: p.entry.id,
      principal: p.principal,
      action: p.entry.action,
      resource: p.resource,
      expected: p.entry.expect,
      actual: r.error ? `Error: ${r.error}` : r.result!,
      allowedBy: [...new Set(allowedBy)],
      policies: p.policies,
    };
  });
  return { requests, unreadable };
}

/** True when the decision is the one the matrix requires. */
export function matches(request: EvaluatedRequest): boolean {
  return request.expected === 'Allowed' ? request.actual === 'Allowed' : /Denied$/.test(request.actual);
}

/**
 * The IAM evaluation layer: on every synthesis, evaluates the access matrix (lib/compliance/access-matrix.ts)
 * with a real offline IAM evaluator over the task role's identity policies (every attachment path), the
 * resource's policy and the role's trust policy, intrinsics resolved. Every request whose decision differs
 * from the matrix is an error (TAP-IAM-9) naming the request, the expected and the actual decision.
 */
export class IamEvaluationPlugin implements IPolicyValidationPlugin {
  public readonly name = IAM_EVALUATION_PLUGIN_NAME;
  public readonly version = '1';
  public readonly ruleIds = [IAM_EVALUATION_RULE_ID];

  constructor(
    private readonly stackTemplateFile: string,
    private readonly options: IamEvaluationOptions,
  ) {}

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const templatePath = context.templatePaths.find((p) => path.basename(p) === this.stackTemplateFile);
    if (!templatePath) return { success: true, violations: [] };
    const { requests, unreadable } = evaluateAccessMatrix(templatePath, this.options);
    const violations: PolicyViolation[] = [];
    const resource = (id: string) => ({ resourceLogicalId: id, templatePath, locations: [] as string[] });
    for (const arn of unreadable) {
      violations.push({
        ruleName: IAM_EVALUATION_RULE_ID,
        description: `The task role carries managed policy ${arn}, whose document is not in the template: its permissions cannot be evaluated against the access matrix`,
        fix: 'Write the permission as a statement of the task role (lib/constructs/task-role.ts); never attach a managed policy to it.',
        severity: 'error',
        violatingResources: [resource(this.options.taskRoleLogicalId)],
      });
    }
    for (const r of requests.filter((x) => !matches(x))) {
      const culprits = r.expected === 'Denied' && r.allowedBy.length > 0 ? r.allowedBy : [];
      const ids = [
        this.options.taskRoleLogicalId,
        ...culprits.map((c) => c.replace(/\.Policies\[\d+\]$/, '')),
      ];
      violations.push({
        ruleName: IAM_EVALUATION_RULE_ID,
        description:
          `Access matrix request ${r.id} changed: ${r.principal} ${r.action} on ${r.resource}: ` +
          `expected ${r.expected}, actual ${r.actual}` +
          (culprits.length > 0 ? ` (allowed by ${culprits.join(', ')})` : ''),
        fix:
          r.expected === 'Denied'
            ? 'Remove the statement that allows it (identity, resource or trust policy); if the service truly needs it, change lib/compliance/access-matrix.ts with a security review.'
            : 'Restore the permission in lib/constructs/task-role.ts (and the resource policy or trust policy that now blocks it).',
        severity: 'error',
        violatingResources: [...new Set(ids)]
          .filter((id) => id in readTemplateResources(templatePath))
          .map(resource),
      });
    }
    return { success: violations.length === 0, violations };
  }
}
