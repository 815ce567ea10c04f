/**
 * End to end on the real stack: PostgreSQL, Redis, the Collector, Jaeger, the demo fleet with
 * the preload, and load from many clients. Everything asserted is read back from Jaeger's API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startStack, type Stack } from '../../stack/src/index.ts';
import { jaeger as jaegerApi, type JaegerSpan as JSpan, type JaegerTrace as JTrace } from '@faultline/signals';
import { eventually, lookback } from '@faultline/testkit';

const POOL_ATTRS = [
  'db.client.connection.pool.name',
  'db.client.connection.pool.used',
  'db.client.connection.pool.idle',
  'db.client.connection.pool.max',
  'db.client.connection.pool.pending_requests',
];

let stack: Stack;
let jaeger = '';

before(async () => {
  stack = await startStack({ fleet: true, load: { rate: 40 } });
  jaeger = stack.urls.jaegerQuery;
  await eventually(
    'all fleet services in Jaeger',
    async () => {
      const names = await jaegerApi.services(jaeger);
      return ['lb', 'api', 'worker', 'partner'].every((s) => names.includes(s)) ? names : undefined;
    },
    90000,
  );
});

after(async () => {
  await stack?.stop();
});

const isServer = (s: JSpan) => s.kind === 'server';
const isClient = (s: JSpan) => s.kind === 'client';

/** The client ID the edge saw: the lb's server span of the trace. */
function edgeClient(t: JTrace): string | undefined {
  const root = t.spans.find((s) => s.service === 'lb' && isServer(s) && s.parentId === undefined);
  return root?.tags['client.id'] as string | undefined;
}

function hasFullPath(t: JTrace): boolean {
  const s = t.spans;
  return (
    s.some((x) => x.service === 'lb' && isServer(x)) &&
    s.some((x) => x.service === 'lb' && isClient(x)) &&
    s.some((x) => x.service === 'api' && isServer(x)) &&
    s.some(
      (x) => x.service === 'api' && x.operation.startsWith('pg.query') && typeof x.tags['db.client.connection.wait_time'] === 'number',
    ) &&
    s.some((x) => x.service === 'api' && (x.tags['db.system.name'] === 'redis' || x.tags['db.system'] === 'redis')) &&
    s.some((x) => x.service === 'api' && isClient(x) && String(x.tags['server.port'] ?? x.tags['url.full'] ?? '').includes('8090')) &&
    s.some((x) => x.service === 'worker' && x.kind === 'consumer')
  );
}

describe('the fleet under load, read back from Jaeger', () => {
  it('has one trace holding lb → api → query (with its pool wait) + cache + partner → worker job', async () => {
    const trace = await eventually(
      'a trace with the full request path',
      async () => {
        const traces = await jaegerApi.findTraces(jaeger, { service: 'worker' }, ...lookback(300), 200);
        return traces.find(hasFullPath);
      },
      60000,
      2000,
    );
    const lbHop = trace.spans.find((s) => s.service === 'lb' && isClient(s))!;
    const apiServer = trace.spans.find((s) => s.service === 'api' && isServer(s))!;
    assert.equal(apiServer.parentId, lbHop.spanId, 'the api server span is a child of the lb client span');
    const job = trace.spans.find((s) => s.service === 'worker' && s.kind === 'consumer')!;
    assert.ok(job, 'the worker job span continues the trace');
    const get = trace.spans.find((s) => s.service === 'api' && s.operation === 'get')!;
    assert.equal(typeof get.tags['cache.hit'], 'boolean', 'the Redis read says hit or miss');
    const queued = Number(apiServer.tags['http.server.request.queue_time']);
    assert.ok(queued >= 0 && queued < 5, `queue time from x-request-start: ${apiServer.tags['http.server.request.queue_time']}`);
  });

  it('stamps every span of every trace with the client ID of the request that started it', async () => {
    // Wait for enough traffic: 200 lb traces from at least 10 clients (about 10 s of load).
    const traces = await eventually(
      '200 lb traces from 10 clients',
      async () => {
        const t = await jaegerApi.findTraces(jaeger, { service: 'lb' }, ...lookback(300), 200);
        return t.length >= 200 && new Set(t.map(edgeClient)).size >= 10 ? t : undefined;
      },
      60000,
      2000,
    );
    let spans = 0;
    for (const t of traces) {
      const expected = edgeClient(t) ?? 'unknown';
      for (const s of t.spans) {
        spans++;
        assert.equal(s.tags['client.id'], expected, `${s.service}/${s.operation} in ${t.traceId}`);
      }
    }
    const clients = new Set(traces.map(edgeClient));
    assert.ok(clients.size >= 10, `traces from ${clients.size} clients`);
    console.log(`checked ${spans} spans in ${traces.length} traces from ${clients.size} clients`);
  });

  it('stamps every api and worker span with the pool state', async () => {
    for (const service of ['api', 'worker']) {
      const traces = await jaegerApi.findTraces(jaeger, { service }, ...lookback(300), 100);
      assert.ok(traces.length > 0, `no ${service} traces`);
      for (const t of traces) {
        for (const s of t.spans.filter((x) => x.service === service)) {
          for (const a of POOL_ATTRS) assert.notEqual(s.tags[a], undefined, `${a} missing on ${service}/${s.operation}`);
          assert.ok(Number(s.tags['db.client.connection.pool.used']) <= Number(s.tags['db.client.connection.pool.max']));
        }
      }
    }
  });

  it("finds only one client's traces by the client.id tag", async () => {
    const client = 'team-03';
    const traces = await jaegerApi.findTraces(jaeger, { service: 'api', tags: { 'client.id': client } }, ...lookback(300), 50);
    assert.ok(traces.length > 0, `no traces for ${client}`);
    for (const t of traces) {
      for (const s of t.spans) assert.equal(s.tags['client.id'], client, `${s.service}/${s.operation}`);
    }
  });
});
