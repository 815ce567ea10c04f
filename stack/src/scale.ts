/**
 * The scale profile, natively: one agent Collector (`loadbalancing` exporter, routing by trace ID, static
 * resolver) → N gateway Collectors (span metrics, tail sampling, `kafka` exporter) → Kafka (KRaft, one
 * broker, a topic of P partitions) → M Jaeger ingesters in one consumer group → Cassandra (one node) ←
 * Jaeger query. The same config files as docker-compose.yml's `scale` profile: collector/scale/*.yaml,
 * jaeger/scale/*.yaml, cassandra/cassandra.yaml. On free ports (tests) or on the native ports table (the
 * demo, {@link SCALE_FIXED_PORTS}). Every piece can be killed or stopped and brought back.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startCassandra, type CassandraInstance } from './cassandra.ts';
import { startKafka, type KafkaInstance } from './kafka.ts';
import { binaries, REPO_ROOT, requireBinary, runDir } from './paths.ts';
import { assertPortFree, freePorts } from './ports.ts';
import { startRestartable, type Restartable } from './scale-process.ts';
import { startTogether } from './together.ts';

/** collector/scale/agent.yaml: the agent Collector (load balancing by trace ID). */
export const SCALE_AGENT_CONFIG: string = join(REPO_ROOT, 'collector', 'scale', 'agent.yaml');
/** collector/scale/gateway.yaml: a gateway Collector (span metrics, tail sampling, Kafka). */
export const SCALE_GATEWAY_CONFIG: string = join(REPO_ROOT, 'collector', 'scale', 'gateway.yaml');
/** jaeger/scale/ingester.yaml: a Jaeger ingester (Kafka → storage). */
export const SCALE_INGESTER_CONFIG: string = join(REPO_ROOT, 'jaeger', 'scale', 'ingester.yaml');
/** jaeger/scale/query.yaml: Jaeger query. */
export const SCALE_QUERY_CONFIG: string = join(REPO_ROOT, 'jaeger', 'scale', 'query.yaml');
/** jaeger/scale/cassandra-storage.yaml: the Cassandra backend both Jaeger roles load as a second config. */
export const SCALE_CASSANDRA_STORAGE_CONFIG: string = join(REPO_ROOT, 'jaeger', 'scale', 'cassandra-storage.yaml');

/** The Kafka topic the gateways write and the ingesters read (`KAFKA_TRACES_TOPIC`). */
export const SCALE_TOPIC = 'jaeger-spans';
/** The ingesters' consumer group (`KAFKA_CONSUMER_GROUP`). */
export const SCALE_CONSUMER_GROUP = 'jaeger-ingester';

/**
 * Ports of the demo's scale profile (127.0.0.1). The agent's OTLP ports and Jaeger query's are the ones
 * docker-compose.yml publishes for the profile (beside the single Collector's 4317/4318 and Jaeger's
 * 16686); the rest are natively only.
 */
export const SCALE_FIXED_PORTS = Object.freeze({
  agent: { otlpGrpc: 4327, otlpHttp: 4328, health: 13136, prometheus: 8885, metrics: 8886 },
  /** Gateway i (from 0): OTLP gRPC 4337+i, health 13143+i, span metrics 8897+i, own metrics 8877+i. */
  gatewayBase: { otlpGrpc: 4337, health: 13143, prometheus: 8897, metrics: 8877 },
  /** Ingester i (from 0): health 13153+i, metrics 18897+i. */
  ingesterBase: { health: 13153, metrics: 18897 },
  query: { query: 16687, queryGrpc: 16688, health: 13137, metrics: 18889 },
  kafka: 9092,
  cassandra: 9042,
});

/** Options of {@link startScale}. */
export interface ScaleOptions {
  /** `free` (tests: every port chosen free) or `fixed` ({@link SCALE_FIXED_PORTS}, the demo). Default `free`. */
  ports?: 'free' | 'fixed';
  /** Gateway Collectors. Default 3. */
  gateways?: number;
  /** Jaeger ingesters in the consumer group. Default 2. */
  ingesters?: number;
  /** Partitions of the spans topic. Default 6. */
  partitions?: number;
  /** More env vars for every gateway (e.g. `COLLECTOR_SAMPLING_PERCENTAGE`). */
  gatewayEnv?: Record<string, string>;
  /** More env vars for the agent. */
  agentEnv?: Record<string, string>;
  /** Cassandra's heap, MiB. Default `CASSANDRA_HEAP_MB` or 1024. */
  cassandraHeapMb?: number;
  /** Called with one line per step (what started, where, in how long, the heaps). Default: nothing. */
  log?: (line: string) => void;
}

/** A Collector of the profile. */
export interface ScaleCollector extends Restartable {
  /** `127.0.0.1:<otlp gRPC>`. */
  otlpGrpcEndpoint: string;
  /** The Collector's own metrics: `http://127.0.0.1:<port>/metrics`. */
  metricsUrl: string;
}

