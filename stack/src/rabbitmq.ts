/**
 * A private RabbitMQ node for tests (never the system one): its own node name, Mnesia and log
 * directories and Erlang cookie (HOME) under the run dir, AMQP on 127.0.0.1 only, and its own `epmd`
 * (the Erlang port mapper) on a free port, so that it never meets another node on this machine. Used by
 * the amqplib tests; not part of the demo stack. The default `guest`/`guest` user works from loopback.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { binaries, requireBinary, runDir } from './paths.ts';
import { assertPortFree, freePortsExcept } from './ports.ts';
import { spawnManaged, type ManagedProcess } from './process.ts';
import { tcpProbe, waitUntil } from './wait.ts';

/** Options of {@link startRabbitMq}. */
export interface RabbitMqOptions {
  /** AMQP port on 127.0.0.1 (required: tests pass a free port). The epmd and distribution ports are picked free. */
  port: number;
  /** Instance name (node `<name>@localhost`, log `<name>.log`, directory `<runDir>/<name>`). Default `rabbitmq-<port>`. */
  name?: string;
  /** Deadline for the AMQP greeting, ms. Default 60000. */
  readyTimeoutMs?: number;
}

/** A running RabbitMQ from {@link startRabbitMq}. */
export interface RabbitMqInstance {
  host: string;
  port: number;
  /** `amqp://guest:guest@127.0.0.1:<port>`. */
  url: string;
  process: ManagedProcess;
  /** ms from call to the first AMQP `Connection.Start`. */
  readyMs: number;
  /** SIGTERM to the node, then to its epmd (SIGKILL after 15 s each). Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Probe: the server answers the AMQP 0-9-1 protocol header with a method frame (`Connection.Start`),
 * which RabbitMQ does only once it has booted.
 */
export function amqpProbe(port: number, host = '127.0.0.1'): () => Promise<boolean> {
  return () =>
    new Promise((resolve, reject) => {
      const s = net.connect({ port, host });
      s.setTimeout(2000, () => {
        s.destroy();
        reject(new Error('no AMQP greeting'));
      });
      s.once('error', reject);
      s.once('connect', () => s.write(Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1])));
      s.once('data', (d: Buffer) => {
        s.destroy();
        resolve(d[0] === 1);
      });
    });
}

/**
 * Starts a fresh epmd and RabbitMQ node and waits for the AMQP greeting.
 * @throws Error if the port is taken, `rabbitmq-server` is missing, or no greeting within
 *   `readyTimeoutMs` (log tail quoted).
 */
export async function startRabbitMq(opts: RabbitMqOptions): Promise<RabbitMqInstance> {
  const t0 = Date.now();
  const { port } = opts;
  const name = opts.name ?? `rabbitmq-${port}`;
  const server = requireBinary('rabbitmq-server', binaries().rabbitmqServer);
  await assertPortFree(port, `RabbitMQ ${name}`);
  const [epmdPort, distPort] = await freePortsExcept(2, [port]);
  const dir = join(runDir(), name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'mnesia'), { recursive: true });
  mkdirSync(join(dir, 'log'), { recursive: true });
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  writeFileSync(join(dir, 'rabbitmq.conf'), 'loopback_users.guest = true\n');
  const env = {
    HOME: dir,
    ERL_EPMD_PORT: String(epmdPort!),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_NODENAME: `${name}@localhost`,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort!),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_LOGS: '-',
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
  };
  // epmd in the foreground, as our child: the node would otherwise start a daemon that outlives it.
  const epmd = spawnManaged({ name: `${name}-epmd`, command: 'epmd', args: ['-port', String(epmdPort), '-address', '127.0.0.1'], env });
  let proc: ManagedProcess | undefined;
  const stop = async () => {
    await proc?.stop();
    await epmd.stop();
  };
  try {
    await waitUntil(`epmd on 127.0.0.1:${epmdPort}`, tcpProbe(epmdPort!), { proc: epmd, timeoutMs: 10_000 });
    proc = spawnManaged({ name, command: server, env, graceMs: 15_000 });
    await waitUntil(`RabbitMQ on 127.0.0.1:${port}`, amqpProbe(port), {
      proc,
      timeoutMs: Math.max(1000, (opts.readyTimeoutMs ?? 60_000) - (Date.now() - t0)),
      intervalMs: 200,
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { host: '127.0.0.1', port, url: `amqp://guest:guest@127.0.0.1:${port}`, process: proc, readyMs: Date.now() - t0, stop };
}
