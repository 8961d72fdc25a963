/**
 * The SQL of the database bootstrap: creates the IAM-authenticated service user of the `orders` database with
 * exactly the privileges the service needs, and nothing else. Every statement is idempotent: a second run on
 * the same database changes no catalog row (test/db-bootstrap/sql.test.ts compares catalog snapshots).
 *
 * Names enter only as validated identifiers, quoted with {@link quoteIdent}; nothing else is interpolated.
 */

/** The smallest part of a PostgreSQL client the bootstrap needs (`pg.Client` has it). */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
}

/** Names the bootstrap works on. */
export interface BootstrapNames {
  /** The database the service connects to (`orders`). */
  readonly database: string;
  /** The service's login role, authenticated by IAM through `rds_iam` (`orderbroker`). */
  readonly user: string;
  /** The application schema whose tables the service reads and writes (`app`). */
  readonly schema: string;
  /** The role that owns the schema and its tables and runs the migrations (DDL); never the service user. */
  readonly schemaOwner: string;
}

/** What a run did, for the function's log and the custom resource's data. */
export interface BootstrapResult {
  /** True when the service user did not exist before this run. */
  readonly userCreated: boolean;
  readonly schemaCreated: boolean;
  readonly schemaOwnerCreated: boolean;
  /**
   * Other databases on which PUBLIC (and so the service user) keeps CONNECT because the bootstrap's role may not
   * revoke it (it does not own them, e.g. a template database owned by `rdsadmin`).
   */
  readonly databasesStillOpenToPublic: string[];
}

/**
 * Version of these statements. The construct passes it as a property of the custom resource, so a change to the
 * SQL re-runs the bootstrap on the next deployment. Raise it with every change of {@link runBootstrap}.
 */
export const BOOTSTRAP_SQL_VERSION = '1';

/** The role Aurora PostgreSQL maps IAM database authentication to. */
export const RDS_IAM_ROLE = 'rds_iam';

/**
 * Lower-case letter or underscore, then lower-case letters, digits or underscores, 63 bytes at most (PostgreSQL's
 * NAMEDATALEN - 1). Lower case only: IAM database authentication matches the user name case-sensitively, and an
 * unquoted name in a migration folds to lower case.
 */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Thrown for a name the bootstrap refuses, before any statement runs. */
export class IdentifierError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentifierError';
  }
}

/**
 * Checks a name against {@link IDENTIFIER} and PostgreSQL's reserved role prefix; the message names the key, the
 * value and what is allowed.
 */
export function validateIdentifier(key: string, value: unknown): string {
  const allowed =
    'expected a lower-case PostgreSQL identifier: a letter or underscore, then up to 62 letters, digits or underscores';
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new IdentifierError(`${key} = ${JSON.stringify(value)}: ${allowed}`);
  }
  if (value.startsWith('pg_')) {
    throw new IdentifierError(`${key} = "${value}": names starting with pg_ are reserved by PostgreSQL`);
  }
  return value;
}

