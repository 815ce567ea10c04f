/**
 * App log lines end to end, on real parts (PostgreSQL, the Collector, VictoriaLogs on free ports): a pino
 * app with the preload logs inside a request; the request's lines are found in VictoriaLogs by its trace
 * ID and by its client.id, carrying the pool state of their moment; planted secrets (a careless log
 * call with a password field, a token in a logged URL, a bearer header) never reach the log store;
 * `faultline incident`'s log module returns the warning line with its trace link.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LOG_FIELD, logs } from '@faultline/signals';
import { fixtureRunner, logLinesEventually, startBackends, type Backends } from '@faultline/testkit';
import { findingLogLines } from '../../cli/src/log-lines.ts';

const runFixture = fixtureRunner(new URL('../../instrumentation/test/fixtures/', import.meta.url));
const PLANTED = `s3cr3t${Date.now()}`;
const CLIENT = 'team-logs';
const SERVICE = 'pino-app';

let backends: Backends;
let traceId = '';
before(async () => {
  backends = await startBackends();
  const run = runFixture('pino-app.mjs', { preload: true, env: { ...backends.env, OTEL_SERVICE_NAME: SERVICE, PLANTED } });
  try {
    await run.waitFor('listening');
    const port = /listening (\d+)/.exec(run.stdout())![1];
    const res = await fetch(`http://127.0.0.1:${port}/work`, { headers: { 'x-client-id': CLIENT } });
    assert.equal(await res.text(), 'ok');
    await run.waitFor('"level":40');
    traceId = String(
      (
        JSON.parse(
          run
            .stdout()
            .split('\n')
            .find((l) => l.includes('"level":40'))!,
        ) as Record<string, unknown>
      )['trace_id'],
    );
  } finally {
    run.child.kill('SIGTERM');
    await run.exited;
  }
});
after(async () => {
  await backends?.stop();
});

const bothLines = (q: string) => logLinesEventually(backends.logs, q, 2);

describe('app log lines in VictoriaLogs', () => {
  it("are found by the request's trace ID, and carry client.id and the pool state", async () => {
    assert.match(traceId, /^[0-9a-f]{32}$/);
    const found = await bothLines(logs.fieldEq(LOG_FIELD.traceId, traceId));
    for (const l of found) {
      assert.equal(l[LOG_FIELD.clientId], CLIENT);
      assert.equal(l[LOG_FIELD.service], SERVICE);
      // The fixture holds one of its 3 connections while it logs.
      assert.equal(l[LOG_FIELD.poolUsed], '1');
      assert.equal(l[LOG_FIELD.poolMax], '3');
      assert.equal(l[LOG_FIELD.poolPending], '0');
      assert.match(l[LOG_FIELD.poolName] ?? '', /^127\.0\.0\.1:\d+\//);
      assert.match(l[LOG_FIELD.spanId] ?? '', /^[0-9a-f]{16}$/);
    }
    assert.deepEqual(found.map((l) => l[LOG_FIELD.msg]).sort(), ['calling http://svc/x?token=REDACTED&page=2', 'handling request']);
  });

  it('are found by client.id', async () => {
    const found = await bothLines(logs.fieldEq(LOG_FIELD.clientId, CLIENT));
    assert.ok(found.every((l) => l[LOG_FIELD.traceId] === traceId));
  });

  it('never carry a planted secret (careless log call: password field, token in a URL, bearer header)', async () => {
    const raw = JSON.stringify(await bothLines(logs.fieldEq(LOG_FIELD.service, SERVICE)));
    assert.equal(raw.includes(PLANTED), false, `a planted secret reached the log store: ${raw}`);
    assert.ok(raw.includes('REDACTED'));
    assert.ok(raw.includes('page=2'), 'other query parameters are kept');
  });

  it('give faultline incident the warning line of the client, with its trace link', async () => {
    const lines = await findingLogLines(
      backends.logs,
      backends.jaeger,
      { service: SERVICE, tags: { [LOG_FIELD.clientId]: CLIENT } },
      Date.now() / 1000 - 600,
      Date.now() / 1000 + 60,
    );
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.severity, 'warn');
    assert.equal(lines[0]!.traceId, traceId);
    assert.equal(lines[0]!.traceUrl, `${backends.jaeger}/trace/${traceId}`);
    assert.deepEqual(lines[0]!.pool, { used: 1, max: 3, pending: 0 });
  });

  it('a missing log store gives no lines and no failure', async () => {
    const { tolerant } = await import('../../cli/src/log-lines.ts');
    const r = await tolerant(() => findingLogLines('http://127.0.0.1:1', backends.jaeger, { service: SERVICE }, 0, Date.now() / 1000), []);
    assert.deepEqual(r.value, []);
    assert.match(r.error ?? '', /cannot reach VictoriaLogs/);
  });
});
