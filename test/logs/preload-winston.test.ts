/**
 * winston log lines end to end, on real parts (PostgreSQL, the Collector, VictoriaLogs on free ports),
 * as for pino (preload-logs.test.ts): a winston app with the preload logs inside a request; its stdout
 * lines carry the trace context; the request's lines are found in VictoriaLogs by its trace ID and by its
 * client.id, with the pool state of their moment; planted secrets never reach the log store.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LOG_FIELD, logs } from '@faultline/signals';
import { fixtureRunner, logLinesEventually, startBackends, type Backends } from '@faultline/testkit';

const runFixture = fixtureRunner(new URL('../../instrumentation/test/fixtures/', import.meta.url));
const PLANTED = `s3cr3t${Date.now()}`;
const CLIENT = 'team-winston';
const SERVICE = 'winston-app';

let backends: Backends;
let warnLine: Record<string, unknown> = {};
before(async () => {
  backends = await startBackends();
  const run = runFixture('winston-app.mjs', { preload: true, env: { ...backends.env, OTEL_SERVICE_NAME: SERVICE, PLANTED } });
  try {
    await run.waitFor('listening');
    const port = /listening (\d+)/.exec(run.stdout())![1];
    const res = await fetch(`http://127.0.0.1:${port}/work`, { headers: { 'x-client-id': CLIENT } });
    assert.equal(await res.text(), 'ok');
    await run.waitFor('"level":"warn"');
    warnLine = JSON.parse(
      run
        .stdout()
        .split('\n')
        .find((l) => l.includes('"level":"warn"'))!,
    ) as Record<string, unknown>;
  } finally {
    run.child.kill('SIGTERM');
    await run.exited;
  }
});
after(async () => {
  await backends?.stop();
});

const bothLines = (q: string) => logLinesEventually(backends.logs, q, 2);

describe('winston log lines with the preload', () => {
  it('keep their stdout format, plus the trace context', () => {
    assert.equal(warnLine['service'], SERVICE);
    assert.match(String(warnLine['trace_id']), /^[0-9a-f]{32}$/);
    assert.match(String(warnLine['span_id']), /^[0-9a-f]{16}$/);
  });

  it("are found in VictoriaLogs by the request's trace ID and by client.id, with the pool state", async () => {
    const found = await bothLines(logs.fieldEq(LOG_FIELD.traceId, String(warnLine['trace_id'])));
    for (const l of found) {
      assert.equal(l[LOG_FIELD.clientId], CLIENT);
      assert.equal(l[LOG_FIELD.service], SERVICE);
      assert.equal(l[LOG_FIELD.poolUsed], '1');
      assert.equal(l[LOG_FIELD.poolMax], '3');
      assert.equal(l[LOG_FIELD.poolPending], '0');
    }
    assert.deepEqual(found.map((l) => l[LOG_FIELD.msg]).sort(), ['calling http://svc/x?token=REDACTED&page=2', 'handling request']);
    const byClient = await bothLines(logs.fieldEq(LOG_FIELD.clientId, CLIENT));
    assert.ok(byClient.every((l) => l[LOG_FIELD.traceId] === warnLine['trace_id']));
  });

  it('never carry a planted secret (password field, token in a URL, bearer value)', async () => {
    const raw = JSON.stringify(await bothLines(logs.fieldEq(LOG_FIELD.service, SERVICE)));
    assert.equal(raw.includes(PLANTED), false, `a planted secret reached the log store: ${raw}`);
    assert.ok(raw.includes('REDACTED'));
  });
});
