/**
 * The incident lab's catalogue: every scenario the fleet can reproduce on demand, what it does, where
 * its cause shows in the telemetry, and which services take part (they serve
 * `POST /admin/scenarios/<name>`). The one list the services, the CLI (`npm run scenario`), the load
 * generator's schedule and the README agree on. The PromQL in `whereToLook` is built from
 * `@faultline/signals`' names, as every other reader's.
 */
import { eq, L, M, ne, re, selector, SERVER } from '@faultline/signals';

/** One reproducible incident. */
export interface Scenario {
  /** Name used by the admin endpoints, the CLI and `LOADGEN_SCHEDULE`. */
  readonly name: string;
  /** One line: what switching it on does. */
  readonly description: string;
  /** One line: where the cause is visible (Prometheus/Jaeger). */
  readonly whereToLook: string;
  /** Compose service names that take part; the switch is sent to each. */
  readonly services: readonly string[];
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
    description: "the shop (team-05's backend, run by loadgen) redeploys as service.version 2.0.0 and calls /v1/quote on every request",
    whereToLook: `Prometheus: ${selector(M.processStart, eq(L.service, 'shop'))} (deploy marker) vs rate of team-05 calls by ${L.httpRoute} at api; Jaeger: lb spans with user_agent.original shop/2.0.0`,
    services: ['loadgen'],
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
