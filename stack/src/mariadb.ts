/**
 * A private MariaDB server for tests (never the system one): its own data directory under the run dir
 * (made by `mariadb-install-db`), TCP on 127.0.0.1 only, its socket in that directory, no grant of its
 * own to the outside. Used by the mysql2 tests; not part of the demo stack.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binaries, requireBinary, runDir } from './paths.ts';
import { assertPortFree } from './ports.ts';
import { runToEnd, spawnManaged, type ManagedProcess } from './process.ts';
import { tcpProbe, waitUntil } from './wait.ts';

/** Options of {@link startMariaDb}. */
export interface MariaDbOptions {
  /** TCP port on 127.0.0.1 (required: tests pass a free port). */
  port: number;
  /** User created at start, with every privilege, from 127.0.0.1 and localhost. Default `faultline`. */
  user?: string;
  /** Its password. Default `faultline`. */
  password?: string;
  /** Database created at start. Default `faultline`. */
  database?: string;
  /** Instance name (log `<name>.log`, directory `<runDir>/<name>`). Default `mariadb-<port>`. */
  name?: string;
  /** Server `max_connections`. Default 100. */
  maxConnections?: number;
  /** Deadline for install + start, ms. Default 60000. */
  readyTimeoutMs?: number;
}

/** A running MariaDB from {@link startMariaDb}. */
export interface MariaDbInstance {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** `mysql://user:password@127.0.0.1:port/database`. */
  url: string;
  process: ManagedProcess;
  /** ms from call to the first accepted TCP connection (data directory creation included). */
  readyMs: number;
  /** SIGTERM (MariaDB shuts down cleanly), SIGKILL after 15 s. Safe to call twice. */
  stop(): Promise<void>;
}

/** SQL string literal (single quotes doubled, backslashes escaped). */
function sqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * Creates a fresh data directory and starts MariaDB on it; the user and database are created by the
 * server's `--init-file` before it accepts connections.
 * @throws Error if the port is taken, a MariaDB binary is missing, `mariadb-install-db` fails (its
 *   output quoted), or no TCP connection is accepted within `readyTimeoutMs` (log tail quoted).
 */
export async function startMariaDb(opts: MariaDbOptions): Promise<MariaDbInstance> {
  const t0 = Date.now();
  const { port } = opts;
  const user = opts.user ?? 'faultline';
  const password = opts.password ?? 'faultline';
  const database = opts.database ?? 'faultline';
  const name = opts.name ?? `mariadb-${port}`;
  const timeoutMs = opts.readyTimeoutMs ?? 60_000;
  const bins = binaries();
  const mariadbd = requireBinary('mariadbd', bins.mariadbd);
  const installDb = requireBinary('mariadb-install-db', bins.mariadbInstallDb);
  await assertPortFree(port, `MariaDB ${name}`);

  const dir = join(runDir(), name);
  const dataDir = join(dir, 'data');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  // mariadbd refuses to run as root unless told so; as any other user it runs as that user.
  const osUser = process.getuid?.() === 0 ? ['--user=root'] : [];
  const install = await runToEnd(
    installDb,
    [...osUser, `--datadir=${dataDir}`, '--auth-root-authentication-method=socket', '--skip-test-db', '--skip-name-resolve'],
    { timeoutMs },
  );
  if (install.code !== 0) throw new Error(`mariadb-install-db failed (exit ${install.code}):\n${install.stdout}${install.stderr}`);

  const initFile = join(dir, 'init.sql');
  const u = sqlString(user);
  const p = sqlString(password);
  writeFileSync(
    initFile,
    [
      `CREATE DATABASE IF NOT EXISTS \`${database.replace(/`/g, '``')}\`;`,
      ...['127.0.0.1', 'localhost'].flatMap((h) => [
        `CREATE USER IF NOT EXISTS ${u}@'${h}' IDENTIFIED BY ${p};`,
        `GRANT ALL PRIVILEGES ON *.* TO ${u}@'${h}';`,
      ]),
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const proc = spawnManaged({
    name,
    command: mariadbd,
    args: [
      '--no-defaults',
      ...osUser,
      `--datadir=${dataDir}`,
      `--socket=${join(dir, 'mariadb.sock')}`,
      `--pid-file=${join(dir, 'mariadb.pid')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      `--init-file=${initFile}`,
      `--max-connections=${opts.maxConnections ?? 100}`,
      // A disposable test server: durability off for speed, small buffers.
      '--innodb-flush-log-at-trx-commit=0',
      '--innodb-buffer-pool-size=32M',
      '--skip-log-bin',
    ],
    graceMs: 15_000,
  });
  const stop = async () => {
    await proc.stop();
  };
  try {
    await waitUntil(`MariaDB on 127.0.0.1:${port}`, tcpProbe(port), { proc, timeoutMs: Math.max(1000, timeoutMs - (Date.now() - t0)) });
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    database,
    url: `mysql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    process: proc,
    readyMs: Date.now() - t0,
    stop,
  };
}
