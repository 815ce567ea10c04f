/**
 * mysql2 and Sequelize pools found without code changes: an app with only `--import` (ESM and CommonJS)
 * saturates its pool of 2 once, and every span Jaeger holds of that request carries the client ID and
 * the pool's state; the query that ran while two others waited shows used == max with 2 pending.
 * MariaDB (for mysql2) and PostgreSQL (for Sequelize) are real servers on free ports.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jaeger, type JaegerSpan } from '@faultline/signals';
import { freePort, startMariaDb, startTogether, type MariaDbInstance } from '@faultline/stack';
import { eventually, lookback, startBackends, type Backends } from '@faultline/testkit';
import { runFixture } from '../support/run.ts';

let backends: Backends;
let mariadb: MariaDbInstance;
before(async () => {
  [backends, mariadb] = await startTogether([startBackends(), freePort().then((port) => startMariaDb({ port }))]);
  console.log(`MariaDB ready in ${mariadb.readyMs} ms`);
});
after(async () => {
  await Promise.all([backends?.stop(), mariadb?.stop()]);
});

/** Runs `fixture`, asks it to saturate its pool once as `client`, and returns the spans of that request. */
async function saturatedSpans(fixture: string, service: string, client: string, env: Record<string, string>): Promise<JaegerSpan[]> {
  const run = runFixture(fixture, { preload: true, env: { ...backends.env, ...env, OTEL_SERVICE_NAME: service } });
  try {
    await run.waitFor('listening');
    const port = /listening (\d+)/.exec(run.stdout())![1]!;
    const res = await fetch(`http://127.0.0.1:${port}/saturate`, { headers: { 'x-client-id': client } });
    assert.equal(res.status, 200, await res.text());
    const trace = await eventually(
      `the saturating request of ${service} in Jaeger`,
      async () => {
        const t = await jaeger.findTraces(backends.jaeger, { service, tags: { 'client.id': client } }, ...lookback(300), 5);
        // The server span and its queries (at least the three SELECTs of the saturation).
        return t.find((x) => x.spans.filter((s) => s.tags['db.query.text'] !== undefined || s.operation.includes('SELECT')).length >= 3);
      },
      30000,
      500,
    );
    return trace.spans;
  } finally {
    run.child.kill('SIGTERM');
    await run.exited;
  }
}

function assertPoolOnEverySpan(spans: JaegerSpan[], client: string, poolName: string): void {
  for (const s of spans) {
    assert.equal(s.tags['client.id'], client, `client.id on ${s.operation}`);
    assert.equal(s.tags['db.client.connection.pool.name'], poolName, `pool name on ${s.operation}`);
    assert.equal(s.tags['db.client.connection.pool.max'], 2, `pool max on ${s.operation}`);
    for (const k of ['used', 'idle', 'pending_requests'])
      assert.equal(typeof s.tags[`db.client.connection.pool.${k}`], 'number', `${k} on ${s.operation}`);
  }
  const saturated = spans.filter(
    (s) => s.tags['db.client.connection.pool.used'] === 2 && Number(s.tags['db.client.connection.pool.pending_requests']) > 0,
  );
  assert.ok(
    saturated.length > 0,
    `no span shows used == max with requests pending: ${JSON.stringify(spans.map((s) => [s.operation, s.tags['db.client.connection.pool.used'], s.tags['db.client.connection.pool.pending_requests']]))}`,
  );
}

for (const fixture of ['mysql2-pool.mjs', 'mysql2-pool.cjs']) {
  describe(`mysql2 pool, ${fixture} with only --import`, () => {
    it('stamps client.id and the pool state on every span, used == max with pending at the saturated moment', async () => {
      const client = `team-${fixture.replace('.', '-')}`;
      const spans = await saturatedSpans(fixture, `fixture-${fixture.replace('.', '-')}`, client, { MYSQL_URL: mariadb.url });
      assert.ok(
        spans.some((s) => s.kind === 'client' && (s.tags['db.system.name'] === 'mysql' || s.tags['db.system'] === 'mysql')),
        `no mysql query span in ${spans.map((s) => s.operation)}`,
      );
      assertPoolOnEverySpan(spans, client, `127.0.0.1:${mariadb.port}/${mariadb.database}`);
    });
  });
}

for (const fixture of ['sequelize-pool.mjs', 'sequelize-pool.cjs']) {
  describe(`Sequelize pool on PostgreSQL, ${fixture} with only --import`, () => {
    it('stamps client.id and the pool state on every span, used == max with pending at the saturated moment', async () => {
      const client = `team-${fixture.replace('.', '-')}`;
      const spans = await saturatedSpans(fixture, `fixture-${fixture.replace('.', '-')}`, client, {});
      assert.ok(
        spans.some((s) => s.operation.startsWith('pg.query')),
        `no pg query span in ${spans.map((s) => s.operation)}`,
      );
      assertPoolOnEverySpan(spans, client, `${backends.env['PGHOST']}:${backends.env['PGPORT']}/${backends.env['PGDATABASE']}`);
    });
  });
}
