import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';

/** The only actions the OrderBroker task role may hold. The least-privilege rules check against this list. */
export const TASK_ROLE_ALLOWED_ACTIONS = [
  'kinesis:PutRecord',
  'kinesis:PutRecords',
  'kms:GenerateDataKey',
  'rds-db:connect',
];

/** One permission the task role is declared to hold. The compliance gate allows it nothing else (TAP-IAM-4). */
export interface TaskRoleGrant {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

/** Properties of {@link OrderBrokerTaskRole}. */
export interface OrderBrokerTaskRoleProps {
  /** The `trades` stream the service writes to. */
  readonly tradesStream: kinesis.IStream;
  /** The stream's customer managed key, if it uses one. */
  readonly tradesStreamKey?: kms.IKey;
  /** The `orders` cluster the service connects to with IAM authentication. */
  readonly ordersDatabase: rds.IDatabaseCluster;
  /** The database user the service connects as. */
  readonly dbUser: string;
}

/**
 * The OrderBroker task role: write to the `trades` stream and connect to the `orders` database as one
 * database user. Nothing else — metrics go out through the log driver (Embedded Metric Format), which is
 * the execution role's job, so the task role needs no CloudWatch permission.
 *
 * Written as explicit statements instead of `grantWrite()`, which would also add `kinesis:ListShards`
 * and the broader `kms:Encrypt`/`ReEncrypt*` actions the producer does not use.
 */
export class OrderBrokerTaskRole extends Construct {
  public readonly role: iam.Role;
  /** Every permission this construct gave the role: the whole of what the role may hold. */
  public readonly grants: readonly TaskRoleGrant[];

  constructor(scope: Construct, id: string, props: OrderBrokerTaskRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.role = new iam.Role(this, 'Role', {
      description: 'OrderBroker tasks: write trades, connect to orders as the service user. Nothing else.',
      // Confused-deputy guard: only ECS tasks of this account and region can assume the role.
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'ecs',
              resource: '*',
              arnFormat: ArnFormat.NO_RESOURCE_NAME,
            }),
          },
        },
      }),
    });

    const grants: TaskRoleGrant[] = [
      {
        sid: 'WriteTrades',
        actions: ['kinesis:PutRecord', 'kinesis:PutRecords'],
        resources: [props.tradesStream.streamArn],
      },
    ];
    if (props.tradesStreamKey) {
      grants.push({
        sid: 'EncryptTrades',
        actions: ['kms:GenerateDataKey'],
        resources: [props.tradesStreamKey.keyArn],
      });
    }
    grants.push({
      sid: 'ConnectOrdersDatabase',
      actions: ['rds-db:connect'],
      resources: [
        stack.formatArn({
          service: 'rds-db',
          resource: 'dbuser',
          resourceName: `${props.ordersDatabase.clusterResourceIdentifier}/${props.dbUser}`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    });
    for (const grant of grants) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: grant.sid,
          actions: [...grant.actions],
          resources: [...grant.resources],
        }),
      );
    }
    this.grants = grants;
  }
}
