/**
 * The bootstrap custom resource's handler: Secrets Manager is mocked (aws-sdk-client-mock), the database is a real
 * PostgreSQL server started by this file. Every failure must be a thrown Error with a one-line reason (the CDK
 * provider framework turns it into a FAILED response with that reason), never a hang.
 */
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { X509Certificate } from 'crypto';
import * as net from 'net';
import { type BootstrapDeps, connectPg, onEvent, rdsTls } from '../../lambda/db-bootstrap';
import { BOOTSTRAP_PROPERTIES } from '../../lambda/db-bootstrap/settings';
import { BOOTSTRAP_SQL_VERSION } from '../../lambda/db-bootstrap/sql';
import { freePort, PostgresServer } from '../helpers/postgres-server';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-2:123456789012:secret:rds!cluster-1234-AbCdEf';
const LOGS = '/tap/db-bootstrap';
const secrets = mockClient(SecretsManagerClient);
let server: PostgresServer;
let lines: string[];

function deps(overrides: Partial<BootstrapDeps> = {}): BootstrapDeps {
  return {
    secrets: new SecretsManagerClient({ region: 'us-east-2' }),
    connect: connectPg,
    // The local server has no TLS; production uses rdsTls (tested below).
    tls: () => false,
    connectTimeoutMs: 2000,
    logGroupName: LOGS,
    log: (line) => lines.push(line),
    ...overrides,
  };
}

function event(
  requestType: 'Create' | 'Update' | 'Delete',
  props: Record<string, string | undefined> = {},
): CloudFormationCustomResourceEvent {
  const ResourceProperties = {
    ServiceToken: 'arn:aws:lambda:us-east-2:123456789012:function:provider',
    [BOOTSTRAP_PROPERTIES.secretArn]: SECRET_ARN,
    [BOOTSTRAP_PROPERTIES.host]: '127.0.0.1',
    [BOOTSTRAP_PROPERTIES.port]: String(server.port),
    [BOOTSTRAP_PROPERTIES.database]: 'orders',
    [BOOTSTRAP_PROPERTIES.user]: 'orderbroker',
    [BOOTSTRAP_PROPERTIES.schema]: 'app',
    [BOOTSTRAP_PROPERTIES.schemaOwner]: 'orders_owner',
    [BOOTSTRAP_PROPERTIES.sqlVersion]: BOOTSTRAP_SQL_VERSION,
    ...props,
  } as Record<string, string> & { ServiceToken: string };
  for (const key of Object.keys(ResourceProperties)) {
    if (ResourceProperties[key] === undefined) delete ResourceProperties[key];
  }
  const base = {
    ServiceToken: ResourceProperties.ServiceToken,
    ResponseURL: 'https://example.invalid/response',
    StackId: 'arn:aws:cloudformation:us-east-2:123456789012:stack/OrderBroker-dev/1',
    RequestId: 'req-1',
    LogicalResourceId: 'DbBootstrap',
    ResourceType: 'Custom::DatabaseBootstrap',
    ResourceProperties,
  };
  if (requestType === 'Create') return { ...base, RequestType: 'Create' };
  if (requestType === 'Update') {
    return {
      ...base,
      RequestType: 'Update',
      PhysicalResourceId: 'orders/orderbroker',
      OldResourceProperties: { ServiceToken: ResourceProperties.ServiceToken },
    };
  }
  return { ...base, RequestType: 'Delete', PhysicalResourceId: 'orders/orderbroker' };
}

function secretIs(value: unknown) {
  secrets
    .on(GetSecretValueCommand, { SecretId: SECRET_ARN })
    .resolves({ SecretString: typeof value === 'string' ? value : JSON.stringify(value) });
}

beforeAll(async () => {
  server = await PostgresServer.start();
  await server.sql(
    'postgres',
    'CREATE ROLE rds_iam NOLOGIN',
    'CREATE ROLE orders_admin LOGIN CREATEROLE CREATEDB',
    'GRANT rds_iam TO orders_admin WITH ADMIN OPTION',
    'CREATE DATABASE orders OWNER orders_admin',
  );
}, 60000);

afterAll(() => server?.stop());

beforeEach(() => {
  secrets.reset();
  lines = [];
});

describe('Create and Update', () => {
  it('creates the user with the master credentials from the secret and returns a stable physical ID', async () => {
    secretIs({ username: 'orders_admin', password: 'from-rds' });
    const response = await onEvent(event('Create'), deps());
    expect(response).toEqual({
      PhysicalResourceId: 'orders/orderbroker',
      Data: {
        User: 'orderbroker',
        Schema: 'app',
        UserCreated: 'true',
        DatabasesStillOpenToPublic: 'postgres,template1',
      },
    });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    const roles = await server.connect({ database: 'orders' });
    try {
      expect(
        (await roles.query("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'orderbroker'")).rows,
      ).toEqual([{ rolcanlogin: true }]);
    } finally {
      await roles.end();
    }
  });

  it('is idempotent on Update: same physical ID, user already there', async () => {
    secretIs({ username: 'orders_admin', password: 'from-rds' });
    const response = await onEvent(event('Update'), deps());
    expect(response.PhysicalResourceId).toBe('orders/orderbroker');
    expect(response.Data?.UserCreated).toBe('false');
  });
});

