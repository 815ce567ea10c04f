/**
 * Log records in the preload: stamping with client ID and pool state, redaction of bodies and
 * attributes, `OTEL_LOGS_EXPORTER`, and a pino app's stdout with the preload (trace context added, the
 * line otherwise as before).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { context, propagation } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { StampingLogRecordProcessor } from '../src/logs/stamping-processor.ts';
import { RedactingLogRecordProcessor, redactText, redactValue } from '../src/logs/redact.ts';
import { batchOptions, logsExportEnabled } from '../src/logs/export.ts';
import { PoolRegistry, type PgPoolLike } from '../src/pools/registry.ts';
import { ATTR_CLIENT_ID, ATTR_POOL_MAX, ATTR_POOL_NAME, ATTR_POOL_PENDING, ATTR_POOL_USED } from '../src/semconv.ts';
import { runFixture } from './support/run.ts';

function provider() {
  const pools = new PoolRegistry();
  const exporter = new InMemoryLogRecordExporter();
  const lp = new LoggerProvider({
    processors: [new StampingLogRecordProcessor(pools), new RedactingLogRecordProcessor(), new SimpleLogRecordProcessor({ exporter })],
  });
  return { pools, exporter, logger: lp.getLogger('t') };
}

describe('log record stamping', () => {
  it('adds client.id from baggage and the pool state of the moment, under the span attribute names', () => {
    const { pools, exporter, logger } = provider();
    const pool: PgPoolLike = {
      totalCount: 50,
      idleCount: 2,
      waitingCount: 7,
      options: { max: 50, host: 'db', port: 5432, database: 'shop' },
    };
    pools.add(pool);
    const ctx = propagation.setBaggage(context.active(), propagation.createBaggage({ 'client.id': { value: 'team-07' } }));
    logger.emit({ body: 'DB connection timeout', context: ctx });
    logger.emit({ body: 'no client' });
    const [a, b] = exporter.getFinishedLogRecords();
    assert.equal(a!.attributes[ATTR_CLIENT_ID], 'team-07');
    assert.equal(a!.attributes[ATTR_POOL_USED], 48);
    assert.equal(a!.attributes[ATTR_POOL_MAX], 50);
    assert.equal(a!.attributes[ATTR_POOL_PENDING], 7);
    assert.equal(a!.attributes[ATTR_POOL_NAME], 'db:5432/shop');
    assert.equal(b!.attributes[ATTR_CLIENT_ID], 'unknown');
  });
});

describe('log redaction', () => {
  it('masks secrets in free text and keeps everything else', () => {
    assert.equal(redactText('GET /x?token=abc123&page=2'), 'GET /x?token=REDACTED&page=2');
    assert.equal(redactText('auth header Bearer abcdefgh12345'), 'auth header Bearer REDACTED');
    assert.equal(redactText('password=hunter2 user=ann'), 'password=REDACTED user=ann');
    assert.equal(redactText('{"api_key":"k-123","n":1}'), '{"api_key":"REDACTED","n":1}');
    assert.equal(redactText('postgres://app:pw@db/x'), 'postgres://REDACTED:REDACTED@db/x');
    assert.equal(redactText('DB connection timeout'), 'DB connection timeout');
  });

  it('masks values under secret keys, recursively', () => {
    assert.deepEqual(
      redactValue({ user: 'ann', password: 'x', headers: { Authorization: 'y', 'X-Api-Key': 'z', accept: '*/*' }, list: ['token=q'] }),
      {
        user: 'ann',
        password: 'REDACTED',
        headers: { Authorization: 'REDACTED', 'X-Api-Key': 'REDACTED', accept: '*/*' },
        list: ['token=REDACTED'],
      },
    );
  });

  it('applies to the body and attributes of emitted records', () => {
    const { exporter, logger } = provider();
    logger.emit({ body: 'login ?password=p4ss', attributes: { secret: 's', 'http.url': '/cb?code=c0de&x=1', n: 3 } });
    const [r] = exporter.getFinishedLogRecords();
    assert.equal(r!.body, 'login ?password=REDACTED');
    assert.equal(r!.attributes['secret'], 'REDACTED');
    assert.equal(r!.attributes['http.url'], '/cb?code=REDACTED&x=1');
    assert.equal(r!.attributes['n'], 3);
  });
});

describe('OTEL_LOGS_EXPORTER and OTEL_BLRP_*', () => {
  it('sends by default and with otlp, not with none', () => {
    assert.equal(logsExportEnabled({}), true);
    assert.equal(logsExportEnabled({ OTEL_LOGS_EXPORTER: 'otlp' }), true);
    assert.equal(logsExportEnabled({ OTEL_LOGS_EXPORTER: 'none' }), false);
  });

  it('reads the batch processor limits', () => {
    assert.deepEqual(batchOptions({ OTEL_BLRP_SCHEDULE_DELAY: '200', OTEL_BLRP_MAX_QUEUE_SIZE: 'x' }), { scheduledDelayMillis: 200 });
  });
});

async function pinoLines(preload: boolean): Promise<Record<string, unknown>[]> {
  const run = runFixture('pino-app.mjs', {
    preload,
    env: { OTEL_LOGS_EXPORTER: 'none', OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_SERVICE_NAME: 'pino-app' },
  });
  try {
    await run.waitFor('listening');
    const port = /listening (\d+)/.exec(run.stdout())![1];
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/work`)).text(), 'ok');
    await run.waitFor('"level":40');
  } finally {
    run.child.kill('SIGTERM');
    await run.exited;
  }
  return run
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('a pino app with the preload', () => {
  it('keeps logging the same JSON lines to stdout, with trace_id and span_id added inside requests', async () => {
    const [bare, withPreload] = [await pinoLines(false), await pinoLines(true)];
    const strip = (l: Record<string, unknown>) => {
      const { time: _t, pid: _p, hostname: _h, trace_id: _ti, span_id: _si, trace_flags: _tf, ...rest } = l;
      return rest;
    };
    assert.equal(withPreload.length, 2);
    assert.deepEqual(withPreload.map(strip), bare.map(strip));
    for (const l of withPreload) {
      assert.match(String(l['trace_id']), /^[0-9a-f]{32}$/);
      assert.match(String(l['span_id']), /^[0-9a-f]{16}$/);
    }
    assert.equal(bare[0]!['trace_id'], undefined);
  });
});
