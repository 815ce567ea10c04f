import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { poolNameOf, PoolRegistry } from '../src/pools/registry.ts';
import { StampingSpanProcessor } from '../src/spans/stamping-processor.ts';
import { withClientId } from '../src/spans/client-id.ts';

// Real node-postgres pools; none of these tests needs a connection (see the preload test
// for pools under load on a real PostgreSQL).
const env = {};

describe('poolNameOf', () => {
  it('names a pool host:port/database from options, connection string, PG* env, defaults', () => {
    assert.equal(poolNameOf(new pg.Pool({ host: 'db1', port: 6543, database: 'app' }), env), 'db1:6543/app');
    assert.equal(poolNameOf(new pg.Pool({ connectionString: 'postgres://u:p@db2:5433/shop' }), env), 'db2:5433/shop');
    assert.equal(poolNameOf(new pg.Pool({}), { PGHOST: 'h', PGPORT: '1', PGDATABASE: 'd' }), 'h:1/d');
    assert.equal(poolNameOf({ totalCount: 0, idleCount: 0, waitingCount: 0 }, {}), 'localhost:5432/postgres');
  });
});

describe('PoolRegistry with several pools', () => {
  it('tracks every pool with a unique name and reports each one', async () => {
    const r = new PoolRegistry();
    const a = new pg.Pool({ host: 'db', port: 5432, database: 'app', max: 7 });
    const b = new pg.Pool({ host: 'db', port: 5432, database: 'app', max: 3 });
    const c = new pg.Pool({ host: 'reports', port: 5432, database: 'olap', max: 2 });
    assert.equal(r.add(a), 'db:5432/app');
    assert.equal(r.add(b), 'db:5432/app#2');
    assert.equal(r.add(c), 'reports:5432/olap');
    assert.deepEqual(
      r.snapshots().map((s) => [s.name, s.max, s.used, s.idle, s.pending]),
      [
        ['db:5432/app', 7, 0, 0, 0],
        ['db:5432/app#2', 3, 0, 0, 0],
        ['reports:5432/olap', 2, 0, 0, 0],
      ],
    );
    assert.equal(r.primary()?.name, 'db:5432/app');
    await a.end();
    assert.equal(r.size, 2, 'an ended pool is forgotten');
    assert.equal(r.primary()?.name, 'db:5432/app#2', 'the next pool becomes primary');
    await Promise.all([b.end(), c.end()]);
    assert.equal(r.primary(), undefined);
  });

  it('stamps the pool named by FAULTLINE_POOL when there are several', async () => {
    const r = new PoolRegistry('reports:5432/olap');
    const a = new pg.Pool({ host: 'db', port: 5432, database: 'app' });
    r.add(a);
    assert.equal(r.primary()?.name, 'db:5432/app', 'first pool until the preferred one exists');
    const c = new pg.Pool({ host: 'reports', port: 5432, database: 'olap', max: 4 });
    r.add(c);
    assert.equal(r.primary()?.name, 'reports:5432/olap');
    assert.equal(r.primary()?.max, 4);
    await Promise.all([a.end(), c.end()]);
  });

  it("uses pg-pool's default max of 10 when none is set", async () => {
    const r = new PoolRegistry();
    const a = new pg.Pool({ host: 'db', database: 'x' });
    r.add(a);
    assert.equal(r.primary()?.max, 10);
    await a.end();
  });
});

