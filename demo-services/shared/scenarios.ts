/**
 * The incident lab's catalogue: every scenario the fleet can reproduce on demand, what it does, where
 * its cause shows in the telemetry, and which services take part (they serve
 * `POST /admin/scenarios/<name>`). The one list the services, the CLI (`npm run scenario`), the load
 * generator's schedule and the README agree on. The PromQL in `whereToLook` is built from
 * `@faultline/signals`' names, as every other reader's.
 */
import { eq, FAILED, L, M, ne, re, selector, SERVER } from '@faultline/signals';

/**
 * One fault on a Toxiproxy link (toxiproxy/proxies.json), as Toxiproxy's API takes it
 * (https://github.com/Shopify/toxiproxy#toxics).
 */
export interface ToxicSpec {
  /** The proxy (link) it goes on, e.g. `postgres-api-1`. */
  readonly proxy: string;
  /** Toxiproxy's toxic type. */
  readonly type: 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'slicer' | 'limit_data' | 'reset_peer';
  /** `upstream` (client → server) or `downstream` (server → client). */
  readonly stream: 'upstream' | 'downstream';
  /** The type's attributes (ms for times, KB/s for `rate`). */
  readonly attributes: Readonly<Record<string, number>>;
}

/** The service name under which a scenario's toxics are switched (Toxiproxy's API, not an admin endpoint). */
export const TOXIPROXY = 'toxiproxy';

/** One reproducible incident. */
export interface Scenario {
  /** Name used by the admin endpoints, the CLI and `LOADGEN_SCHEDULE`. */
  readonly name: string;
  /** One line: what switching it on does. */
  readonly description: string;
  /** One line: where the cause is visible (Prometheus/Jaeger). */
  readonly whereToLook: string;
  /** Compose service names that take part; the switch is sent to each ({@link TOXIPROXY}: its toxics are added/removed). */
  readonly services: readonly string[];
  /** The faults Toxiproxy injects while it is on (chaos scenarios; services then includes {@link TOXIPROXY}). */
  readonly toxics?: readonly ToxicSpec[];
}

