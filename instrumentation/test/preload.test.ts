/**
 * The preload in real apps on real backends (PostgreSQL, Redis, Collector, Jaeger), read back from
 * Jaeger: an ESM app and a CommonJS app with only `--import`, pool discovery with several pools and a
 * saturated pool, and SIGTERM timing with a live Collector.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jaeger, type JaegerSpan as JSpan } from '@faultline/signals';
import { eventually, lookback, startBackends, type Backends } from '@faultline/testkit';
import { runFixture } from './support/run.ts';
import { resourceOf } from './support/resource.ts';
import { ATTR_TELEMETRY_DISTRO_NAME, ATTR_TELEMETRY_DISTRO_VERSION, DISTRO_NAME } from '../src/semconv.ts';
import { VERSION } from '../src/version.ts';

let backends: Backends;
before(async () => {
  backends = await startBackends();
});
after(async () => {
  await backends?.stop();
});

async function get(port: string, path: string, client: string): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'x-client-id': client } });
  return res.json();
}

for (const [fixture, service, item] of [
  ['app.mjs', 'fixture-esm', 5],
  ['app.cjs', 'fixture-cjs', 6],
] as const) {
  describe(`${fixture} with only --import`, () => {
    it('traces express, pg and ioredis with client.id and pool state on every span', async () => {
      const run = runFixture(fixture, { preload: true, env: { ...backends.env, OTEL_SERVICE_NAME: service, PORT: '0', POOL_MAX: '4' } });
      try {
        await run.waitFor('listening');
        const port = /listening (\d+)/.exec(run.stdout())![1]!;
        await get(port, `/items/${item}`, `team-${service}`);
        await get(port, `/items/${item}`, `team-${service}`);
        const traces = await eventually(
          `two traces of ${service}`,
          async () => {
            const t = await jaeger.findTraces(backends.jaeger, { service, tags: { 'client.id': `team-${service}` } }, ...lookback(300), 10);
            return t.length >= 2 && t.every((x) => x.spans.some((s) => s.operation.startsWith('pg.query'))) ? t : undefined;
          },
          30000,
          500,
        );
        const spans: JSpan[] = traces.flatMap((t) => t.spans);
        const names = new Set(spans.map((s) => s.operation));
        for (const n of ['GET /items/:id', 'get', 'set']) assert.ok(names.has(n), `no ${n} span in ${[...names]}`);
        // The acquire is a span only when it waited (FAULTLINE_POOL_CONNECT_SPAN_MIN_MS); the query carries its wait.
        const queries = spans.filter((s) => s.operation.startsWith('pg.query:SELECT'));
        assert.equal(queries.length, 2);
        for (const q of queries) assert.ok(Number(q.tags['db.client.connection.wait_time']) >= 0, JSON.stringify(q.tags));
        assert.ok(spans.some((s) => s.tags['http.route'] === '/items/:id'));
        for (const s of spans) {
          assert.equal(s.tags['client.id'], `team-${service}`, s.operation);
          assert.equal(s.tags['db.client.connection.pool.max'], 4, s.operation);
          assert.equal(typeof s.tags['db.client.connection.pool.used'], 'number', s.operation);
        }
        const hits = spans
          .filter((s) => s.operation === 'get')
          .map((s) => s.tags['cache.hit'])
          .sort();
        assert.deepEqual(hits, [false, true], 'first read misses, second hits');
        const resource = await resourceOf(backends.jaeger, traces[0]!.traceId, service);
        assert.equal(resource[ATTR_TELEMETRY_DISTRO_NAME], DISTRO_NAME, JSON.stringify(resource));
        assert.equal(resource[ATTR_TELEMETRY_DISTRO_VERSION], VERSION, JSON.stringify(resource));
      } finally {
        run.child.kill('SIGTERM');
        await run.exited;
      }
    });
  });
}

describe('pools found without code changes', () => {
  it('tracks several pools and shows a saturated one on the waiting span', async () => {
    const run = runFixture('saturate.mjs', { preload: true, env: { ...backends.env, OTEL_SERVICE_NAME: 'fixture-pools' } });
    const end = await run.exited;
    assert.equal(end.code, 0, run.stderr());
    const pools = JSON.parse(/pools (.*)/.exec(run.stdout())![1]!) as { name: string; max: number }[];
    assert.deepEqual(
      pools.map((p) => p.max),
      [2, 3],
    );
    assert.notEqual(pools[0]!.name, pools[1]!.name);
    const waited = await eventually(
      'the waiting query in Jaeger',
      async () => {
        const traces = await jaeger.findTraces(backends.jaeger, { service: 'fixture-pools' }, ...lookback(300), 20);
        return traces
          .flatMap((t) => t.spans)
          .find((s) => s.operation === 'pg-pool.connect' && Number(s.tags['db.client.connection.pool.pending_requests']) > 0);
      },
      30000,
      500,
    );
    assert.equal(waited.tags['db.client.connection.pool.used'], 2, 'used == max while it waited');
    assert.equal(waited.tags['db.client.connection.pool.max'], 2);
  });
});

describe('SIGTERM with a live Collector', () => {
  it('exits by the signal about as fast as without the preload', async () => {
    const delays: Record<string, number> = {};
    for (const preload of [false, true]) {
      const run = runFixture('exit-modes.mjs', { preload, env: { ...backends.env, MODE: 'plain', OTEL_SERVICE_NAME: 'fixture-exit' } });
      await run.waitFor('ready');
      const t0 = Date.now();
      run.child.kill('SIGTERM');
      const end = await run.exited;
      assert.equal(end.signal, 'SIGTERM');
      delays[preload ? 'preload' : 'bare'] = end.at - t0;
    }
    console.log(`SIGTERM to exit with a live Collector: bare ${delays['bare']} ms, preload ${delays['preload']} ms`);
    assert.ok(delays['preload']! < delays['bare']! + 300, JSON.stringify(delays));
  });
});

describe('pool acquires as spans only when they waited (FAULTLINE_POOL_CONNECT_SPAN_MIN_MS)', () => {
  type Ids = Record<'idle' | 'holder' | 'waiter' | 'timeout', string>;
  async function run(service: string, env: Record<string, string> = {}): Promise<Record<keyof Ids, JSpan[]>> {
    const r = runFixture('connect-spans.mjs', { preload: true, env: { ...backends.env, OTEL_SERVICE_NAME: service, ...env } });
    const end = await r.exited;
    assert.equal(end.code, 0, r.stderr());
    assert.match(r.stdout(), /failed Error: timeout exceeded when trying to connect/);
    const ids = JSON.parse(/ids (.*)/.exec(r.stdout())![1]!) as Ids;
    const out = {} as Record<keyof Ids, JSpan[]>;
    for (const [name, id] of Object.entries(ids) as [keyof Ids, string][])
      out[name] = await eventually(`trace ${name}`, async () => (await jaeger.getTrace(backends.jaeger, id))?.spans, 30000, 500);
    return out;
  }
  const connects = (spans: JSpan[]) => spans.filter((s) => s.operation === 'pg-pool.connect');
  const root = (spans: JSpan[]) => spans.find((s) => s.parentId === undefined)!;

  it('no span for an idle pool, a span for a wait (its start, its state, under the caller) and for a failure', async () => {
    const t = await run('fixture-connect-spans');
    assert.deepEqual(connects(t.idle), [], 'an acquire from an idle connection is no span');
    const idleQuery = t.idle.find((s) => s.operation.startsWith('pg.query'))!;
    assert.ok(Number(idleQuery.tags['db.client.connection.wait_time']) < 0.05, JSON.stringify(idleQuery.tags));

    const [wait, ...more] = connects(t.waiter);
    assert.ok(wait && more.length === 0, `one wait span in ${t.waiter.map((s) => s.operation)}`);
    const waiter = root(t.waiter);
    assert.equal(wait.parentId, waiter.spanId, 'under the waiting caller');
    assert.ok(wait.duration >= 50_000 && wait.duration < 1_000_000, `waited ${wait.duration} µs`);
    assert.ok(wait.start - waiter.start < 5_000, 'starts when the acquire began');
    assert.equal(wait.tags['db.client.connection.pool.used'], 1, 'used == max when it began');
    assert.equal(wait.tags['db.client.connection.pool.max'], 1);
    assert.equal(wait.tags['db.system.name'], 'postgresql');
    const query = t.waiter.find((s) => s.operation.startsWith('pg.query'))!;
    assert.equal(query.parentId, waiter.spanId, "the query runs in the waiter's context, not the releaser's");
    assert.ok(Number(query.tags['db.client.connection.wait_time']) >= 0.05, JSON.stringify(query.tags));
    assert.deepEqual(connects(t.holder), [], 'the holder took an idle connection');

    const [failed] = connects(t.timeout);
    assert.ok(failed, `a span for the failed acquire in ${t.timeout.map((s) => s.operation)}`);
    assert.equal(failed.tags['error.type'], 'pg.pool.acquire_timeout');
    assert.equal(failed.tags['otel.status_code'], 'ERROR');
  });

  it("0: every acquire is a span again (the pg instrumentation's own)", async () => {
    const t = await run('fixture-connect-spans-all', { FAULTLINE_POOL_CONNECT_SPAN_MIN_MS: '0' });
    assert.equal(connects(t.idle).length, 1);
    assert.equal(connects(t.holder).length, 1);
    assert.equal(connects(t.waiter).length, 1);
  });
});
