/**
 * faultline's own instrumentations (`pg-pool`, `opossum`, `bullmq`) in real apps (ESM and CommonJS,
 * only `--import`) on real PostgreSQL and Redis: switched off by `OTEL_NODE_DISABLED_INSTRUMENTATIONS`
 * they patch nothing; `disable()` at run time, through the real module hooks, puts the original
 * classes back where the module system allows it and patches nothing made afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBackends, type Backends } from '@faultline/testkit';
import { runFixture } from './support/run.ts';

/** What the fixture prints about one pool, breaker and queue it made. */
interface Own {
  instrumentations: string[];
  pools: number;
  breakerOpen: boolean;
  breakerListeners: number;
  bullmqTelemetry: boolean;
  subclassed: { opossum: boolean; bullmq: boolean };
  pgQueryWrapped: boolean;
}

let backends: Backends;
before(async () => {
  backends = await startBackends();
});
after(async () => {
  await backends?.stop();
});

async function run(fixture: string, env: Record<string, string> = {}): Promise<Record<string, Own>> {
  const app = runFixture(fixture, { preload: true, env: { ...backends.env, OTEL_SERVICE_NAME: 'fixture-own', ...env } });
  const end = await app.exited;
  assert.equal(end.code, 0, app.stderr());
  const out: Record<string, Own> = {};
  for (const [, label, json] of app.stdout().matchAll(/^(own(?:-disabled)?) (.*)$/gm)) out[label!] = JSON.parse(json!) as Own;
  assert.ok(out['own'], app.stdout() + app.stderr());
  return out;
}

const OWN = ['@faultline/pg-pool-discovery', '@faultline/opossum', '@faultline/bullmq'];
const ours = (o: Own) => OWN.filter((n) => o.instrumentations.includes(n));

for (const fixture of ['own.mjs', 'own.cjs']) {
  describe(`${fixture}: faultline's own instrumentations`, () => {
    let on: Own;
    before(async () => {
      on = (await run(fixture))['own']!;
    });

    it('by default all three patch: the pool is found, the breaker observed, the queue has telemetry', () => {
      assert.deepEqual(ours(on), OWN);
      assert.equal(on.pools, 1);
      assert.equal(on.breakerOpen, true);
      assert.equal(on.bullmqTelemetry, true);
      assert.deepEqual(on.subclassed, { opossum: true, bullmq: true });
    });

    it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=pg-pool,opossum,bullmq: none of them patches anything', async () => {
      const off = (await run(fixture, { OTEL_NODE_DISABLED_INSTRUMENTATIONS: ' pg-pool , opossum,bullmq,' }))['own']!;
      assert.deepEqual(ours(off), []);
      assert.ok(off.instrumentations.includes('@opentelemetry/instrumentation-pg'), 'the contrib ones stay');
      assert.equal(off.pools, 0, 'no pool stats from discovery');
      assert.equal(off.breakerOpen, true, 'the breaker works as without the preload');
      assert.equal(off.breakerListeners, on.breakerListeners - 1, 'no listener of ours: no breaker spans, events or metrics');
      assert.equal(off.bullmqTelemetry, false, 'no BullMQ telemetry');
      assert.deepEqual(off.subclassed, { opossum: false, bullmq: false });
    });

    it('one name switches off only that one', async () => {
      const off = (await run(fixture, { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'opossum' }))['own']!;
      assert.deepEqual(ours(off), ['@faultline/pg-pool-discovery', '@faultline/bullmq']);
      assert.equal(off.pools, 1);
      assert.equal(off.breakerListeners, on.breakerListeners - 1);
      assert.equal(off.bullmqTelemetry, true);
    });

    it('the contrib names too: OTEL_NODE_DISABLED_INSTRUMENTATIONS=http,pg,ioredis are not created, pg is left unpatched', async () => {
      assert.equal(on.pgQueryWrapped, true, 'by default the pg instrumentation wraps Client.prototype.query');
      const off = (await run(fixture, { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http,pg,ioredis' }))['own']!;
      for (const n of ['http', 'pg', 'ioredis']) assert.ok(!off.instrumentations.includes(`@opentelemetry/instrumentation-${n}`), n);
      assert.ok(off.instrumentations.includes('@opentelemetry/instrumentation-undici'), 'the others stay');
      assert.equal(off.pgQueryWrapped, false, 'pg is not hooked at all');
      assert.equal(off.pools, 1, "faultline's pool discovery is its own switch (pg-pool)");
    });

    it('disable() at run time: what is made afterwards is not patched', async () => {
      const { own, 'own-disabled': off } = await run(fixture, { THEN_DISABLE: '1' });
      assert.deepEqual(ours(own!), OWN);
      assert.deepEqual(ours(off!), []);
      assert.equal(off!.pools, own!.pools, 'the new pool is not registered');
      assert.equal(off!.breakerListeners, own!.breakerListeners - 1, 'the new breaker has no listener of ours');
      assert.equal(off!.bullmqTelemetry, false, 'the new queue has no telemetry');
      // BullMQ's exports are an object, restored in both module systems; opossum's export is the class
      // itself, which only an ESM namespace can give back (CommonJS keeps the subclass, now inert).
      assert.deepEqual(off!.subclassed, { opossum: fixture === 'own.cjs', bullmq: false });
    });
  });
}