/** Every scenario, in the order they were built (the seed incidents' causes first). */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'client-flood',
    description: 'one client (LOADGEN_FLOOD_CLIENT, team-07) sends ~6x its usual request rate',
    whereToLook: `Prometheus: sum by (${L.clientId}) (rate(${selector(M.calls, eq(L.service, 'lb'), SERVER)}[1m])); \`faultline incident\``,
    services: ['loadgen'],
  },
  {
    name: 'pool-exhaustion',
    description: 'api-1 runs slow report queries (pg_sleep) that hold every pool connection; health checks time out, lb ejects api-1',
    whereToLook:
      'Jaeger: api-1 spans with db.client.connection.pool.used == .max and .pending_requests > 0, `pg-pool.connect` waits, lb `health_check` spans with event lb.backend.ejected; Prometheus: lb_backend_requests_total by lb_backend',
    services: ['api-1'],
  },
  {
    name: 'partner-throttle',
    description:
      'the partner answers slowly and with 429/503: api retries, the `partner` circuit breaker opens, then closes when switched off',
    whereToLook: `Prometheus: ${selector(M.calls, ne(L.resendCount, ''))}, ${selector(M.breakerState, eq(L.breakerName, 'partner'))}; Jaeger: \`circuit_breaker partner\` spans`,
    services: ['partner'],
  },
  {
    name: 'db-slow',
    description: 'every api query takes SCENARIO_DB_DELAY_MS longer inside PostgreSQL (pg_sleep), on both replicas',
    whereToLook: `Prometheus: p99 of ${selector(M.duration, eq(L.service, 'api'), re(L.spanName, 'pg.query.*'))}; Jaeger: slow pg.query spans, pool not full`,
    services: ['api-1', 'api-2'],
  },
  {
    name: 'cache-eviction',
    description:
      "Redis gets a maxmemory limit (volatile-lru) and a bulk filler: one client's (SCENARIO_CACHE_VICTIM, team-03) price cache is evicted, its misses hit PostgreSQL",
    whereToLook: `Prometheus: ${selector(M.calls, eq(L.spanName, 'hgetall'), eq(L.cacheHit, 'false'))} by ${L.clientId}, its pg.query spans; Jaeger: worker \`cache-filler\` spans`,
    services: ['worker'],
  },
  {
    name: 'job-storm',
    description: 'a batch of `reports` jobs runs inside both api replicas and takes their pool connections from request traffic',
    whereToLook:
      'Jaeger: api consumer spans `process reports` (client.id nightly-reports) with pool.used == max, request spans with pending_requests > 0; Prometheus: pg-pool.connect p99',
    services: ['api-1', 'api-2'],
  },
  {
    name: 'memory-leak',
    description: 'api-1 keeps SCENARIO_LEAK_KB_PER_REQUEST of every request on the heap and never lets go',
    whereToLook: `Prometheus: ${M.heapUsed} and ${M.processMemory} by ${L.instance} (api-1 climbs, api-2 flat)`,
    services: ['api-1'],
  },
  {
    name: 'buggy-deploy',
    description:
      "the shop (team-05's backend, run by loadgen) redeploys as service.version 2.0.0 and calls /v1/quote three times on every request",
    whereToLook: `Prometheus: ${selector(M.processStart, eq(L.service, 'shop'))} (deploy marker) vs rate of team-05 calls by ${L.httpRoute} at api; Jaeger: lb spans with user_agent.original shop/2.0.0`,
    services: ['loadgen'],
  },
  {
    name: 'network-partition',
    description:
      'the link api-1 ↔ PostgreSQL drops every byte (Toxiproxy timeout toxic, both ways): pool acquisitions and queries time out, health checks fail, lb ejects api-1',
    whereToLook: `Jaeger: api-1 \`pg-pool.connect\` / \`pg.query\` spans with error.type pg.pool.acquire_timeout or pg.query_timeout, lb \`health_check\` spans with event lb.backend.ejected; Prometheus: ${selector(M.calls, eq(L.service, 'api'), eq(L.instance, 'api-1'), re(L.spanName, 'pg.*'), FAILED)}`,
    services: [TOXIPROXY],
    toxics: [
      { proxy: 'postgres-api-1', type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } },
      { proxy: 'postgres-api-1', type: 'timeout', stream: 'downstream', attributes: { timeout: 0 } },
    ],
  },
  {
    name: 'redis-down',
    description:
      'every connection from the api to Redis is reset (Toxiproxy reset_peer): cache reads fail, the api falls back to PostgreSQL and keeps answering (request spans say cache.fallback)',
    whereToLook: `Prometheus: ${selector(M.calls, eq(L.service, 'api'), FAILED, re(L.spanName, 'get|hgetall'))} and the rise of pg.query; Jaeger: api request spans with cache.fallback=true, Redis spans with error.type`,
    services: [TOXIPROXY],
    toxics: [{ proxy: 'redis-api', type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } }],
  },
  {
    name: 'slow-link',
    description:
      'the link api → partner gets 2 s latency and 2 KB/s (Toxiproxy latency + bandwidth): partner calls time out, api retries, the `partner` breaker opens',
    whereToLook: `Prometheus: ${selector(M.calls, ne(L.resendCount, ''))}, ${selector(M.breakerState, eq(L.breakerName, 'partner'))}; Jaeger: api client spans with error.type UND_ERR_HEADERS_TIMEOUT, \`circuit_breaker partner\` spans`,
    services: [TOXIPROXY],
    toxics: [
      { proxy: 'partner-api', type: 'latency', stream: 'downstream', attributes: { latency: 2000, jitter: 250 } },
      { proxy: 'partner-api', type: 'bandwidth', stream: 'downstream', attributes: { rate: 2 } },
    ],
  },
  {
    name: 'memory-limit',
    description:
      'api-1 (heap limit --max-old-space-size, compose NODE_OPTIONS) keeps SCENARIO_OOM_LEAK_KB_PER_REQUEST of every request: V8 runs out of memory, api-1 crashes, the stack restarts it (restart: on-failure)',
    whereToLook: `Prometheus: ${selector(M.processStart, eq(L.instance, 'api-1'))} takes a new value, ${M.heapUsed} of api-1 climbs then drops; Jaeger: a gap in api-1's spans, then spans of a new process.pid; logs: api-1's "heap near its limit" warning; \`faultline incident\` (restart)`,
    services: ['api-1'],
  },
];

/** Names of every scenario. */
export const SCENARIO_NAMES: readonly string[] = SCENARIOS.map((s) => s.name);

/** The scenario called `name`, or `undefined`. */
export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

/** The scenarios `service` (a compose service name) takes part in. */
export function scenariosOf(service: string): Scenario[] {
  return SCENARIOS.filter((s) => s.services.includes(service));
}
