/**
 * The preload on other common stacks, read back from Jaeger (real PostgreSQL, Redis, Collector, Jaeger):
 * fastify + knex + the `redis` client (ESM), koa + generic-pool (ESM and CommonJS), NestJS on express +
 * knex + the `redis` client (CommonJS), each with only `--import`. One request per app saturates its pool (max 2,
 * five acquires at once); every span has `client.id` and the pool's state, the server span its
 * `http.route`, one span the saturated moment (used == max, pending > 0), node-redis reads `cache.hit`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jaeger, type JaegerSpan as JSpan } from '@faultline/signals';
import { eventually, lookback, startBackends, type Backends } from '@faultline/testkit';
import { runFixture } from '../support/run.ts';
import { ATTR_CACHE_HIT, ATTR_CLIENT_ID, ATTR_POOL_MAX, ATTR_POOL_NAME, ATTR_POOL_PENDING, ATTR_POOL_USED } from '../../src/semconv.ts';
import { GENERIC_POOL_NAME } from '../../src/instrumentations/pools/generic-pool.ts';

let backends: Backends;
before(async () => {
  backends = await startBackends();
});
after(async () => {
  await backends?.stop();
});

const CASES = [
  { fixture: 'fastify-knex.mjs', service: 'stack-fastify', pool: 'knex', cache: true, minSpans: 5 + 4 },
  { fixture: 'koa-generic-pool.mjs', service: 'stack-koa', pool: GENERIC_POOL_NAME, cache: false, minSpans: 5 },
  { fixture: 'koa-generic-pool.cjs', service: 'stack-koa-cjs', pool: GENERIC_POOL_NAME, cache: false, minSpans: 5 },
  { fixture: 'nest-knex.cjs', service: 'stack-nest', pool: 'knex', cache: true, minSpans: 5 + 4 },
] as const;

for (const c of CASES) {
  describe(`${c.fixture} with only --import`, () => {
    it('has client.id and the pool state on every span, http.route, and the saturated moment', async () => {
      const run = runFixture(c.fixture, { preload: true, env: { ...backends.env, OTEL_SERVICE_NAME: c.service, PORT: '0' } });
      try {
        await run.waitFor('listening');
        const port = /listening (\d+)/.exec(run.stdout())![1]!;
        const client = `team-${c.service}`;
        const res = await fetch(`http://127.0.0.1:${port}/items/7`, { headers: { 'x-client-id': client } });
        assert.equal(res.status, 200, await res.text());
        const trace = await eventually(
          `the trace of ${c.service}`,
          async () => {
            const t = await jaeger.findTraces(backends.jaeger, { service: c.service }, ...lookback(300), 5);
            return t.find((x) => x.spans.length > c.minSpans);
          },
          30000,
          300,
        );
        const spans: JSpan[] = trace.spans;
        const server = spans.find((s) => s.tags['span.kind'] === 'server');
        assert.equal(server?.tags['http.route'], '/items/:id', `no http.route in ${spans.map((s) => s.operation)}`);
        for (const s of spans) {
          assert.equal(s.tags[ATTR_CLIENT_ID], client, s.operation);
          assert.equal(s.tags[ATTR_POOL_MAX], 2, `${s.operation}: ${JSON.stringify(s.tags)}`);
          assert.equal(typeof s.tags[ATTR_POOL_USED], 'number', s.operation);
          if (c.pool === GENERIC_POOL_NAME) assert.equal(s.tags[ATTR_POOL_NAME], GENERIC_POOL_NAME);
          else assert.match(String(s.tags[ATTR_POOL_NAME]), /^[^:]+:\d+\/\w+$/, 'host:port/database');
        }
        const saturated = spans.filter((s) => s.tags[ATTR_POOL_USED] === 2 && Number(s.tags[ATTR_POOL_PENDING]) > 0);
        assert.ok(
          saturated.length > 0,
          `no span with used == max and pending > 0: ${spans.map((s) => `${s.operation} ${s.tags[ATTR_POOL_USED]}/${s.tags[ATTR_POOL_PENDING]}`)}`,
        );
        if (c.cache) {
          const hits = spans
            .filter((s) => s.tags[ATTR_CACHE_HIT] !== undefined)
            .map((s) => s.tags[ATTR_CACHE_HIT])
            .sort();
          assert.deepEqual(hits, [false, true], 'the read before the write misses, the one after hits');
        }
        assert.doesNotMatch(run.stderr(), /\[faultline\]/, 'no warning for supported versions');
      } finally {
        run.child.kill('SIGTERM');
        await run.exited;
      }
    });
  });
}
