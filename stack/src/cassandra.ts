/**
 * A private one-node Cassandra 5.0 for the scale profile (Jaeger's shared span store): one JVM from the
 * Maven Central jars that `scripts/bootstrap.sh` caches (`FAULTLINE_CASSANDRA_LIB`), run with
 * cassandra/cassandra.yaml and the JVM flags of Cassandra's own `jvm17-server.options`. Its data lives
 * under `<runDir>/<name>` and is kept across {@link CassandraInstance.restart}, so a test can stop it
 * for a while and bring the same node back.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { binaries, REPO_ROOT, requireBinary, runDir } from './paths.ts';
import { assertPortFree, freePortsExcept } from './ports.ts';
import { spawnManaged, type ManagedProcess } from './process.ts';
import { tcpProbe, waitUntil } from './wait.ts';

/** cassandra/cassandra.yaml: the one Cassandra config (ports and paths come as system properties). */
export const CASSANDRA_CONFIG: string = join(REPO_ROOT, 'cassandra', 'cassandra.yaml');
/** cassandra/logback.xml: INFO and up to stdout (logback's default, DEBUG, slows the start). */
export const CASSANDRA_LOGBACK: string = join(REPO_ROOT, 'cassandra', 'logback.xml');

/**
 * Heap of the one node, in MiB: `CASSANDRA_HEAP_MB`, default 1024 (a quarter of Cassandra's own
 * rule of thumb for a 4 GB node; on this 2-core, 24 GB machine it leaves room for Kafka, three gateways
 * and the ingesters). The young generation is a quarter of it.
 */
export function cassandraHeapMb(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env['CASSANDRA_HEAP_MB']);
  return Number.isInteger(v) && v >= 256 ? v : 1024;
}

/** Options of {@link startCassandra}. */
export interface CassandraOptions {
  /** CQL native transport port on 127.0.0.1 (Jaeger connects here). Default 9042. */
  port?: number;
  /** Inter-node storage port (gossip). Default: a free port. */
  storagePort?: number;
  /** Instance name (log `<name>.log`, data `<runDir>/<name>`). Default `cassandra-<port>`, `cassandra` on 9042. */
  name?: string;
  /** Heap in MiB. Default {@link cassandraHeapMb}. */
  heapMb?: number;
  /** Deadline for the CQL port to accept connections, ms. Default 180000. */
  readyTimeoutMs?: number;
}