/** The running profile from {@link startScale}. */
export interface ScaleStack {
  agent: ScaleCollector & { otlpHttpUrl: string; prometheusUrl: string };
  gateways: Array<ScaleCollector & { prometheusUrl: string }>;
  ingesters: Array<Restartable & { metricsUrl: string }>;
  query: Restartable & { queryUrl: string };
  kafka: KafkaInstance;
  cassandra: CassandraInstance;
  /** prometheus/scale.yml's targets (compose `host:port`) → where each one listens here (`127.0.0.1:port`). */
  scrapeTargets: Record<string, string>;
  /** ms from call to everything ready. */
  readyMs: number;
  /** Stops everything (agent first, Cassandra last) and removes the data. */
  stop(): Promise<void>;
}

/** The static resolver value of collector/scale/agent.yaml's SCALE_LB_RESOLVER for these gateways. */
export function staticResolver(endpoints: string[]): string {
  return `{static: {hostnames: [${endpoints.join(', ')}]}}`;
}

async function portsFor(n: number, fixed: boolean, base: number[]): Promise<number[]> {
  if (fixed) return base;
  return freePorts(n);
}

/**
 * Starts the whole profile: Cassandra and Kafka, then Jaeger query (it creates the keyspace), the
 * ingesters, the gateways and the agent; each waits for the ones it writes to.
 * @throws Error naming the piece that did not come up (its log tail quoted); what had started is stopped.
 */
