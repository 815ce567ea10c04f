/**
 * Nothing secret on spans, end to end: a real app with the preload handles credentials in headers,
 * query strings, SQL parameters and outbound calls; everything that reaches Jaeger through the real
 * Collector is fetched and searched for the planted values.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, fixtureRunner, startBackends, type Backends } from '@faultline/testkit';

const runFixture = fixtureRunner(new URL('../../instrumentation/test/fixtures/', import.meta.url));

const PLANTED = `s3cr3t${Date.now()}`;
let backends: Backends;
before(async () => {
  backends = await startBackends();
});
after(async () => {
  await backends?.stop();
});

describe('planted secrets', () => {
  it('never reach Jaeger: headers, query strings, SQL parameters, outbound calls', async () => {
    const run = runFixture('secrets-app.mjs', { preload: true, env: { ...backends.env, OTEL_SERVICE_NAME: 'secrets-app', PLANTED } });
    try {
      await run.waitFor('listening');
      const port = /listening (\d+)/.exec(run.stdout())![1];
      for (const path of [
        `/login?token=${PLANTED}&user=ann`,
        `/cb?code=${PLANTED}&password=${PLANTED}`,
        `/x?Signature=${PLANTED}&sig=${PLANTED}`,
      ]) {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, {
          headers: { authorization: `Bearer ${PLANTED}`, cookie: `sid=${PLANTED}`, 'x-api-key': PLANTED, 'x-client-id': 'team-sec' },
        });
        assert.equal(await res.text(), 'done');
      }
      const raw = await eventually(
        "the app's traces in Jaeger",
        async () => {
          const res = await fetch(`${backends.jaeger}/api/traces?service=secrets-app&limit=50&lookback=5m`);
          const text = await res.text();
          const traces = (JSON.parse(text) as { data: unknown[] }).data ?? [];
          return traces.length >= 3 && text.includes('pg.query') && text.includes('/echo') ? text : undefined;
        },
        30000,
        500,
      );
      assert.ok(raw.includes('REDACTED'), 'secret query parameters are shown as REDACTED');
      assert.equal(
        raw.includes(PLANTED),
        false,
        `a planted secret reached Jaeger: ${raw.slice(Math.max(0, raw.indexOf(PLANTED) - 200), raw.indexOf(PLANTED) + 60)}`,
      );
      assert.ok(raw.includes('user=ann') && raw.includes('page=2'), 'other query parameters are kept');
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });
});

describe('the Collector as second line of defence', () => {
  it('masks credentials that an SDK without faultline sent', async () => {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
    const { TracerProvider, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace');
    const { resourceFromAttributes } = await import('@opentelemetry/resources');
    const exporter = new OTLPTraceExporter({ url: `${backends.env['OTEL_EXPORTER_OTLP_ENDPOINT']}/v1/traces` });
    const processor = new SimpleSpanProcessor({ exporter });
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'careless-sdk' }),
      spanProcessors: [processor],
    });
    provider
      .getTracer('t')
      .startSpan('GET /careless', {
        attributes: {
          'http.request.header.authorization': [`Bearer ${PLANTED}`],
          'http.request.header.cookie': [`sid=${PLANTED}`],
          'url.full': `https://api.example/careless?access_token=${PLANTED}&page=3`,
          'url.query': `access_token=${PLANTED}&page=3`,
          'app.note': `sent with Bearer ${PLANTED}abcdef`,
        },
      })
      .end();
    await processor.forceFlush();
    await provider.shutdown();
    const raw = await eventually(
      'the careless span in Jaeger',
      async () => {
        const text = await (await fetch(`${backends.jaeger}/api/traces?service=careless-sdk&limit=5&lookback=5m`)).text();
        return text.includes('/careless') ? text : undefined;
      },
      30000,
      500,
    );
    assert.equal(raw.includes(PLANTED), false, raw);
    assert.ok(raw.includes('page=3'));
    assert.equal(raw.includes('http.request.header.authorization'), false);
  });
});
