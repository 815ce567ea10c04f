/**
 * A private single-node Kafka for tests: one JVM that is both broker and KRaft controller
 * (`process.roles=broker,controller`, no ZooKeeper), its log directory under the run dir, plaintext
 * listeners on 127.0.0.1 only, heap capped at 256 MB. The jars come from Maven Central through
 * `scripts/bootstrap.sh` (`FAULTLINE_KAFKA_LIB`). Used by the kafkajs tests and by the scale profile
 * (scale.ts: the buffer between the gateway Collectors and the Jaeger ingesters), which also stops and
 * restarts the same broker on the same data ({@link KafkaInstance.restart}).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binaries, requireBinary, runDir } from './paths.ts';
import { assertPortFree, freePortsExcept } from './ports.ts';
import { runToEnd, spawnManaged, type ManagedProcess } from './process.ts';
import { tcpProbe, waitUntil } from './wait.ts';

/** Options of {@link startKafka}. */
export interface KafkaOptions {
  /** Broker (PLAINTEXT) port on 127.0.0.1 (required: tests pass a free port). The controller port is picked free. */
  port: number;
  /** Instance name (log `<name>.log`, directory `<runDir>/<name>`). Default `kafka-<port>`. */
  name?: string;
  /** Deadline for format + start, ms. Default 90000. */
  readyTimeoutMs?: number;
  /** Partitions of an auto-created topic (`num.partitions`): how many consumers of one group can share it. Default 1. */
  partitions?: number;
  /** Heap in MiB (`-Xmx`). Default 256. */
  heapMb?: number;
}

/** A running Kafka from {@link startKafka}. */
export interface KafkaInstance {
  host: string;
  port: number;
  /** `127.0.0.1:<port>`, for a client's `brokers` list. */
  broker: string;
  process: ManagedProcess;
  /** ms from call to the broker port accepting connections (storage format included). */
  readyMs: number;
  /** The broker's heap cap, MiB. */
  heapMb: number;
  /** SIGTERM (controlled shutdown), SIGKILL after 20 s. Safe to call twice. Its log directory stays. */
  stop(): Promise<void>;
  /**
   * Starts the same broker again on its log directory and ports (the topics and the consumer groups'
   * offsets survive); resolves once the port accepts connections, with the ms it took.
   */
  restart(): Promise<number>;
}

/** `server.properties` of a one-node KRaft cluster (broker and controller in one process). */
export function kraftProperties(port: number, controllerPort: number, logDir: string, partitions = 1): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${logDir}`,
    `num.partitions=${partitions}`,
    'auto.create.topics.enable=true',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    '',
  ].join('\n');
}

/**
 * A new KRaft cluster ID: 16 random bytes as base64url without padding (22 characters), what
 * `kafka-storage random-uuid` prints. Like Kafka's own `Uuid.randomUuid()`, it draws again while the
 * text starts with `-` (about 1 draw in 64): the storage tool's argument parser would read such an ID
 * as an option and fail with "argument --cluster-id/-t: expected one argument".
 * @param bytes source of 16 random bytes (default `crypto.randomBytes`; tests pass a fixed sequence).
 */
export function kafkaClusterId(bytes: (n: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = bytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * Formats a fresh log directory and starts the broker; waits until its port accepts connections.
 * @throws Error if the port is taken, Java or the Kafka jars are missing, the storage format fails (its
 *   output quoted), or the broker is not listening within `readyTimeoutMs` (log tail quoted).
 */
export async function startKafka(opts: KafkaOptions): Promise<KafkaInstance> {
  const t0 = Date.now();
  const { port } = opts;
  const name = opts.name ?? `kafka-${port}`;
  const timeoutMs = opts.readyTimeoutMs ?? 90_000;
  const { java, kafkaLib } = binaries();
  requireBinary('Java', java);
  requireBinary('Kafka jars', kafkaLib);
  await assertPortFree(port, `Kafka ${name}`);
  const [controllerPort] = (await freePortsExcept(1, [port])) as [number];
  const dir = join(runDir(), name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const props = join(dir, 'server.properties');
  writeFileSync(props, kraftProperties(port, controllerPort, join(dir, 'data'), opts.partitions ?? 1));
  const classpath = `${kafkaLib}/*`;
  const heapMb = opts.heapMb ?? 256;
  const jvm = [`-Xmx${heapMb}m`, '-Xms64m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true', '-cp', classpath];
  const clusterId = kafkaClusterId();
  const format = await runToEnd(java, [...jvm, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props], { timeoutMs });
  if (format.code !== 0) throw new Error(`Kafka storage format failed (exit ${format.code}):\n${format.stdout}${format.stderr}`);
  let proc = spawnManaged({ name, command: java, args: [...jvm, 'kafka.Kafka', props], graceMs: 20_000 });
  const stop = async () => {
    await proc.stop();
  };
  const ready = (deadlineMs: number) =>
    waitUntil(`Kafka on 127.0.0.1:${port}`, tcpProbe(port), { proc, timeoutMs: Math.max(1000, deadlineMs), intervalMs: 200 });
  try {
    await ready(timeoutMs - (Date.now() - t0));
  } catch (e) {
    await stop();
    throw e;
  }
  const instance: KafkaInstance = {
    host: '127.0.0.1',
    port,
    broker: `127.0.0.1:${port}`,
    process: proc,
    readyMs: Date.now() - t0,
    heapMb,
    stop,
    restart: async () => {
      await stop();
      const t = Date.now();
      await assertPortFree(port, `Kafka ${name}`);
      proc = spawnManaged({ name, command: java, args: [...jvm, 'kafka.Kafka', props], graceMs: 20_000 });
      instance.process = proc;
      await ready(timeoutMs);
      return Date.now() - t;
    },
  };
  return instance;
}