describe('StampingSpanProcessor', () => {
  function setup(registry: PoolRegistry, clientLimit?: number) {
    const exporter = new InMemorySpanExporter();
    const simple = new SimpleSpanProcessor({ exporter });
    const provider = new TracerProvider({
      spanProcessors: [new StampingSpanProcessor(registry, clientLimit), simple],
    });
    return { exporter, tracer: provider.getTracer('test'), flush: () => simple.forceFlush() };
  }

  it('stamps client.id from baggage and "unknown" without it, on every span kind', async () => {
    const { exporter, tracer, flush } = setup(new PoolRegistry());
    tracer.startSpan('no-client').end();
    const ctx = withClientId(ROOT_CONTEXT, 'team-09');
    const parent = tracer.startSpan('server', {}, ctx);
    tracer.startSpan('child', {}, trace.setSpan(ctx, parent)).end();
    parent.end();
    await flush();
    const byName = Object.fromEntries(exporter.getFinishedSpans().map((s) => [s.name, s.attributes]));
    assert.equal(byName['no-client']!['client.id'], 'unknown');
    assert.equal(byName['server']!['client.id'], 'team-09');
    assert.equal(byName['child']!['client.id'], 'team-09');
    assert.equal(byName['server']!['db.client.connection.pool.name'], undefined, 'no pool, no pool attributes');
  });

  it('marks spans of clients beyond the first N distinct ones for metrics, keeping the real client.id', async () => {
    const { exporter, tracer, flush } = setup(new PoolRegistry(), 3);
    for (const c of ['a', 'b', 'a', 'c', 'd', 'e', 'b', 'd']) tracer.startSpan(c, {}, withClientId(ROOT_CONTEXT, c)).end();
    await flush();
    const seen = exporter
      .getFinishedSpans()
      .map((s) => `${s.attributes['client.id']}${s.attributes['faultline.client_id.overflow'] === true ? '+' : ''}`);
    assert.deepEqual(seen, ['a', 'b', 'a', 'c', 'd+', 'e+', 'b', 'd+']);
  });

  it('stamps the pool state at span start', async () => {
    const registry = new PoolRegistry();
    const pool = new pg.Pool({ host: 'db', port: 5432, database: 'app', max: 50 });
    registry.add(pool);
    const { exporter, tracer, flush } = setup(registry);
    tracer.startSpan('s').end();
    await flush();
    const a = exporter.getFinishedSpans()[0]!.attributes;
    assert.equal(a['db.client.connection.pool.name'], 'db:5432/app');
    assert.equal(a['db.client.connection.pool.max'], 50);
    assert.equal(a['db.client.connection.pool.used'], 0);
    assert.equal(a['db.client.connection.pool.idle'], 0);
    assert.equal(a['db.client.connection.pool.pending_requests'], 0);
    await pool.end();
    assert.equal(propagation.getBaggage(ROOT_CONTEXT), undefined);
  });
});

describe('PgPoolDiscovery', () => {
  it('registers every pool it sees constructed and records each connect wait under that pool’s own name', async () => {
    const { MeterProvider, MetricReader } = await import('@opentelemetry/sdk-metrics');
    const { PgPoolDiscovery } = await import('../src/instrumentations/pg-pool-discovery.ts');
    const { ATTR_POOL_NAME, METRIC_CONNECTION_WAIT_TIME } = await import('../src/semconv.ts');
    class Reader extends MetricReader {
      protected override async onForceFlush(): Promise<void> {}
      protected override async onShutdown(): Promise<void> {}
    }
    const reader = new Reader();
    const registry = new PoolRegistry();
    const discovery = new PgPoolDiscovery(registry);
    discovery.setMeterProvider(new MeterProvider({ readers: [reader] }));
    const OriginalPool = (await import('pg-pool')).default;
    const Pool = discovery.getModuleDefinitions()[0]!.patch!(OriginalPool) as typeof OriginalPool;
    // Held until the end: the registry holds pools weakly, and a collected pool would leave it.
    const unnamed = new Pool();
    assert.ok(unnamed instanceof OriginalPool);
    // Nothing listens on port 1: each connect fails at once, and its wait is still recorded.
    const orders = new Pool({ host: '127.0.0.1', port: 1, database: 'orders' });
    const billing = new Pool({ host: '127.0.0.1', port: 1, database: 'billing' });
    const attempts: [InstanceType<typeof OriginalPool>, number][] = [
      [orders, 3],
      [billing, 1],
    ];
    for (const [pool, n] of attempts) {
      for (let i = 0; i < n; i++) await assert.rejects(pool.connect());
    }
    await new Promise<void>((done) => billing.connect(() => done()));
    const { resourceMetrics } = await reader.collect();
    const wait = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === METRIC_CONNECTION_WAIT_TIME);
    const counts = Object.fromEntries(wait!.dataPoints.map((p) => [p.attributes[ATTR_POOL_NAME], (p.value as { count: number }).count]));
    assert.deepEqual(counts, { '127.0.0.1:1/orders': 3, '127.0.0.1:1/billing': 2 });
    assert.deepEqual(
      registry.snapshots().map((s) => s.name),
      ['localhost:5432/postgres', '127.0.0.1:1/orders', '127.0.0.1:1/billing'],
    );
    await unnamed.end();
  });
});

