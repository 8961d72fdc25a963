import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Properties of {@link PlatformKeys}. */
export interface PlatformKeysProps {
  /** Prefix of the key aliases, e.g. `orderbroker-dev`. */
  readonly aliasPrefix: string;
}

/**
 * The customer managed KMS keys of the platform, one per concern so a key policy grants one service family:
 * data at rest (trades stream, orders database), logs (CloudWatch Logs) and alerts (SNS).
 *
 * Keys are retained on stack deletion and rotate yearly (NIST SC-12, PCI 3.6.4): losing a key loses the data.
 */
export class PlatformKeys extends Construct {
  /** Encrypts the trades stream and the orders database. */
  public readonly dataKey: kms.Key;
  /** Encrypts the service, flow-log and hook log groups. */
  public readonly logsKey: kms.Key;
  /** Encrypts the SRE alarm topic. */
  public readonly alertsKey: kms.Key;

  constructor(scope: Construct, id: string, props: PlatformKeysProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.dataKey = this.key(
      'DataKey',
      `${props.aliasPrefix}/data`,
      'OrderBroker data at rest: trades stream, orders database',
    );
    this.logsKey = this.key('LogsKey', `${props.aliasPrefix}/logs`, 'OrderBroker CloudWatch Logs log groups');
    this.alertsKey = this.key('AlertsKey', `${props.aliasPrefix}/alerts`, 'OrderBroker SRE alarm topic');

    // CloudWatch Logs encrypts with the key only for log groups of this account and region.
    this.logsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsOfThisAccount',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );

    // CloudWatch alarms publish to the encrypted SNS topic; without this the notification is dropped silently.
    this.alertsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }

  private key(id: string, alias: string, description: string): kms.Key {
    const key = new kms.Key(this, id, {
      alias,
      description,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    // Grants only for AWS services acting on our resources (RDS, Performance Insights): nobody can hand out
    // lasting access to the key with a grant (Control Tower CT.KMS.PR.3).
    key.addToResourcePolicy(
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
    return key;
  }
}
