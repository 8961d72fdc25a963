import * as iam from 'aws-cdk-lib/aws-iam';
import { ManagedPolicyAllowListRule } from '../../aspects/iam/managed-policy-allow-list';
import { NoWildcardActionsRule } from '../../aspects/iam/no-wildcard-actions';
import { NoWildcardResourcesRule } from '../../aspects/iam/no-wildcard-resources';
import { TaskRoleGrantsRule } from '../../aspects/iam/task-role-grants';
import { TASK_ROLE_ALLOWED_ACTIONS } from '../../lib/constructs/task-role';
import { findingsOf, ids, ruleTestStack } from '../helpers/rules';

const STREAM_ARN = 'arn:aws:kinesis:us-east-2:111111111111:stream/trades';

function roleWith(...statements: iam.PolicyStatement[]) {
  const t = ruleTestStack();
  const role = new iam.Role(t.stack, 'Role', {
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
  });
  for (const s of statements) role.addToPrincipalPolicy(s);
  return { ...t, role };
}

describe('TAP-IAM-1 no wildcard actions', () => {
  test('passes for named actions', () => {
    const { app } = roleWith(
      new iam.PolicyStatement({ actions: ['kinesis:PutRecord'], resources: [STREAM_ARN] }),
    );
    expect(ids(findingsOf(app, new NoWildcardActionsRule()))).toEqual([]);
  });

  test('fails with TAP-IAM-1 for kinesis:*', () => {
    const { app } = roleWith(new iam.PolicyStatement({ actions: ['kinesis:*'], resources: [STREAM_ARN] }));
    const findings = findingsOf(app, new NoWildcardActionsRule());
    expect(ids(findings)).toEqual(['TAP-IAM-1 @ Role/DefaultPolicy/Resource']);
    expect(findings[0].message).toContain('allows wildcard action(s) kinesis:*');
  });

  test('fails with TAP-IAM-1 for "*" and for NotAction in an Allow', () => {
    const { app } = roleWith(
      new iam.PolicyStatement({ actions: ['*'], resources: [STREAM_ARN] }),
      new iam.PolicyStatement({ notActions: ['iam:*'], resources: [STREAM_ARN] }),
    );
    expect(findingsOf(app, new NoWildcardActionsRule()).map((f) => f.ruleId)).toEqual([
      'TAP-IAM-1',
      'TAP-IAM-1',
    ]);
  });

  test('ignores Deny statements', () => {
    const { app } = roleWith(
      new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:*'], resources: ['*'] }),
    );
    expect(ids(findingsOf(app, new NoWildcardActionsRule()))).toEqual([]);
  });
});

describe('TAP-IAM-2 no wildcard resources', () => {
  test('passes for ecr:GetAuthorizationToken on "*" (no resource-level permissions)', () => {
    const { app } = roleWith(
      new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
    );
    expect(ids(findingsOf(app, new NoWildcardResourcesRule()))).toEqual([]);
  });

  test('fails with TAP-IAM-2 for logs:CreateLogStream on "*"', () => {
    const { app } = roleWith(
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream'], resources: ['*'] }),
    );
    const findings = findingsOf(app, new NoWildcardResourcesRule());
    expect(ids(findings)).toEqual(['TAP-IAM-2 @ Role/DefaultPolicy/Resource']);
    expect(findings[0].message).toContain('allows logs:CreateLogStream on Resource "*"');
  });

  test('fails with TAP-IAM-2 when a scopable action shares a "*" statement with an allow-listed one', () => {
    const { app } = roleWith(
      new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken', 's3:GetObject'], resources: ['*'] }),
    );
    expect(findingsOf(app, new NoWildcardResourcesRule()).map((f) => f.message)).toEqual([
      expect.stringContaining('allows s3:GetObject on Resource "*"'),
    ]);
  });
});

describe('TAP-IAM-3 AWS managed policy allow-list', () => {
  test('passes for AWSLambdaBasicExecutionRole and customer managed policies', () => {
    const { app, stack, role } = roleWith();
    role.addManagedPolicy(
      iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'),
    );
    role.addManagedPolicy(
      new iam.ManagedPolicy(stack, 'Own', {
        statements: [new iam.PolicyStatement({ actions: ['kinesis:PutRecord'], resources: [STREAM_ARN] })],
      }),
    );
    expect(ids(findingsOf(app, new ManagedPolicyAllowListRule()))).toEqual([]);
  });

  test('fails with TAP-IAM-3 for AdministratorAccess', () => {
    const { app, role } = roleWith();
    role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));
    const findings = findingsOf(app, new ManagedPolicyAllowListRule());
    expect(ids(findings)).toEqual(['TAP-IAM-3 @ Role/Resource']);
    expect(findings[0].message).toContain('attaches AWS managed policy AdministratorAccess');
  });
});

describe('TAP-IAM-4 task role holds only its declared grants', () => {
  const grants = [{ actions: ['kinesis:PutRecord', 'kinesis:PutRecords'], resources: [STREAM_ARN] }];
  const contract = (role: iam.Role, declared = grants) =>
    new TaskRoleGrantsRule([{ role, grants: declared, allowedActions: TASK_ROLE_ALLOWED_ACTIONS }]);

  test('passes when the role holds exactly its declared grants', () => {
    const { app, role } = roleWith(
      new iam.PolicyStatement({
        actions: ['kinesis:PutRecord', 'kinesis:PutRecords'],
        resources: [STREAM_ARN],
      }),
    );
    expect(ids(findingsOf(app, contract(role)))).toEqual([]);
  });

  test('fails with TAP-IAM-4 for an undeclared statement, even on the declared resource', () => {
    const { app, role } = roleWith(
      new iam.PolicyStatement({ actions: ['kinesis:PutRecord'], resources: [STREAM_ARN] }),
      new iam.PolicyStatement({ actions: ['kinesis:DeleteStream'], resources: [STREAM_ARN] }),
    );
    const findings = findingsOf(app, contract(role));
    expect(ids(findings)).toEqual(['TAP-IAM-4 @ Role/DefaultPolicy/Resource']);
    expect(findings[0].message).toContain(`kinesis:DeleteStream on ${STREAM_ARN}`);
  });

  test('fails with TAP-IAM-4 for a declared action on another resource', () => {
    const { app, role } = roleWith(
      new iam.PolicyStatement({ actions: ['kinesis:PutRecord'], resources: [`${STREAM_ARN}-other`] }),
    );
    expect(findingsOf(app, contract(role)).map((f) => f.ruleId)).toEqual(['TAP-IAM-4']);
  });

  test('fails with TAP-IAM-4 for a separate policy attached to the role and for a managed policy', () => {
    const { app, stack, role } = roleWith();
    new iam.Policy(stack, 'Extra', {
      roles: [role],
      statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] })],
    });
    role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'));
    expect(ids(findingsOf(app, contract(role)))).toEqual([
      'TAP-IAM-4 @ Extra/Resource',
      'TAP-IAM-4 @ Role/Resource',
    ]);
  });

  test('fails with TAP-IAM-4 on the role when a declared grant is outside the allow-list', () => {
    const { app, role } = roleWith(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [STREAM_ARN] }),
    );
    const findings = findingsOf(
      app,
      contract(role, [{ actions: ['s3:GetObject'], resources: [STREAM_ARN] }]),
    );
    expect(ids(findings)).toEqual(['TAP-IAM-4 @ Role/Resource']);
    expect(findings[0].message).toContain('declares action(s) outside the allow-list: s3:GetObject');
  });
});
