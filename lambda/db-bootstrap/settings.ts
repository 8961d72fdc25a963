import { type BootstrapNames, validateNames } from './sql';

/**
 * What the `DbBootstrap` construct passes the custom resource, read from the event's `ResourceProperties`
 * (CloudFormation sends every value as a string). A bad value names the property, the value and what is allowed.
 */
export interface BootstrapProperties extends BootstrapNames {
  /** ARN of the RDS-managed master user secret (`username`, `password`). */
  readonly secretArn: string;
  /** Writer endpoint of the cluster. */
  readonly host: string;
  readonly port: number;
  /** Version of the SQL; only its change matters (it re-runs the bootstrap). */
  readonly sqlVersion: string;
}

/** Property name of each setting in the custom resource. */
export const BOOTSTRAP_PROPERTIES = {
  secretArn: 'SecretArn',
  host: 'Host',
  port: 'Port',
  database: 'Database',
  user: 'User',
  schema: 'Schema',
  schemaOwner: 'SchemaOwner',
  sqlVersion: 'SqlVersion',
} as const satisfies Record<keyof BootstrapProperties, string>;

/** Environment of the function (set by the construct). */
export const BOOTSTRAP_ENV = {
  /** Where the function logs, named in every failure reason. */
  logGroupName: 'LOG_GROUP_NAME',
  /** Give up connecting after this many milliseconds. */
  connectTimeoutMs: 'CONNECT_TIMEOUT_MS',
} as const;

/** Connecting gives up after 10 s: an unreachable database fails the deployment quickly, with the reason. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Reads and checks the resource properties. */
export function loadProperties(raw: Readonly<Record<string, unknown>> | undefined): BootstrapProperties {
  const props = raw ?? {};
  const text = (key: keyof BootstrapProperties, what: string): string => {
    const name = BOOTSTRAP_PROPERTIES[key];
    const value = props[name];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new Error(`resource property ${name} = ${JSON.stringify(value)}: expected ${what}`);
    }
    return value;
  };
  const secretArn = text(
    'secretArn',
    'the ARN of the cluster master secret (arn:<partition>:secretsmanager:...)',
  );
  if (!/^arn:[a-z-]+:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/.test(secretArn)) {
    throw new Error(
      `resource property ${BOOTSTRAP_PROPERTIES.secretArn} = "${secretArn}": expected a Secrets Manager secret ARN`,
    );
  }
  const host = text('host', 'the writer endpoint host name of the cluster');
  const portText = text('port', 'the port of the cluster, an integer from 1 to 65535');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new Error(
      `resource property ${BOOTSTRAP_PROPERTIES.port} = "${portText}": expected an integer from 1 to 65535`,
    );
  }
  const names = validateNames({
    database: text('database', 'the database name'),
    user: text('user', 'the service user name'),
    schema: text('schema', 'the application schema name'),
    schemaOwner: text('schemaOwner', 'the schema owner (migration) role name'),
  });
  return { ...names, secretArn, host, port, sqlVersion: text('sqlVersion', 'the bootstrap SQL version') };
}
