/**
 * A private PostgreSQL cluster for faultline (never the system cluster): its own data directory under
 * the run dir, TCP on 127.0.0.1 only, its unix socket in its own directory, password auth over TCP.
 * Run as the OS user `postgres` when this process is root (PostgreSQL refuses to run as root).
 */
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaries, requireBinary, runDir } from './paths.ts';
import { assertPortFree } from './ports.ts';
import { runToEnd, spawnManaged, type ManagedProcess } from './process.ts';
import { userIds } from './users.ts';
import { waitUntil } from './wait.ts';

/** Default TCP port of faultline's PostgreSQL (native and compose), below the ephemeral ports (`EPHEMERAL_PORTS_FROM` in ports.ts). */
export const POSTGRES_PORT = 15432;

/** Options of {@link startPostgres}. */
export interface PostgresOptions {
  /** TCP port on 127.0.0.1. Default {@link POSTGRES_PORT} (15432). */
  port?: number;
  /** Role (superuser) created by initdb. Default `faultline`. */
  user?: string;
  /** Its password (scram-sha-256 over TCP; the unix socket trusts). Default `faultline`. */
  password?: string;
  /** Database created at start. Default `faultline`. */
  database?: string;
  /** Instance name (log `<name>.log`, directory `<runDir>/<name>`). Default `postgres`, or `postgres-<port>` off the default port. */
  name?: string;
  /** Keep the data directory of a previous start (default false: a fresh cluster every start). */
  keepData?: boolean;
  /** Extra server settings, passed as `-c key=value`. */
  settings?: Record<string, string>;
  /** Deadline for initdb + start + database creation, ms. Default 60000. */
  readyTimeoutMs?: number;
}

/** A running PostgreSQL from {@link startPostgres}. */
export interface PostgresInstance {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** `postgres://user:password@127.0.0.1:port/database`. */
  url: string;
  /** libpq variables for clients: PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE. */
  env: Record<string, string>;
  dataDir: string;
  socketDir: string;
  process: ManagedProcess;
  /** ms from call to ready (initdb included). */
  readyMs: number;
  /** Fast shutdown (SIGINT: disconnects clients), SIGKILL after 15 s. Safe to call twice. */
  stop(): Promise<void>;
}

/** A directory the `postgres` user can use: `preferred` if it can, else one under the system tmp dir. */
async function usableDir(preferred: string, user: string | undefined, name: string): Promise<string> {
  mkdirSync(preferred, { recursive: true });
  if (!user) return preferred;
  const { uid, gid } = userIds(user);
  chownSync(preferred, uid, gid);
  const probe = await runToEnd('test', ['-w', preferred, '-a', '-x', preferred], { user });
  if (probe.code === 0) return preferred;
  const alt = join(tmpdir(), `faultline-${createHash('sha256').update(preferred).digest('hex').slice(0, 8)}-${name}`);
  mkdirSync(alt, { recursive: true });
  chownSync(alt, uid, gid);
  return alt;
}

/**
 * Creates (unless `keepData` and one exists) and starts a private cluster, waits until it accepts
 * connections, and creates the database.
 * @throws Error if the port is taken, a PostgreSQL binary is missing, initdb fails (its output quoted),
 *   or the server is not ready within `readyTimeoutMs` (log tail quoted).
 */
export async function startPostgres(opts: PostgresOptions = {}): Promise<PostgresInstance> {
  const t0 = Date.now();
  const port = opts.port ?? POSTGRES_PORT;
  const user = opts.user ?? 'faultline';
  const password = opts.password ?? 'faultline';
  const database = opts.database ?? 'faultline';
  const name = opts.name ?? (port === POSTGRES_PORT ? 'postgres' : `postgres-${port}`);
  const timeoutMs = opts.readyTimeoutMs ?? 60_000;
  const bin = (b: string) => requireBinary(`PostgreSQL's ${b}`, join(binaries().pgBin, b));
  await assertPortFree(port, `PostgreSQL ${name}`);

  const osUser = process.getuid?.() === 0 ? 'postgres' : undefined;
  const dir = await usableDir(join(runDir(), name), osUser, name);
  const dataDir = join(dir, 'data');
  let socketDir = join(dir, 'sock');
  if (`${socketDir}/.s.PGSQL.${port}`.length > 100) socketDir = await usableDir(join(tmpdir(), `faultline-sock-${port}`), osUser, name);
  if (!opts.keepData) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(socketDir, { recursive: true });
  if (osUser) {
    const { uid, gid } = userIds(osUser);
    chownSync(socketDir, uid, gid);
  }

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    const pwfile = join(dir, 'pwfile');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (osUser) {
      const { uid, gid } = userIds(osUser);
      chownSync(pwfile, uid, gid);
    }
    const init = await runToEnd(
      bin('initdb'),
      [
        '-D',
        dataDir,
        '-U',
        user,
        `--pwfile=${pwfile}`,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
      ],
      { user: osUser, timeoutMs },
    );
    rmSync(pwfile, { force: true });
    if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code}):\n${init.stdout}${init.stderr}`);
  }

  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: socketDir,
    max_connections: '200',
    // A disposable demo/test cluster: durability off for speed.
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    ...opts.settings,
  };
  const proc = spawnManaged({
    name,
    command: bin('postgres'),
    args: ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])],
    user: osUser,
    stopSignal: 'SIGINT',
    graceMs: 15_000,
  });
  const stop = async () => {
    await proc.stop();
  };
  try {
    const isReady = bin('pg_isready');
    await waitUntil(
      `PostgreSQL on 127.0.0.1:${port}`,
      async () => (await runToEnd(isReady, ['-q', '-h', '127.0.0.1', '-p', String(port), '-d', 'postgres', '-U', user])).code === 0,
      { proc, timeoutMs: Math.max(1000, timeoutMs - (Date.now() - t0)), intervalMs: 100 },
    );
    const env = { PGHOST: '127.0.0.1', PGPORT: String(port), PGUSER: user, PGPASSWORD: password, PGDATABASE: database };
    const created = await runToEnd(bin('createdb'), [database], { env: { ...env, PGDATABASE: 'postgres' } });
    if (created.code !== 0 && !/already exists/.test(created.stderr)) {
      throw new Error(`createdb ${database} failed (exit ${created.code}): ${created.stderr}`);
    }
    return {
      host: '127.0.0.1',
      port,
      user,
      password,
      database,
      url: `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
      env,
      dataDir,
      socketDir,
      process: proc,
      readyMs: Date.now() - t0,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
