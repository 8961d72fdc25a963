import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnGuardHook } from 'aws-cdk-lib/aws-cloudformation';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';
import { type GuardRuleFile, stageRuleSet } from './guard-rule-set';

/** Name of the governance stack of a profile: `OrderBrokerGovernance-<profile>`. */
export function governanceStackName(profile: string): string {
  return `OrderBrokerGovernance-${profile}`;
}

/** Marks a governance stack, so register entries with `stack: 'governance'` find it (see `stackKindOf`). */
export const GOVERNANCE_STACK_MARK = Symbol.for('orderbroker.governance-stack');

/** Where the hook reads its rule bundle from. */
export type GuardRuleSource =
  /** The rule set, zipped as a CDK file asset of this stack (one account: `cdk deploy` publishes it). */
  | { readonly kind: 'asset'; readonly files: readonly GuardRuleFile[] }
  /** A versioned object published once for the organization (StackSet instances read it from there). */
  | {
      readonly kind: 's3';
      readonly bucketName: string;
      readonly objectKey: string;
      readonly versionId?: string;
    };

/** One Guard Hook of the governance stack. */
export interface GuardHookSpec {
  /** Construct ID of the hook (and of its rule bundle). */
  readonly id: string;
  /** Alias of the activated hook, unique per account and region (`Private::Guard::<Name>`). */
  readonly alias: string;
  /** `FAIL` blocks the stack operation on a failed rule; `WARN` reports and lets it proceed. */
  readonly failureMode: 'FAIL' | 'WARN';
  /** The rule bundle the hook evaluates. */
  readonly rules: GuardRuleSource;
}

/** Properties of {@link GovernanceStack}. */
export interface GovernanceStackProps extends StackProps {
  /** Names of the stacks the hooks guard (the OrderBroker platform stacks of this account). */
  readonly guardedStackNames: readonly string[];
  /**
   * The hooks: together their bundles hold exactly the rule files the synth gate evaluates (see
   * `guardHookRuleSets`): a FAIL hook for every rule with no accepted finding, a WARN hook for the rules the
   * register acknowledges on some resource (Guard has no per-resource acceptance, so those cannot block).
   */
  readonly hooks: readonly GuardHookSpec[];
  /**
   * How long the hooks' Guard reports are kept in the report bucket.
   *
   * @default Duration.days(400)
   */
  readonly reportRetention?: Duration;
}

/**
 * Deploy-time enforcement of the synth gate's Guard rules: CloudFormation Guard Hooks that evaluate every create
 * and update of the OrderBroker stacks (the whole proposed template: every resource of the stack) against the same
 * rule files `cdk synth` runs, and write their reports to an encrypted, versioned bucket. Deployed once per account
 * and region, before the platform stack (docs/deploy-time-policy.md).
 */
export class GovernanceStack extends Stack {
  public readonly hooks: Record<string, CfnGuardHook> = {};
  public readonly logBucket: s3.Bucket;
  public readonly executionRole: iam.Role;
  /** Everything the hooks' role may do. */
  public readonly policy: iam.ManagedPolicy;
  /** `s3://bucket/key` of each hook's rule bundle, by hook ID. */
  public readonly ruleUris: Record<string, string> = {};
  /** The file assets holding the bundles (asset sources), by hook ID. */
  public readonly ruleAssets: Record<string, Asset> = {};

