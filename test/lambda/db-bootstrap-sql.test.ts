/**
 * The bootstrap SQL against a REAL PostgreSQL server started by this file (test/helpers/postgres-server.ts), not an
 * imitation. The cluster mirrors Aurora's shape: a non-superuser master role with CREATEROLE and CREATEDB that owns
 * the `orders` database (as the RDS master user does), and a stand-in `rds_iam` role (Aurora-only; IAM
 * authentication itself cannot run here, so the service user logs in over loopback with trust authentication and
 * the test checks what the database lets it do once it is in).
 */
import type { Client } from 'pg';
import {
  BOOTSTRAP_SQL_VERSION,
  type BootstrapNames,
  IdentifierError,
  quoteIdent,
  type Queryable,
  runBootstrap,
  validateIdentifier,
} from '../../lambda/db-bootstrap/sql';
import { PostgresServer } from '../helpers/postgres-server';

const MASTER = 'orders_admin';
const NAMES: BootstrapNames = {
  database: 'orders',
  user: 'orderbroker',
  schema: 'app',
  schemaOwner: 'orders_owner',
};

let server: PostgresServer;

/** Runs `fn` with a client connected as `user` to `database`, and closes it. */
async function as<T>(user: string, database: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = await server.connect({ user, database });
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The error message of a statement run as the service user, or 'ok'. */
async function attempt(sql: string, database = 'orders', user = NAMES.user): Promise<string> {
  return as(user, database, async (c) => {
    try {
      await c.query(sql);
      return 'ok';
    } catch (err) {
      return (err as Error).message;
    }
  });
}

/** Everything a run may touch, as text: roles, memberships, database, schema, table and default ACLs. */
async function catalogSnapshot(database: string): Promise<Record<string, unknown[]>> {
  return as(PostgresServer.SUPERUSER, database, async (c) => {
    const q = async (sql: string) => (await c.query(sql)).rows;
    return {
      roles: await q(
        'SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls, rolconnlimit ' +
          "FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY rolname",
      ),
      memberships: await q(
        'SELECT r.rolname AS role, u.rolname AS member, g.rolname AS grantor, m.admin_option FROM pg_auth_members m ' +
          'JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member JOIN pg_roles g ON g.oid = m.grantor ' +
          "WHERE r.rolname !~ '^pg_' ORDER BY 1, 2, 3",
      ),
      databases: await q('SELECT datname, datacl::text FROM pg_database ORDER BY datname'),
      schemas: await q(
        "SELECT nspname, pg_get_userbyid(nspowner) AS owner, nspacl::text FROM pg_namespace WHERE nspname !~ '^pg_' ORDER BY nspname",
      ),
      relations: await q(
        "SELECT n.nspname, c.relname, c.relkind, c.relacl::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('app', 'public', 'ledger') ORDER BY 1, 2",
      ),
      defaultAcls: await q(
        'SELECT pg_get_userbyid(defaclrole) AS role, n.nspname, defaclobjtype, defaclacl::text FROM pg_default_acl d ' +
          'LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace ORDER BY 1, 2, 3',
      ),
      tableGrants: await q(
        'SELECT grantor, grantee, table_schema, table_name, privilege_type, is_grantable FROM information_schema.role_table_grants ' +
          "WHERE table_schema IN ('app', 'public', 'ledger') ORDER BY 1, 2, 3, 4, 5",
      ),
    };
  });
}

beforeAll(async () => {
  server = await PostgresServer.start();
  await server.sql(
    'postgres',
    // Aurora-only role, standing in for the one IAM authentication maps to.
    'CREATE ROLE rds_iam NOLOGIN',
    // The RDS master user: not a superuser; CREATEROLE, CREATEDB, owner of the default database.
    `CREATE ROLE ${MASTER} LOGIN CREATEROLE CREATEDB`,
    `GRANT rds_iam TO ${MASTER} WITH ADMIN OPTION`,
    `CREATE DATABASE orders OWNER ${MASTER}`,
    `CREATE DATABASE reporting OWNER ${MASTER}`,
  );
  // The application's schema as a migration leaves it: owned by the migration role, with a table and a sequence,
  // plus a second schema and a table in public that the service must not read.
  await as(MASTER, 'orders', async (c) => {
    for (const s of [
      'CREATE ROLE orders_owner NOLOGIN',
      'GRANT orders_owner TO orders_admin',
      'CREATE SCHEMA app AUTHORIZATION orders_owner',
      'CREATE SCHEMA ledger AUTHORIZATION orders_owner',
      'SET ROLE orders_owner',
      'CREATE TABLE app.orders (id bigserial PRIMARY KEY, symbol text NOT NULL, quantity integer NOT NULL)',
      "INSERT INTO app.orders (symbol, quantity) VALUES ('AMZN', 10)",
      'CREATE TABLE ledger.entries (id integer PRIMARY KEY, amount numeric)',
      'INSERT INTO ledger.entries VALUES (1, 100)',
      'RESET ROLE',
      'CREATE TABLE public.audit (id integer)',
    ])
      await c.query(s);
  });
}, 60000);

afterAll(() => {
  server?.stop();
});

describe('identifiers', () => {
  it('quotes identifiers like quote_ident, doubling embedded quotes', () => {
    expect(quoteIdent('orderbroker')).toBe('"orderbroker"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });

  it.each([
    ['user', 'OrderBroker'],
    ['user', 'order-broker'],
    ['user', 'x"; DROP TABLE app.orders; --'],
    ['schema', ''],
    ['database', 'a'.repeat(64)],
    ['user', 42],
  ])('rejects %s = %p with the key, the value and what is allowed', (key, value) => {
    expect(() => validateIdentifier(key, value)).toThrow(
      new IdentifierError(
        `${key} = ${JSON.stringify(value)}: expected a lower-case PostgreSQL identifier: a letter or underscore, then up to 62 letters, digits or underscores`,
      ),
    );
  });

  it('rejects the reserved pg_ prefix', () => {
    expect(() => validateIdentifier('user', 'pg_monitor')).toThrow(
      'user = "pg_monitor": names starting with pg_ are reserved by PostgreSQL',
    );
  });

  it('runs no statement when a name is invalid, the service user is the owner, or a reserved role is named', async () => {
    const calls: string[] = [];
    const db: Queryable = {
      query: (text: string) => {
        calls.push(text);
        return Promise.resolve({ rows: [] });
      },
    };
    await expect(runBootstrap(db, { ...NAMES, user: 'Bad' })).rejects.toThrow('user = "Bad"');
    await expect(runBootstrap(db, { ...NAMES, user: 'orders_owner' })).rejects.toThrow(
      'user = "orders_owner": the service user must not be the schema owner',
    );
    await expect(runBootstrap(db, { ...NAMES, user: 'rds_superuser' })).rejects.toThrow(
      'user = "rds_superuser": a reserved role cannot be bootstrapped',
    );
    await expect(runBootstrap(db, { ...NAMES, schema: 'public' })).rejects.toThrow(
      'schema = "public": use a dedicated application schema',
    );
    expect(calls).toEqual([]);
  });

  it('has a version the construct passes on, so a change of the SQL re-runs the bootstrap', () => {
    expect(BOOTSTRAP_SQL_VERSION).toMatch(/^\d+$/);
  });
});

describe('bootstrap on a real PostgreSQL server', () => {
  let first: Awaited<ReturnType<typeof runBootstrap>>;
  let before: Record<string, unknown[]>;

  beforeAll(async () => {
    first = await as(MASTER, 'orders', (c) => runBootstrap(c, NAMES));
    before = await catalogSnapshot('orders');
  });

  it('creates the user, keeps the existing schema and owner', () => {
    expect(first).toMatchObject({ userCreated: true, schemaCreated: false, schemaOwnerCreated: false });
  });

  it('lets the service user connect to orders', async () => {
    expect(
      await as(NAMES.user, 'orders', async (c) => (await c.query('SELECT current_user AS u')).rows[0]),
    ).toEqual({
      u: 'orderbroker',
    });
  });

  it('makes the service user a member of rds_iam and of nothing else, with no role attribute', async () => {
    const snap = await catalogSnapshot('orders');
    expect(snap.memberships.filter((m) => (m as { member: string }).member === 'orderbroker')).toEqual([
      expect.objectContaining({ role: 'rds_iam', member: 'orderbroker', admin_option: false }),
    ]);
    expect(snap.roles.find((r) => (r as { rolname: string }).rolname === 'orderbroker')).toEqual({
      rolname: 'orderbroker',
      rolsuper: false,
      rolinherit: true,
      rolcreaterole: false,
      rolcreatedb: false,
      rolcanlogin: true,
      rolreplication: false,
      rolbypassrls: false,
      rolconnlimit: -1,
    });
  });

  it('lets the service user read, insert, update and delete rows and use the sequence', async () => {
    await as(NAMES.user, 'orders', async (c) => {
      expect((await c.query('SELECT symbol FROM app.orders ORDER BY id')).rows).toEqual([{ symbol: 'AMZN' }]);
      await c.query("INSERT INTO app.orders (symbol, quantity) VALUES ('MSFT', 5)");
      await c.query("UPDATE app.orders SET quantity = 6 WHERE symbol = 'MSFT'");
      await c.query("DELETE FROM app.orders WHERE symbol = 'MSFT'");
      expect((await c.query('SELECT count(*)::int AS n FROM app.orders')).rows).toEqual([{ n: 1 }]);
    });
  });

  it.each([
    ['CREATE TABLE app.x (id int)', 'permission denied for schema app'],
    ['CREATE TABLE public.x (id int)', 'permission denied for schema public'],
    ['CREATE SCHEMA x', 'permission denied for database orders'],
    ['CREATE TEMP TABLE x (id int)', 'permission denied to create temporary tables in database "orders"'],
    ['DROP TABLE app.orders', 'must be owner of table orders'],
    ['ALTER TABLE app.orders ADD COLUMN x int', 'must be owner of table orders'],
    ['TRUNCATE app.orders', 'permission denied for table orders'],
    ['CREATE INDEX ON app.orders (symbol)', 'must be owner of table orders'],
    ['SELECT * FROM ledger.entries', 'permission denied for schema ledger'],
    ['SELECT * FROM public.audit', 'permission denied for table audit'],
    ['CREATE ROLE x', 'permission denied to create role'],
    ['CREATE DATABASE x', 'permission denied to create database'],
  ])('refuses the service user: %s', async (sql, message) => {
    expect(await attempt(sql)).toBe(message);
  });

  it('refuses the service user a connection to another database', async () => {
    await expect(as(NAMES.user, 'reporting', () => Promise.resolve())).rejects.toThrow(
      'permission denied for database "reporting"',
    );
  });

  it('reports the databases whose owner it is not and that PUBLIC may still connect to', () => {
    // postgres and template1 belong to the cluster's superuser here (on Aurora: rdsadmin's templates).
    expect(first.databasesStillOpenToPublic).toEqual(['postgres', 'template1']);
  });

  it('gives the service user tables the schema owner creates later (default privileges)', async () => {
    await as(MASTER, 'orders', async (c) => {
      await c.query('SET ROLE orders_owner');
      await c.query('CREATE TABLE app.fills (id bigserial PRIMARY KEY, order_id bigint)');
    });
    await as(NAMES.user, 'orders', async (c) => {
      await c.query('INSERT INTO app.fills (order_id) VALUES (1)');
      expect((await c.query('SELECT order_id::int AS o FROM app.fills')).rows).toEqual([{ o: 1 }]);
    });
    expect(await attempt('DROP TABLE app.fills')).toBe('must be owner of table fills');
    await as(MASTER, 'orders', (c) => c.query('SET ROLE orders_owner; DROP TABLE app.fills'));
  });

  it('changes nothing when it runs a second time', async () => {
    const second = await as(MASTER, 'orders', (c) => runBootstrap(c, NAMES));
    expect(second).toMatchObject({ userCreated: false, schemaCreated: false, schemaOwnerCreated: false });
    expect(await catalogSnapshot('orders')).toEqual(before);
  });

  it('takes CREATEDB and CREATEROLE back from an existing service user', async () => {
    await server.sql('postgres', 'ALTER ROLE orderbroker CREATEDB CREATEROLE');
    await as(MASTER, 'orders', (c) => runBootstrap(c, NAMES));
    expect(await catalogSnapshot('orders')).toEqual(before);
  });

  it('refuses an existing service user that is a superuser, and changes nothing', async () => {
    await server.sql('postgres', 'ALTER ROLE orderbroker SUPERUSER');
    try {
      await expect(as(MASTER, 'orders', (c) => runBootstrap(c, NAMES))).rejects.toThrow(
        'role orderbroker already exists with SUPERUSER: the service user must have none; remove the attribute as a superuser (ALTER ROLE) and deploy again',
      );
    } finally {
      await server.sql('postgres', 'ALTER ROLE orderbroker NOSUPERUSER');
    }
    expect(await catalogSnapshot('orders')).toEqual(before);
  });

  it('refuses an existing service user that is a member of another role', async () => {
    await server.sql('postgres', 'GRANT orders_owner TO orderbroker');
    try {
      await expect(as(MASTER, 'orders', (c) => runBootstrap(c, NAMES))).rejects.toThrow(
        'role orderbroker is a member of orders_owner: the service user may be a member of rds_iam only; REVOKE orders_owner FROM orderbroker and deploy again',
      );
    } finally {
      await server.sql('postgres', 'REVOKE orders_owner FROM orderbroker');
    }
  });

  it('refuses a schema owned by another role than schemaOwner', async () => {
    await expect(
      as(MASTER, 'orders', (c) => runBootstrap(c, { ...NAMES, schemaOwner: 'someone_else' })),
    ).rejects.toThrow('schema app is owned by orders_owner, not someone_else');
  });

  it('refuses to run connected to another database than the one it grants on', async () => {
    await expect(as(MASTER, 'reporting', (c) => runBootstrap(c, NAMES))).rejects.toThrow(
      'connected to database "reporting", expected "orders": the grants are per database',
    );
  });
});

describe('bootstrap of a fresh database', () => {
  const fresh: BootstrapNames = {
    database: 'fresh',
    user: 'svc_fresh',
    schema: 'app',
    schemaOwner: 'fresh_owner',
  };

  beforeAll(async () => {
    await server.sql('postgres', `CREATE DATABASE fresh OWNER ${MASTER}`);
  });

  it('creates the schema owner and the schema when the database has neither', async () => {
    const result = await as(MASTER, 'fresh', (c) => runBootstrap(c, fresh));
    expect(result).toMatchObject({ userCreated: true, schemaCreated: true, schemaOwnerCreated: true });
    const snap = await catalogSnapshot('fresh');
    expect(snap.schemas).toContainEqual(expect.objectContaining({ nspname: 'app', owner: 'fresh_owner' }));
    // The owner can log in as nobody: migrations run as a member of it (SET ROLE), never as the service user.
    expect(snap.roles).toContainEqual(
      expect.objectContaining({ rolname: 'fresh_owner', rolcanlogin: false }),
    );
  });

  it('lets migrations create tables as the owner that the service user then uses', async () => {
    await as(MASTER, 'fresh', (c) => c.query('SET ROLE fresh_owner; CREATE TABLE app.t (id serial, v text)'));
    await as('svc_fresh', 'fresh', async (c) => {
      await c.query("INSERT INTO app.t (v) VALUES ('x')");
      expect((await c.query('SELECT v FROM app.t')).rows).toEqual([{ v: 'x' }]);
    });
    expect(await attempt('CREATE TABLE app.u (id int)', 'fresh', 'svc_fresh')).toBe(
      'permission denied for schema app',
    );
  });

  it('fails with a clear reason when rds_iam does not exist (IAM authentication not available)', async () => {
    await server.sql('postgres', 'CREATE DATABASE no_iam', 'ALTER ROLE rds_iam RENAME TO rds_iam_away');
    try {
      await expect(
        as(PostgresServer.SUPERUSER, 'no_iam', (c) => runBootstrap(c, { ...fresh, database: 'no_iam' })),
      ).rejects.toThrow(
        'role rds_iam does not exist: IAM database authentication needs Aurora/RDS PostgreSQL with iamAuthentication enabled',
      );
    } finally {
      await server.sql('postgres', 'ALTER ROLE rds_iam_away RENAME TO rds_iam');
    }
  });
});