describe('Delete', () => {
  it('leaves the user in place and touches neither the secret nor the database', async () => {
    const connect = jest.fn();
    const response = await onEvent(event('Delete'), deps({ connect }));
    expect(response).toEqual({ PhysicalResourceId: 'orders/orderbroker' });
    expect(secrets.calls()).toHaveLength(0);
    expect(connect).not.toHaveBeenCalled();
  });
});

describe('bad input fails with a clear reason', () => {
  it.each([
    [{ username: 'orders_admin' }, 'has no "password" field (a non-empty string)'],
    [{ password: 'x' }, 'has no "username" field (a non-empty string)'],
    [{ username: '', password: 'x' }, 'has no "username" field (a non-empty string)'],
  ])('a secret %p', async (value, reason) => {
    secretIs(value);
    await expect(onEvent(event('Create'), deps())).rejects.toThrow(
      `database bootstrap: master secret ${SECRET_ARN} ${reason}; the RDS-managed master secret holds username and password (function logs: ${LOGS})`,
    );
  });

  it('a secret that is not JSON', async () => {
    secretIs('not json');
    await expect(onEvent(event('Create'), deps())).rejects.toThrow(
      `database bootstrap: master secret ${SECRET_ARN} is not JSON (expected {"username": ..., "password": ...})`,
    );
  });

  it('a secret that cannot be read', async () => {
    secrets.on(GetSecretValueCommand).rejects(
      new ResourceNotFoundException({
        message: "Secrets Manager can't find the specified secret.",
        $metadata: {},
      }),
    );
    await expect(onEvent(event('Create'), deps())).rejects.toThrow(
      `database bootstrap: cannot read the master secret ${SECRET_ARN}: ResourceNotFoundException: Secrets Manager can't find the specified secret.`,
    );
  });

  it.each([
    [
      BOOTSTRAP_PROPERTIES.host,
      undefined,
      'resource property Host = undefined: expected the writer endpoint host name of the cluster',
    ],
    [
      BOOTSTRAP_PROPERTIES.port,
      '70000',
      'resource property Port = "70000": expected an integer from 1 to 65535',
    ],
    [
      BOOTSTRAP_PROPERTIES.secretArn,
      'my-secret',
      'resource property SecretArn = "my-secret": expected a Secrets Manager secret ARN',
    ],
    [
      BOOTSTRAP_PROPERTIES.user,
      'Order-Broker',
      'user = "Order-Broker": expected a lower-case PostgreSQL identifier',
    ],
  ])('property %s = %p', async (key, value, reason) => {
    await expect(onEvent(event('Create', { [key]: value }), deps())).rejects.toThrow(
      `database bootstrap: ${reason}`,
    );
    expect(secrets.calls()).toHaveLength(0);
  });

  it('a database nobody listens on (connection refused)', async () => {
    secretIs({ username: 'orders_admin', password: 'x' });
    const port = await freePort();
    await expect(
      onEvent(event('Create', { [BOOTSTRAP_PROPERTIES.port]: String(port) }), deps()),
    ).rejects.toThrow(
      new RegExp(
        `^database bootstrap: cannot connect to 127\\.0\\.0\\.1:${port}/orders as orders_admin within 2 s: .*ECONNREFUSED.*` +
          `security group admits the bootstrap function's group on port ${port} \\(function logs: ${LOGS}\\)$`,
      ),
    );
  });

  it('a database that never answers gives up after the connect timeout, not the Lambda or CloudFormation timeout', async () => {
    secretIs({ username: 'orders_admin', password: 'x' });
    // Accepts TCP and never speaks: what a black-holed security group or a stopped writer looks like to a client.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const started = Date.now();
    try {
      await expect(
        onEvent(
          event('Create', { [BOOTSTRAP_PROPERTIES.port]: String(port) }),
          deps({ connectTimeoutMs: 500 }),
        ),
      ).rejects.toThrow(
        `cannot connect to 127.0.0.1:${port}/orders as orders_admin within 0.5 s: timeout expired`,
      );
    } finally {
      silent.close();
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a server without TLS when TLS is required (production settings)', async () => {
    secretIs({ username: 'orders_admin', password: 'x' });
    await expect(onEvent(event('Create'), deps({ tls: rdsTls }))).rejects.toThrow(
      'The server does not support SSL connections',
    );
  });

  it('a SQL failure names the target and the statement error', async () => {
    secretIs({ username: 'orders_admin', password: 'x' });
    await expect(
      onEvent(event('Create', { [BOOTSTRAP_PROPERTIES.schemaOwner]: 'not_the_owner' }), deps()),
    ).rejects.toThrow(
      `database bootstrap on 127.0.0.1:${server.port}/orders failed: schema app is owned by orders_owner, not not_the_owner`,
    );
  });
});

describe('TLS to Aurora', () => {
  it('verifies the server certificate against the bundled Amazon RDS roots, and the host name', () => {
    const tls = rdsTls('orders-dev.cluster-abc.us-east-2.rds.amazonaws.com');
    expect(tls).toMatchObject({
      rejectUnauthorized: true,
      servername: 'orders-dev.cluster-abc.us-east-2.rds.amazonaws.com',
    });
    const subjects = (tls.ca as string[]).map((pem) => new X509Certificate(pem).subject.replace(/\n/g, ', '));
    // The current us-east-2 roots (rds-ca-rsa2048-g1 is the default CA of new clusters).
    for (const root of ['RSA2048 G1', 'RSA4096 G1', 'ECC384 G1']) {
      expect(subjects).toContainEqual(expect.stringContaining(`CN=Amazon RDS us-east-2 Root CA ${root}`));
    }
  });
});
