import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Client, type ClientConfig } from 'pg';

/**
 * A real, throw-away PostgreSQL server for tests: `initdb` into a temporary directory, `pg_ctl start` on a free
 * port on 127.0.0.1 only (no TCP on other interfaces, Unix socket inside the data directory), `stop` removes it.
 *
 * The binaries are the newest `/usr/lib/postgresql/<version>/bin` (Debian's layout; `.ci/run` installs the
 * `postgresql` package when none is there), or `$PG_BIN`. PostgreSQL refuses to run as root: as root, every
 * server command runs as the `postgres` system user (`runuser`), which owns the data directory.
 *
 * Anything that goes wrong throws with the reason and the server log: a test that needs the server FAILS, it
 * never skips.
 */
export class PostgresServer {
  /** Superuser of the cluster (initdb's bootstrap user). */
  public static readonly SUPERUSER = 'postgres';

  private constructor(
    public readonly port: number,
    public readonly version: string,
    private readonly bin: string,
    private readonly dir: string,
    private readonly runAs: string | undefined,
  ) {}

  /** Starts a fresh cluster. */
  public static async start(): Promise<PostgresServer> {
    const bin = findBinaries();
    const version = path.basename(path.dirname(bin));
    const runAs = process.getuid?.() === 0 ? PostgresServer.SUPERUSER : undefined;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tap-pg-'));
    if (runAs) {
      const uid = Number(execFileSync('id', ['-u', runAs]).toString().trim());
      const gid = Number(execFileSync('id', ['-g', runAs]).toString().trim());
      fs.chownSync(dir, uid, gid);
    }
    const port = await freePort();
    const server = new PostgresServer(port, version, bin, dir, runAs);
    const data = path.join(dir, 'data');
    server.run('initdb', [
      '-D',
      data,
      '-U',
      PostgresServer.SUPERUSER,
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    // Loopback only; TCP with trust auth: the tests connect as any role by name, standing in for IAM auth.
    fs.appendFileSync(
      path.join(data, 'postgresql.conf'),
      [
        `listen_addresses = '127.0.0.1'`,
        `port = ${port}`,
        `unix_socket_directories = '${dir}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 20',
        'shared_buffers = 16MB',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(data, 'pg_hba.conf'),
      'local all all trust\nhost all all 127.0.0.1/32 trust\n',
    );
    if (runAs) execFileSync('chown', ['-R', `${runAs}:`, dir]);
    try {
      server.run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', 'start']);
    } catch (err) {
      const log = server.log();
      server.remove();
      throw new Error(`${(err as Error).message}\n--- server log ---\n${log}`);
    }
    return server;
  }

  /** A connected client (as the superuser unless `user` is given). */
  public async connect(config: Partial<ClientConfig> = {}): Promise<Client> {
    const client = new Client({
      host: '127.0.0.1',
      port: this.port,
      user: PostgresServer.SUPERUSER,
      database: 'postgres',
      connectionTimeoutMillis: 5000,
      ...config,
    });
    await client.connect();
    return client;
  }

  /** Runs one or more statements as the superuser on `database`. */
  public async sql(database: string, ...statements: string[]): Promise<void> {
    const client = await this.connect({ database });
    try {
      for (const statement of statements) await client.query(statement);
    } finally {
      await client.end();
    }
  }

  /** Stops the server (immediately: the data is thrown away) and removes its directory. */
  public stop(): void {
    try {
      this.run('pg_ctl', ['-D', path.join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    } finally {
      this.remove();
    }
  }

  private log(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'server.log'), 'utf8').slice(-4000);
    } catch {
      return '(no server log)';
    }
  }

  private remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private run(tool: string, args: string[]): void {
    const exe = path.join(this.bin, tool);
    const [cmd, argv] = this.runAs ? ['runuser', ['-u', this.runAs, '--', exe, ...args]] : [exe, args];
    try {
      execFileSync(cmd, argv, { stdio: 'pipe', cwd: this.dir });
    } catch (err) {
      const e = err as { stderr?: Buffer; stdout?: Buffer; message: string };
      throw new Error(
        `PostgreSQL test server: ${tool} failed (${cmd} ${argv.join(' ')}): ` +
          `${e.stderr?.toString().trim() || e.stdout?.toString().trim() || e.message}`,
      );
    }
  }
}

/** The directory of `initdb`, `pg_ctl` and `postgres`: `$PG_BIN`, else the newest Debian install. */
export function findBinaries(): string {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv) {
    if (!fs.existsSync(path.join(fromEnv, 'initdb'))) {
      throw new Error(
        `PG_BIN = "${fromEnv}": no initdb there; unset it or point it at PostgreSQL's bin directory`,
      );
    }
    return fromEnv;
  }
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      'PostgreSQL test server: no /usr/lib/postgresql/<version>/bin/initdb on this machine; ' +
        'install it (apt-get update && apt-get install -y postgresql; .ci/run does) or set PG_BIN',
    );
  }
  return path.join(root, versions[0], 'bin');
}

/** A TCP port on 127.0.0.1 nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