/** A running Cassandra from {@link startCassandra}. */
export interface CassandraInstance {
  port: number;
  /** `127.0.0.1`, for Jaeger's `connection.servers`. */
  host: string;
  heapMb: number;
  /** The current JVM (a new one after {@link CassandraInstance.restart}). */
  process(): ManagedProcess;
  /** ms from call to the CQL port accepting connections (the first start). */
  readyMs: number;
  /** Stops the node (SIGTERM, SIGKILL after 30 s); its data stays. Safe to call twice. */
  stop(): Promise<void>;
  /** Starts the same node again on the same data and ports; resolves once CQL is up, with the ms it took. */
  restart(): Promise<number>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

/** Cassandra's JVM flags (from its jvm17-server.options) for a heap of `heapMb`. */
export function cassandraJvmArgs(heapMb: number): string[] {
  const opens = [
    'java.base/jdk.internal.misc',
    'java.base/jdk.internal.ref',
    'java.base/sun.nio.ch',
    'java.management.rmi/com.sun.jmx.remote.internal.rmi',
    'java.rmi/sun.rmi.registry',
    'java.rmi/sun.rmi.server',
    'java.sql/java.sql',
  ].flatMap((m) => ['--add-exports', `${m}=ALL-UNNAMED`]);
  const opened = [
    'java.base/java.lang.module',
    'java.base/jdk.internal.loader',
    'java.base/jdk.internal.ref',
    'java.base/jdk.internal.reflect',
    'java.base/jdk.internal.math',
    'java.base/jdk.internal.module',
    'java.base/jdk.internal.util.jar',
    'java.base/sun.nio.ch',
    'jdk.management/com.sun.management.internal',
    'java.base/java.io',
    'java.base/java.nio',
    'java.base/java.util.concurrent',
    'java.base/java.util',
    'java.base/java.util.concurrent.atomic',
    'java.base/java.lang',
    'java.base/java.math',
    'java.base/java.net',
    'java.base/java.lang.reflect',
  ].flatMap((m) => ['--add-opens', `${m}=ALL-UNNAMED`]);
  return [
    `-Xms${heapMb}m`,
    `-Xmx${heapMb}m`,
    `-Xmn${Math.floor(heapMb / 4)}m`,
    '-XX:+UseG1GC',
    '-XX:ParallelGCThreads=2',
    '-XX:ConcGCThreads=1',
    '-Xss256k',
    '-XX:+UseTLAB',
    '-XX:+PerfDisableSharedMem',
    '-XX:+CrashOnOutOfMemoryError',
    '-Djava.net.preferIPv4Stack=true',
    '-Djdk.attach.allowAttachSelf=true',
    '-Dio.netty.tryReflectionSetAccessible=true',
    '-Djava.awt.headless=true',
    ...opens,
    ...opened,
  ];
}

/**
 * Starts a fresh one-node Cassandra (its data directory emptied first) and waits until CQL accepts
 * connections. Prints nothing; the heap is in the result (`heapMb`) for the caller to show.
 * @throws Error if a port is taken, Java or the jars are missing, or CQL is not up in time (log tail quoted).
 */
export async function startCassandra(opts: CassandraOptions = {}): Promise<CassandraInstance> {
  const t0 = Date.now();
  const port = opts.port ?? 9042;
  const storagePort = opts.storagePort ?? (await freePortsExcept(1, [port]))[0]!;
  const name = opts.name ?? (port === 9042 ? 'cassandra' : `cassandra-${port}`);
  const heapMb = opts.heapMb ?? cassandraHeapMb();
  const timeoutMs = opts.readyTimeoutMs ?? 180_000;
  const { java, cassandraLib } = binaries();
  requireBinary('Java', java);
  requireBinary('Cassandra jars', cassandraLib);
  const dir = join(runDir(), name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const args = [
    ...cassandraJvmArgs(heapMb),
    `-Dcassandra.config=file://${CASSANDRA_CONFIG}`,
    `-Dcassandra.storagedir=${dir}`,
    `-Dcassandra.native_transport_port=${port}`,
    `-Dcassandra.storage_port=${storagePort}`,
    '-Dcassandra-foreground=yes',
    `-Dlogback.configurationFile=${CASSANDRA_LOGBACK}`,
    // Skips most of a start-up estimate that took ~12 s here (memtable row overhead, default step 100000).
    '-Dcassandra.memtable_row_overhead_computation_step=100',
    `-Dcassandra.logdir=${dir}`,
    // One node: no waiting for gossip to settle, no ring delay.
    '-Dcassandra.skip_wait_for_gossip_to_settle=0',
    '-Dcassandra.ring_delay_ms=0',
    '-cp',
    `${cassandraLib}/*`,
    'org.apache.cassandra.service.CassandraDaemon',
  ];
  let proc: ManagedProcess | undefined;
  const launch = async (): Promise<number> => {
    const t = Date.now();
    await assertPortFree(port, `Cassandra ${name} CQL`);
    proc = spawnManaged({ name, command: java, args, graceMs: 30_000 });
    const p = proc;
    try {
      await waitUntil(`Cassandra CQL on 127.0.0.1:${port}`, tcpProbe(port), { proc: p, timeoutMs, intervalMs: 500 });
    } catch (e) {
      await p.stop();
      throw e;
    }
    return Date.now() - t;
  };
  const stop = async () => {
    await proc?.stop();
  };
  await launch();
  return {
    port,
    host: '127.0.0.1',
    heapMb,
    process: () => proc!,
    readyMs: Date.now() - t0,
    stop,
    restart: async () => {
      await stop();
      return launch();
    },
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