describe('PoolRegistry with pools of other libraries', () => {
  it('reads knex (tarn) and generic-pool pools through their adapters, beside pg, with the same names rules', async () => {
    const { default: knex } = await import('knex');
    const genericPool = await import('generic-pool');
    const { tarnAdapter, knexPoolName } = await import('../src/instrumentations/pools/knex.ts');
    const { genericPoolAdapter, GENERIC_POOL_NAME } = await import('../src/instrumentations/pools/generic-pool.ts');
    const r = new PoolRegistry();
    const db = knex({ client: 'pg', connection: { host: 'db', port: 5432, database: 'app' }, pool: { min: 0, max: 4 } });
    const client = db.client as Parameters<typeof knexPoolName>[0] & { pool: import('../src/instrumentations/pools/knex.ts').TarnPoolLike };
    const gp = genericPool.createPool({ create: async () => ({}), destroy: async () => {} }, { max: 3, min: 0 });
    const gp2 = genericPool.createPool({ create: async () => ({}), destroy: async () => {} }, { max: 1, min: 0 });
    assert.equal(r.add(client.pool, tarnAdapter(knexPoolName(client))), 'db:5432/app');
    assert.equal(r.add(gp, genericPoolAdapter), GENERIC_POOL_NAME);
    assert.equal(r.add(gp2, genericPoolAdapter), `${GENERIC_POOL_NAME}#2`);
    const held = [await gp.acquire(), await gp.acquire()];
    assert.deepEqual(
      r.snapshots().map((s) => [s.name, s.used, s.idle, s.max, s.pending]),
      [
        ['db:5432/app', 0, 0, 4, 0],
        [GENERIC_POOL_NAME, 2, 0, 3, 0],
        [`${GENERIC_POOL_NAME}#2`, 0, 0, 1, 0],
      ],
    );
    assert.equal(r.primary()?.name, 'db:5432/app', 'the first pool created is the primary');
    await db.destroy();
    assert.equal(r.primary()?.name, GENERIC_POOL_NAME, 'a destroyed knex pool is forgotten');
    held.forEach((x) => gp.release(x));
    await gp.drain();
    await gp.clear();
    assert.deepEqual(
      r.snapshots().map((s) => s.name),
      [`${GENERIC_POOL_NAME}#2`],
      'a drained generic-pool is forgotten',
    );
    assert.equal(knexPoolName({ dialect: 'mysql', connectionSettings: { host: 'm', database: 'shop' } }), 'm:3306/shop');
  });
});

describe('generic-pool pools that a library makes for itself', () => {
  it("are told from the app's by the constructing call stack (node-redis 4's isolation pool)", async () => {
    const { madeByLibrary } = await import('../src/instrumentations/pools/generic-pool.ts');
    const redis4 = [
      'Error',
      '    at new Pool (/app/node_modules/@faultline/instrumentation/dist/instrumentations/pools/generic-pool.js:70:20)',
      '    at Object.createPool (/app/node_modules/generic-pool/index.js:11:12)',
      '    at new RedisClient (/app/node_modules/@redis/client/dist/lib/client/index.js:120:44)',
    ].join('\n');
    const app = redis4.replace('/app/node_modules/@redis/client/dist/lib/client/index.js', '/app/src/db.js');
    assert.equal(madeByLibrary(redis4), true);
    assert.equal(madeByLibrary(redis4.replaceAll('/', '\\')), true, 'Windows paths');
    assert.equal(madeByLibrary(app), false);
    assert.equal(madeByLibrary(undefined), false);
  });
});