/** Quotes an identifier the way PostgreSQL's `quote_ident` does (always quoted, embedded quotes doubled). */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new IdentifierError(`identifier contains a NUL character: ${name}`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** Validates all names and that the service user is neither the schema owner nor a reserved role. */
export function validateNames(names: BootstrapNames): BootstrapNames {
  const v: BootstrapNames = {
    database: validateIdentifier('database', names.database),
    user: validateIdentifier('user', names.user),
    schema: validateIdentifier('schema', names.schema),
    schemaOwner: validateIdentifier('schemaOwner', names.schemaOwner),
  };
  if (v.user === v.schemaOwner) {
    throw new IdentifierError(
      `user = "${v.user}": the service user must not be the schema owner (schemaOwner runs the DDL)`,
    );
  }
  for (const [key, value] of [
    ['user', v.user],
    ['schemaOwner', v.schemaOwner],
  ] as const) {
    if (['public', RDS_IAM_ROLE, 'rdsadmin', 'rds_superuser', 'postgres'].includes(value)) {
      throw new IdentifierError(`${key} = "${value}": a reserved role cannot be bootstrapped`);
    }
  }
  if (v.schema === 'public' || v.schema === 'information_schema') {
    throw new IdentifierError(`schema = "${v.schema}": use a dedicated application schema, not ${v.schema}`);
  }
  return v;
}

/** Role attributes the service user must never have. */
const FORBIDDEN_ATTRIBUTES = {
  rolsuper: 'SUPERUSER',
  rolcreatedb: 'CREATEDB',
  rolcreaterole: 'CREATEROLE',
  rolreplication: 'REPLICATION',
  rolbypassrls: 'BYPASSRLS',
} as const;

/**
 * Creates or repairs the service user and its privileges, in one transaction, as the connected role (the RDS
 * master user: CREATEROLE, owner of the database). Statements, in order:
 *
 * 1. the schema owner (NOLOGIN) when missing, and membership of the connected role in it, so the grants below
 *    and later migrations run as the owner (`SET ROLE`);
 * 2. the service user when missing (`LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`), or a
 *    check that an existing one has none of those attributes and no role but `rds_iam`; then `GRANT rds_iam`;
 * 3. the database: PUBLIC loses CONNECT and TEMPORARY on it, the user gets CONNECT only; on every other database
 *    the connected role may change, PUBLIC and the user lose CONNECT and TEMPORARY;
 * 4. the `public` schema: no CREATE for PUBLIC (PostgreSQL before 15 granted it);
 * 5. the application schema (created, owned by the owner, when missing): USAGE for the user, no CREATE; SELECT,
 *    INSERT, UPDATE, DELETE on its tables (TRUNCATE, REFERENCES, TRIGGER revoked); USAGE and SELECT on its
 *    sequences; the same as default privileges for what the owner creates later.
 */
export async function runBootstrap(db: Queryable, input: BootstrapNames): Promise<BootstrapResult> {
  const names = validateNames(input);
  const user = quoteIdent(names.user);
  const owner = quoteIdent(names.schemaOwner);
  const schema = quoteIdent(names.schema);
  const database = quoteIdent(names.database);

  const current = await db.query('SELECT current_database() AS db, current_user AS me');
  if (current.rows[0]?.db !== names.database) {
    throw new Error(
      `connected to database "${String(current.rows[0]?.db)}", expected "${names.database}": the grants are per database`,
    );
  }
  const me = String(current.rows[0]?.me);
  if (me === names.user) {
    throw new Error(`user = "${names.user}" is the role the bootstrap connects as (the master user)`);
  }

  await db.query('BEGIN');
  try {
    // A migration holding a lock on the schema's tables must not hang the deployment.
    await db.query("SET LOCAL lock_timeout = '10s'");
    await db.query("SET LOCAL statement_timeout = '30s'");

    const exists = async (sql: string, values: unknown[]) => (await db.query(sql, values)).rows.length > 0;
    const roleExists = (name: string) =>
      exists('SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1', [name]);

    if (!(await roleExists(RDS_IAM_ROLE))) {
      throw new Error(
        `role ${RDS_IAM_ROLE} does not exist: IAM database authentication needs Aurora/RDS PostgreSQL with iamAuthentication enabled`,
      );
    }

    // 1. The schema owner, and the connected role's membership in it.
    const schemaOwnerCreated = !(await roleExists(names.schemaOwner));
    if (schemaOwnerCreated) await db.query(`CREATE ROLE ${owner} NOLOGIN`);
    // PostgreSQL 16+ gives the creator of a role ADMIN on it without SET; the options make the grant usable there.
    const version = Number((await db.query('SHOW server_version_num')).rows[0]?.server_version_num);
    await db.query(
      `GRANT ${owner} TO CURRENT_USER${version >= 160000 ? ' WITH INHERIT TRUE, SET TRUE' : ''}`,
    );

    // 2. The service user.
    const userCreated = !(await roleExists(names.user));
    const refuseAttributes = async () => {
      const attrs = (
        await db.query(
          'SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = $1',
          [names.user],
        )
      ).rows[0];
      const bad = Object.entries(FORBIDDEN_ATTRIBUTES)
        .filter(([column]) => attrs?.[column] === true)
        .map(([, attribute]) => attribute);
      if (bad.length > 0) {
        throw new Error(
          `role ${names.user} already exists with ${bad.join(', ')}: the service user must have none; ` +
            'remove the attribute as a superuser (ALTER ROLE) and deploy again',
        );
      }
    };
    if (userCreated) {
      await db.query(
        `CREATE ROLE ${user} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT`,
      );
    } else {
      // A CREATEROLE role may take back CREATEDB and CREATEROLE; SUPERUSER, REPLICATION and BYPASSRLS only a
      // superuser can, so an existing user that has one is refused (checked first: ALTER ROLE would fail on it).
      const privileged = (
        await db.query(
          'SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1 AND (rolsuper OR rolreplication OR rolbypassrls)',
          [names.user],
        )
      ).rows.length;
      if (privileged > 0) await refuseAttributes();
      await db.query(`ALTER ROLE ${user} WITH LOGIN NOCREATEDB NOCREATEROLE`);
    }
    await refuseAttributes();
    const memberOf = (
      await db.query(
        'SELECT r.rolname FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles r ON r.oid = m.roleid ' +
          'JOIN pg_catalog.pg_roles u ON u.oid = m.member WHERE u.rolname = $1 AND r.rolname <> $2 ORDER BY 1',
        [names.user, RDS_IAM_ROLE],
      )
    ).rows.map((r) => String(r.rolname));
    if (memberOf.length > 0) {
      throw new Error(
        `role ${names.user} is a member of ${memberOf.join(', ')}: the service user may be a member of ${RDS_IAM_ROLE} only; ` +
          `REVOKE ${memberOf.join(', ')} FROM ${names.user} and deploy again`,
      );
    }
    await db.query(`GRANT ${quoteIdent(RDS_IAM_ROLE)} TO ${user}`);

    // 3. Databases: this one for the user only, the others for nobody but their owners.
    await db.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${database} FROM PUBLIC`);
    await db.query(`REVOKE CREATE, TEMPORARY ON DATABASE ${database} FROM ${user}`);
    await db.query(`GRANT CONNECT ON DATABASE ${database} TO ${user}`);
    const others = (
      await db.query(
        'SELECT datname, pg_catalog.pg_has_role(current_user, datdba, $2) AS mine FROM pg_catalog.pg_database ' +
          'WHERE datname <> $1 AND datallowconn ORDER BY datname',
        [names.database, 'USAGE'],
      )
    ).rows;
    const databasesStillOpenToPublic: string[] = [];
    for (const row of others) {
      const name = String(row.datname);
      if (row.mine === true) {
        await db.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${quoteIdent(name)} FROM PUBLIC`);
        await db.query(`REVOKE ALL ON DATABASE ${quoteIdent(name)} FROM ${user}`);
      } else if (
        await exists('SELECT 1 WHERE pg_catalog.has_database_privilege($1, $2, $3)', [
          names.user,
          name,
          'CONNECT',
        ])
      ) {
        databasesStillOpenToPublic.push(name);
      }
    }

    // 4. No DDL in the public schema for anyone but its owner.
    await db.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');

    // 5. The application schema, as its owner.
    const schemaRow = (
      await db.query(
        'SELECT pg_catalog.pg_get_userbyid(nspowner) AS owner FROM pg_catalog.pg_namespace WHERE nspname = $1',
        [names.schema],
      )
    ).rows[0];
    const schemaCreated = schemaRow === undefined;
    if (schemaCreated) {
      await db.query(`CREATE SCHEMA ${schema} AUTHORIZATION ${owner}`);
    } else if (schemaRow.owner !== names.schemaOwner) {
      throw new Error(
        `schema ${names.schema} is owned by ${String(schemaRow.owner)}, not ${names.schemaOwner}: ` +
          `set schemaOwner to its owner, or ALTER SCHEMA ${names.schema} OWNER TO ${names.schemaOwner}`,
      );
    }
    await db.query(`SET LOCAL ROLE ${owner}`);
    await db.query(`REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC`);
    await db.query(`REVOKE CREATE ON SCHEMA ${schema} FROM ${user}`);
    await db.query(`GRANT USAGE ON SCHEMA ${schema} TO ${user}`);
    await db.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${user}`);
    await db.query(`REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA ${schema} FROM ${user}`);
    await db.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${user}`);
    await db.query(`REVOKE UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${user}`);
    await db.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${user}`,
    );
    await db.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${schema} GRANT USAGE, SELECT ON SEQUENCES TO ${user}`,
    );
    await db.query('RESET ROLE');
    await db.query('COMMIT');
    return { userCreated, schemaCreated, schemaOwnerCreated, databasesStillOpenToPublic };
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