export async function startScale(opts: ScaleOptions = {}): Promise<ScaleStack> {
  const t0 = Date.now();
  const log = opts.log ?? (() => {});
  const fixed = opts.ports === 'fixed';
  const nGw = opts.gateways ?? 3;
  const nIn = opts.ingesters ?? 2;
  const { otelcolScale, jaeger } = binaries();
  requireBinary('the scale Collector', otelcolScale);
  requireBinary('Jaeger', jaeger);
  const F = SCALE_FIXED_PORTS;
  const started: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async () => {
    for (const s of started.reverse()) await s.stop().catch(() => {});
  };
  try {
    const [kafkaPort, cassPort] = await portsFor(2, fixed, [F.kafka, F.cassandra]);
    const [kafka, cassandra] = await startTogether([
      startKafka({ port: kafkaPort!, name: fixed ? 'kafka' : undefined, partitions: opts.partitions ?? 6, heapMb: 512 }),
      startCassandra({ port: cassPort!, heapMb: opts.cassandraHeapMb }),
    ]);
    started.push(cassandra, kafka);
    log(`kafka 127.0.0.1:${kafka.port} (KRaft, ${opts.partitions ?? 6} partitions, heap ${kafka.heapMb} MiB) in ${kafka.readyMs} ms`);
    log(`cassandra 127.0.0.1:${cassandra.port} (heap ${cassandra.heapMb} MiB) in ${cassandra.readyMs} ms`);
    const jaegerCommon = {
      JAEGER_BIND: '127.0.0.1',
      CASSANDRA_CONTACT_POINTS: '127.0.0.1',
      CASSANDRA_PORT: String(cassandra.port),
      KAFKA_BROKERS: `[${kafka.broker}]`,
      KAFKA_TRACES_TOPIC: SCALE_TOPIC,
      KAFKA_CONSUMER_GROUP: SCALE_CONSUMER_GROUP,
    };
    const jaegerArgs = (config: string) => ['--config', config, '--config', SCALE_CASSANDRA_STORAGE_CONFIG];

    const [qPort, qGrpc, qHealth, qMetrics] = await portsFor(4, fixed, [F.query.query, F.query.queryGrpc, F.query.health, F.query.metrics]);
    const queryName = fixed ? 'jaeger-query' : `jaeger-query-${qPort}`;
    const query = await startRestartable(
      {
        name: queryName,
        command: jaeger,
        args: jaegerArgs(SCALE_QUERY_CONFIG),
        env: {
          ...jaegerCommon,
          JAEGER_QUERY_PORT: String(qPort),
          JAEGER_QUERY_GRPC_PORT: String(qGrpc),
          JAEGER_HEALTH_PORT: String(qHealth),
          JAEGER_METRICS_PORT: String(qMetrics),
        },
      },
      `http://127.0.0.1:${qHealth}/status`,
      120_000,
    );
    started.push(query);
    log(`jaeger query http://127.0.0.1:${qPort} (Cassandra keyspace created)`);

    const ingesters: ScaleStack['ingesters'] = [];
    for (let i = 0; i < nIn; i++) {
      const [h, m] = await portsFor(2, fixed, [F.ingesterBase.health + i, F.ingesterBase.metrics + i]);
      const name = fixed ? `jaeger-ingester-${i + 1}` : `jaeger-ingester-${i + 1}-${h}`;
      const r = await startRestartable(
        {
          name,
          command: jaeger,
          args: jaegerArgs(SCALE_INGESTER_CONFIG),
          env: { ...jaegerCommon, KAFKA_CLIENT_ID: name, JAEGER_HEALTH_PORT: String(h), JAEGER_METRICS_PORT: String(m) },
        },
        `http://127.0.0.1:${h}/status`,
        60_000,
      );
      started.push(r);
      ingesters.push(Object.assign(r, { metricsUrl: `http://127.0.0.1:${m}/metrics` }));
    }
    log(`${nIn} jaeger ingesters in group ${SCALE_CONSUMER_GROUP}`);

    const gateways: ScaleStack['gateways'] = [];
    for (let i = 0; i < nGw; i++) {
      const b = F.gatewayBase;
      const [g, h, p, m] = await portsFor(4, fixed, [b.otlpGrpc + i, b.health + i, b.prometheus + i, b.metrics + i]);
      const name = fixed ? `gateway-${i + 1}` : `gateway-${i + 1}-${g}`;
      for (const port of [g!, h!, p!, m!]) await assertPortFree(port, name);
      const storageDir = join(runDir(), name, 'storage');
      rmSync(storageDir, { recursive: true, force: true });
      mkdirSync(storageDir, { recursive: true });
      const r = await startRestartable(
        {
          name,
          command: otelcolScale,
          args: [`--config=${SCALE_GATEWAY_CONFIG}`],
          env: {
            COLLECTOR_BIND: '127.0.0.1',
            COLLECTOR_OTLP_GRPC_PORT: String(g),
            COLLECTOR_HEALTH_PORT: String(h),
            COLLECTOR_PROMETHEUS_PORT: String(p),
            COLLECTOR_METRICS_PORT: String(m),
            COLLECTOR_STORAGE_DIR: storageDir,
            KAFKA_BROKERS: `[${kafka.broker}]`,
            KAFKA_TRACES_TOPIC: SCALE_TOPIC,
            ...opts.gatewayEnv,
          },
          graceMs: 15_000,
        },
        `http://127.0.0.1:${h}/`,
      );
      started.push(r);
      gateways.push(
        Object.assign(r, {
          otlpGrpcEndpoint: `127.0.0.1:${g}`,
          metricsUrl: `http://127.0.0.1:${m}/metrics`,
          prometheusUrl: `http://127.0.0.1:${p}/metrics`,
        }),
      );
    }
    log(`${nGw} gateways: ${gateways.map((g) => g.otlpGrpcEndpoint).join(', ')}`);

    const A = F.agent;
    const [ag, ah, ahealth, am, ap] = await portsFor(5, fixed, [A.otlpGrpc, A.otlpHttp, A.health, A.metrics, A.prometheus]);
    const agentName = fixed ? 'agent' : `agent-${ah}`;
    const agentStorage = join(runDir(), agentName, 'storage');
    rmSync(agentStorage, { recursive: true, force: true });
    mkdirSync(agentStorage, { recursive: true });
    const agent = await startRestartable(
      {
        name: agentName,
        command: otelcolScale,
        args: [`--config=${SCALE_AGENT_CONFIG}`],
        env: {
          COLLECTOR_BIND: '127.0.0.1',
          COLLECTOR_OTLP_GRPC_PORT: String(ag),
          COLLECTOR_OTLP_HTTP_PORT: String(ah),
          COLLECTOR_HEALTH_PORT: String(ahealth),
          COLLECTOR_METRICS_PORT: String(am),
          COLLECTOR_PROMETHEUS_PORT: String(ap),
          COLLECTOR_STORAGE_DIR: agentStorage,
          SCALE_LB_RESOLVER: staticResolver(gateways.map((g) => g.otlpGrpcEndpoint)),
          ...opts.agentEnv,
        },
        graceMs: 15_000,
      },
      `http://127.0.0.1:${ahealth}/`,
    );
    started.push(agent);
    log(`agent OTLP http://127.0.0.1:${ah} (gRPC ${ag})`);

    // prometheus/scale.yml's compose host:port → where it is here
    const scrapeTargets: Record<string, string> = {
      'scale-agent:8888': `127.0.0.1:${am}`,
      'scale-agent:8889': `127.0.0.1:${ap}`,
      'jaeger-query:18888': `127.0.0.1:${qMetrics}`,
    };
    gateways.forEach((g, i) => {
      scrapeTargets[`gateway-${i + 1}:8888`] = new URL(g.metricsUrl).host;
      scrapeTargets[`gateway-${i + 1}:8889`] = new URL(g.prometheusUrl).host;
    });
    ingesters.forEach((g, i) => (scrapeTargets[`jaeger-ingester-${i + 1}:18888`] = new URL(g.metricsUrl).host));
    return {
      agent: Object.assign(agent, {
        prometheusUrl: `http://127.0.0.1:${ap}/metrics`,
        otlpGrpcEndpoint: `127.0.0.1:${ag}`,
        otlpHttpUrl: `http://127.0.0.1:${ah}`,
        metricsUrl: `http://127.0.0.1:${am}/metrics`,
      }),
      gateways,
      ingesters,
      query: Object.assign(query, { queryUrl: `http://127.0.0.1:${qPort}` }),
      kafka,
      cassandra,
      scrapeTargets,
      readyMs: Date.now() - t0,
      stop: async () => {
        await stopAll();
        await cassandra.destroy();
      },
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
