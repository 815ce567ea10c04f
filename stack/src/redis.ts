/**
 * A private Redis for faultline: 127.0.0.1 only, no persistence (no RDB snapshots, no AOF), its working
 * directory under the run dir.
 */
import { mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { binaries, requireBinary, runDir } from './paths.ts';
import { assertPortFree } from './ports.ts';
import { spawnManaged, type ManagedProcess } from './process.ts';
import { waitUntil } from './wait.ts';

/** Default TCP port of faultline's Redis (native and compose), below the ephemeral ports (`EPHEMERAL_PORTS_FROM` in ports.ts). */
export const REDIS_PORT = 16379;

/** Options of {@link startRedis}. */
export interface RedisOptions {
  /** TCP port on 127.0.0.1. Default {@link REDIS_PORT} (16379). */
  port?: number;
  /** Instance name (log `<name>.log`, directory `<runDir>/<name>`). Default `redis`, or `redis-<port>` off the default port. */
  name?: string;
  /** Extra `redis-server` arguments, e.g. `['--maxmemory', '64mb']`. */
  args?: string[];
  /** Deadline for the first PONG, ms. Default 20000. */
  readyTimeoutMs?: number;
}

/** A running Redis from {@link startRedis}. */
export interface RedisInstance {
  host: string;
  port: number;
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  process: ManagedProcess;
  /** ms from call to the first PONG. */
  readyMs: number;
  /** SIGTERM (Redis exits without saving: persistence is off), SIGKILL after 10 s. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Sends one inline command (e.g. `PING`) over RESP and resolves with the first reply line, e.g. `+PONG`.
 * @throws Error on connection failure or no reply within `timeoutMs` (default 2000).
 */
export function redisCommand(port: number, command: string, host = '127.0.0.1', timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host });
    let buf = '';
    s.setTimeout(timeoutMs, () => {
      s.destroy();
      reject(new Error(`no reply to ${command} from ${host}:${port}`));
    });
    s.once('error', reject);
    s.once('connect', () => s.write(`${command}\r\n`));
    s.on('data', (d) => {
      buf += d;
      const i = buf.indexOf('\r\n');
      if (i >= 0) {
        s.destroy();
        resolve(buf.slice(0, i));
      }
    });
  });
}

/**
 * Starts a fresh Redis and waits until it answers PING.
 * @throws Error if the port is taken, `redis-server` is missing, or no PONG within `readyTimeoutMs` (log tail quoted).
 */
export async function startRedis(opts: RedisOptions = {}): Promise<RedisInstance> {
  const t0 = Date.now();
  const port = opts.port ?? REDIS_PORT;
  const name = opts.name ?? (port === REDIS_PORT ? 'redis' : `redis-${port}`);
  const server = requireBinary('redis-server', binaries().redisServer);
  await assertPortFree(port, `Redis ${name}`);
  const dir = join(runDir(), name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const proc = spawnManaged({
    name,
    command: server,
    args: [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--logfile',
      '',
      ...(opts.args ?? []),
    ],
  });
  const stop = async () => {
    await proc.stop();
  };
  try {
    await waitUntil(`Redis on 127.0.0.1:${port}`, async () => (await redisCommand(port, 'PING')) === '+PONG', {
      proc,
      timeoutMs: opts.readyTimeoutMs ?? 20_000,
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { host: '127.0.0.1', port, url: `redis://127.0.0.1:${port}`, process: proc, readyMs: Date.now() - t0, stop };
}
