/**
 * Jaeger's memory stays bounded under load with Badger storage: two minutes of demo-shaped traces at the
 * demo's rate (42 traces/s, 5 spans each) through the Collector (its default tail sampling: every trace
 * of the first two minutes is kept by the deploy policy, so Jaeger stores all of them here). The
 * 30-minute curve is a measurement, not a test: `npm run measure -- jaeger-memory`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { M, scrape, sumCounter } from '@faultline/signals';
import { rssMb, traceLoad } from '@faultline/testkit';
import { startCollector, type CollectorInstance } from '../src/collector.ts';
import { startJaeger, type JaegerInstance } from '../src/jaeger.ts';
import { freePorts } from '../src/ports.ts';

const LOAD_MS = 120_000;
const LIMIT_MB = 300;

let jaeger: JaegerInstance;
let collector: CollectorInstance;
before(async () => {
  const [jg, jh, jq, jqg, jhe, jm, g, h, he, p, m] = (await freePorts(11)) as number[];
  jaeger = await startJaeger({
    ports: { otlpGrpc: jg!, otlpHttp: jh!, query: jq!, queryGrpc: jqg!, health: jhe!, metrics: jm! },
    name: 'test-memory-jaeger',
  });
  collector = await startCollector({
    ports: { otlpGrpc: g!, otlpHttp: h!, health: he!, prometheus: p!, metrics: m! },
    jaegerOtlpEndpoint: jaeger.otlpGrpcEndpoint,
    name: 'test-memory-collector',
  });
});
after(async () => {
  await collector?.stop();
  await jaeger?.stop();
});

describe('jaeger memory under load', () => {
  it(`stays under ${LIMIT_MB} MB RSS over ${LOAD_MS / 60_000} minutes at 42 traces/s`, async () => {
    const rss: number[] = [];
    const timer = setInterval(() => rss.push(rssMb(jaeger.process.pid)), 5000);
    const sent = await traceLoad(collector.otlpHttpUrl, { durationMs: LOAD_MS }).finally(() => clearInterval(timer));
    const stored = sumCounter(await scrape(collector.metricsUrl), M.collectorSentSpans, { exporter: 'otlp_grpc/jaeger' });
    console.log(
      `sent ${sent.traces} traces (${sent.spans} spans), ${stored} spans to Jaeger; Jaeger RSS MB every 5 s: ${rss.map((x) => x.toFixed(0)).join(' ')}`,
    );
    assert.equal(sent.failedSends, 0);
    assert.ok(stored > 0.9 * sent.spans, 'Jaeger received the load (deploy window: every trace is kept)');
    assert.ok(Math.max(...rss) < LIMIT_MB, `Jaeger RSS peaked at ${Math.max(...rss).toFixed(0)} MB`);
  });
});