  constructor(scope: Construct, id: string, props: GovernanceStackProps) {
    super(scope, id, props);
    Object.defineProperty(this, GOVERNANCE_STACK_MARK, { value: true });
    if (props.guardedStackNames.length === 0) {
      throw new Error(
        `${id}: guardedStackNames must name at least one stack (the hooks guard nothing otherwise)`,
      );
    }
    if (props.hooks.length === 0) throw new Error(`${id}: hooks must hold at least one Guard Hook`);

    const logKey = new kms.Key(this, 'ReportsKey', {
      description: 'Encrypts the Guard Hook reports of the OrderBroker stacks',
      enableKeyRotation: true,
      // Deleted if the first create rolls back, retained once it exists (RetainExceptOnCreate).
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    // Grants only for AWS services acting on our resources (Control Tower CT.KMS.PR.3), as the platform keys do.
    logKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyGrantsExceptForAwsServices',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: {
          BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );

    this.logBucket = new s3.Bucket(this, 'Reports', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: logKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [
        {
          expiration: props.reportRetention ?? Duration.days(400),
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    // Object events (a report deleted or overwritten) go to EventBridge (Control Tower CT.S3.PR.4); set on the L1,
    // the L2's `eventBridgeEnabled` deploys a Lambda-backed custom resource to do the same.
    (this.logBucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };

    // The role CloudFormation assumes to run the hooks: read the rule bundles, write reports. Nothing else.
    this.executionRole = new iam.Role(this, 'HookExecutionRole', {
      description: 'Runs the OrderBroker Guard Hooks: reads their rule bundles, writes their reports',
      assumedBy: new iam.ServicePrincipal('hooks.cloudformation.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': this.formatArn({
              service: 'cloudformation',
              resource: 'type',
              resourceName: 'hook/*',
            }),
          },
        },
      }),
    });
    // A customer managed policy rather than an inline one (NIST/PCI IAMNoInlinePolicy).
    this.policy = new iam.ManagedPolicy(this, 'HookExecutionPolicy', {
      description: 'What the OrderBroker Guard Hooks may do: read their rule bundles, write their reports',
      roles: [this.executionRole],
    });
    // Reports: PutObject into the report bucket (the hook chooses the keys), with the key to encrypt them.
    this.policy.addStatements(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.logBucket.arnForObjects('*')],
      }),
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [logKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
      }),
    );

    for (const spec of props.hooks) this.addHook(spec, props.guardedStackNames);
  }

  private addHook(spec: GuardHookSpec, guardedStackNames: readonly string[]): void {
    let ruleLocation: CfnGuardHook.S3LocationProperty;
    if (spec.rules.kind === 'asset') {
      const asset = new Asset(this, `${spec.id}Rules`, {
        path: stageRuleSet(spec.rules.files),
        exclude: ['.complete'],
      });
      this.ruleAssets[spec.id] = asset;
      ruleLocation = { uri: `s3://${asset.s3BucketName}/${asset.s3ObjectKey}` };
      this.grantRead(asset.bucket.bucketArn, asset.s3ObjectKey);
    } else {
      ruleLocation = {
        uri: `s3://${spec.rules.bucketName}/${spec.rules.objectKey}`,
        ...(spec.rules.versionId ? { versionId: spec.rules.versionId } : {}),
      };
      this.grantRead(
        this.formatArn({ service: 's3', region: '', account: '', resource: spec.rules.bucketName }),
        spec.rules.objectKey,
      );
    }
    this.ruleUris[spec.id] = ruleLocation.uri;

    const hook = new CfnGuardHook(this, spec.id, {
      alias: spec.alias,
      executionRole: this.executionRole.roleArn,
      failureMode: spec.failureMode,
      hookStatus: 'ENABLED',
      // STACK: the hook sees the whole proposed template, shaped like the one `cdk synth` checks, so every
      // template rule applies unchanged to every resource of the stack. RESOURCE operations present each resource
      // as `ResourceType`/`ResourceProperties`, where the template rules would only SKIP (docs/deploy-time-policy.md).
      targetOperations: ['STACK'],
      ruleLocation,
      logBucket: this.logBucket.bucketName,
      stackFilters: {
        filteringCriteria: 'ANY',
        stackNames: { include: [...guardedStackNames] },
      },
    });
    // The role's policy must exist before CloudFormation activates a hook that uses it.
    hook.node.addDependency(this.policy);
    this.hooks[spec.id] = hook;

    new CfnOutput(this, `${spec.id}Arn`, { value: hook.attrHookArn });
    new CfnOutput(this, `${spec.id}RuleBundle`, { value: ruleLocation.uri });
  }

  /** Read access to one object (and its versions) for the hook, plus ListBucket on that key only. */
  private grantRead(bucketArn: string, objectKey: string): void {
    this.policy.addStatements(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [`${bucketArn}/${objectKey}`],
      }),
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucketArn],
        conditions: { StringEquals: { 's3:prefix': objectKey } },
      }),
    );
  }
}
