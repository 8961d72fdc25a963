import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  App,
  Aws,
  BootstraplessSynthesizer,
  CfnCondition,
  CfnOutput,
  CfnParameter,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { GovernanceStack, type GuardHookSpec } from './governance-stack';

/** Name of the StackSet stack of a profile: a companion of the governance stack (`OrderBrokerGovernance-<profile>-`). */
export function governanceStackSetStackName(profile: string): string {
  return `OrderBrokerGovernance-${profile}-StackSet`;
}

/** Marks the StackSet stack, so register entries with `stack: 'governance-stackset'` find it (`stackKindOf`). */
export const GOVERNANCE_STACKSET_STACK_MARK = Symbol.for('orderbroker.governance-stackset-stack');

/** The hook execution role every StackSet instance creates (named, so the rule bucket can grant exactly it). */
export function memberHookRoleName(profile: string, region: string): string {
  return `OrderBrokerGuardHook-${profile}-${region}`;
}

/** Where the rule bundles live in the organization's rule bucket: content-addressed by the asset hash. */
export function ruleBundleKey(assetHash: string): string {
  return `rules/${assetHash}.zip`;
}

/** One hook of the member template, with the asset hash of its rule bundle (the governance stack's asset). */
export interface StackSetHook extends Omit<GuardHookSpec, 'rules'> {
  readonly assetHash: string;
}

/** What the member template needs: the same hooks and guarded stacks as the account's governance stack. */
export interface MemberTemplateProps {
  readonly profile: string;
  readonly region: string;
  /** Description of the member stacks. */
  readonly memberDescription: string;
  readonly guardedStackNames: readonly string[];
  readonly hooks: readonly StackSetHook[];
}

/**
 * The template StackSets deploys to every account: the governance stack itself (same construct, same hooks, same
 * guarded stacks), with the rule bundles read from the organization's bucket (stack parameters) instead of CDK file
 * assets (a StackSet publishes no assets), a named execution role, and no CDK bootstrap requirement (member
 * accounts need not be bootstrapped). Synthesized in an app of its own; returned as the template object.
 */
export function memberTemplate(props: MemberTemplateProps): Record<string, unknown> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'stackset-member-'));
  try {
    // No CloudFormation Validate run here: the member template is the governance stack, which the gate validates.
    const app = new App({ outdir, analyticsReporting: false, builtinCloudFormationValidation: false });
    const stack = new GovernanceStack(app, 'Member', {
      synthesizer: new BootstraplessSynthesizer(),
      env: { region: props.region },
      description: props.memberDescription,
      guardedStackNames: props.guardedStackNames,
      executionRoleName: memberHookRoleName(props.profile, props.region),
      hooks: props.hooks.map((h) => ({
        id: h.id,
        alias: h.alias,
        failureMode: h.failureMode,
        rules: { kind: 'parameter' as const },
      })),
    });
    return app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Properties of {@link GovernanceStackSetStack}. */
export interface GovernanceStackSetStackProps extends StackProps, MemberTemplateProps {}

/**
 * The organization's deployment of the governance stack (docs/stackset-runbook.md): a service-managed
 * CloudFormation StackSet, created from the management account or a delegated administrator, that deploys the
 * member template to every account of the target OUs in the profile's region and automatically to accounts that
 * join them later, plus the versioned bucket the instances' hooks read their rule bundles from (readable only by
 * the named hook role of accounts in the organization). StackSets distribute; nothing else does.
 */
export class GovernanceStackSetStack extends Stack {
  public readonly stackSet: CfnStackSet;
  public readonly ruleBucket: s3.Bucket;
  /** The member template (what every account gets). */
  public readonly memberTemplate: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: GovernanceStackSetStackProps) {
    super(scope, id, props);
    Object.defineProperty(this, GOVERNANCE_STACKSET_STACK_MARK, { value: true });
    const organizationId = new CfnParameter(this, 'OrganizationId', {
      type: 'String',
      description: 'AWS Organizations ID (o-...): only its accounts may read the rule bundles',
      allowedPattern: '^o-[a-z0-9]{10,32}$',
    });
    const targetOus = new CfnParameter(this, 'TargetOrganizationalUnitIds', {
      type: 'CommaDelimitedList',
      description: 'OUs (ou-...) or the organization root (r-...) whose accounts get the governance stack',
    });
    const published = new CfnParameter(this, 'RuleBundlesPublished', {
      type: 'String',
      description:
        'true once the rule bundles are in the RuleBundles bucket (docs/stackset-runbook.md); until then the StackSet has no instances',
      allowedValues: ['false', 'true'],
      default: 'false',
    });
    const callAs = new CfnParameter(this, 'CallAs', {
      type: 'String',
      description: 'SELF in the management account, DELEGATED_ADMIN in a delegated administrator account',
      allowedValues: ['SELF', 'DELEGATED_ADMIN'],
      default: 'DELEGATED_ADMIN',
    });
    const hasInstances = new CfnCondition(this, 'RulesPublished', {
      expression: Fn.conditionEquals(published.valueAsString, 'true'),
    });

    this.ruleBucket = new s3.Bucket(this, 'RuleBundles', {
      // SSE-S3: the bundles are the project's Guard rules (no secret); a KMS key would need a cross-account key
      // policy and a grant in every member account for nothing to protect.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      // A published bundle is immutable for a year (keys are content hashes: a new rule set is a new object).
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(365)),
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    (this.ruleBucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
    this.ruleBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'MemberHooksReadRuleBundles',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [this.ruleBucket.arnForObjects('rules/*')],
        conditions: {
          StringEquals: { 'aws:PrincipalOrgID': organizationId.valueAsString },
          ArnLike: {
            'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::*:role/${memberHookRoleName(props.profile, props.region)}`,
          },
        },
      }),
    );

    this.memberTemplate = memberTemplate(props);
    this.stackSet = new CfnStackSet(this, 'StackSet', {
      stackSetName: `OrderBrokerGovernance-${props.profile}`,
      description: props.memberDescription,
      permissionModel: 'SERVICE_MANAGED',
      callAs: callAs.valueAsString,
      // An account leaving the OUs leaves OrderBroker's governance: its instance is deleted, not orphaned unmanaged.
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      // The member template names its hook role.
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        regionConcurrencyType: 'SEQUENTIAL',
        maxConcurrentPercentage: 25,
        failureTolerancePercentage: 0,
      },
      parameters: props.hooks.flatMap((h) => [
        { parameterKey: `${h.id}RuleBucket`, parameterValue: this.ruleBucket.bucketName },
        { parameterKey: `${h.id}RuleKey`, parameterValue: ruleBundleKey(h.assetHash) },
      ]),
      stackInstancesGroup: Fn.conditionIf(
        hasInstances.logicalId,
        // Inside an intrinsic the properties are written as CloudFormation spells them.
        [{ DeploymentTargets: { OrganizationalUnitIds: targetOus.valueAsList }, Regions: [props.region] }],
        Aws.NO_VALUE,
      ),
      templateBody: JSON.stringify(this.memberTemplate),
    });

    new CfnOutput(this, 'RuleBucketName', { value: this.ruleBucket.bucketName });
    for (const h of props.hooks) {
      new CfnOutput(this, `${h.id}RuleKey`, {
        description: `Publish cdk.out/<profile>/asset.${h.assetHash} (zipped) here before targeting OUs`,
        value: ruleBundleKey(h.assetHash),
      });
    }
  }
}
