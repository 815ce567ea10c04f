/**
 * No span the Collector accepted is lost: (a) Jaeger stopped for FAULT_OUTAGE_S seconds (default 60)
 * while spans flow — the Collector keeps them in its file_storage queue and delivers them when Jaeger
 * returns; (b) the Collector restarted (SIGTERM, start again on the same storage) while spans flow.
 * Spans are counted at the source, at the Collector (its own counters) and in Jaeger. And the span
 * metrics (computed before tail sampling) count exactly the spans the app's SDK says it exported, by the
 * SDK's own counter `otel.sdk.processor.span.processed` (semantic conventions, "OTel SDK metrics").
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  freePorts,
  startCollector,
  startJaeger,
  type CollectorInstance,
  type CollectorPorts,
  type JaegerInstance,
  type JaegerPorts,
} from '../../stack/src/index.ts';
import { jaeger as jaegerApi, M, samplesOf, scrape, sumCounter, sumSeries } from '@faultline/signals';
import { eventually, fixtureRunner, lookback } from '@faultline/testkit';

const runFixture = fixtureRunner(new URL('../../instrumentation/test/fixtures/', import.meta.url));

const OUTAGE_MS = Number(process.env['FAULT_OUTAGE_S'] ?? 60) * 1000;
let cPorts: CollectorPorts;
let jPorts: JaegerPorts;
let collector: CollectorInstance | undefined;
let jaeger: JaegerInstance | undefined;

before(async () => {
  const [g, h, he, p, m, jg, jh, jq, jqg, jhe, jm] = await freePorts(11);
  cPorts = { otlpGrpc: g!, otlpHttp: h!, health: he!, prometheus: p!, metrics: m! };
  jPorts = { otlpGrpc: jg!, otlpHttp: jh!, query: jq!, queryGrpc: jqg!, health: jhe!, metrics: jm! };
  jaeger = await startJaeger({ ports: jPorts });
  collector = await startCollector({ ports: cPorts, jaegerOtlpEndpoint: jaeger.otlpGrpcEndpoint, keepAllTraces: true });
});
after(async () => {
  await collector?.stop();
  await jaeger?.stop();
});

async function acceptedSpans(c: CollectorInstance): Promise<number> {
  return sumCounter(await scrape(c.metricsUrl), M.collectorAcceptedSpans);
}

async function spansInJaeger(service: string, atLeast: number): Promise<number> {
  return (await jaegerApi.searchSpans(jaeger!.queryUrl, { service }, ...lookback(3600), atLeast + 1000)).length;
}

function steady(service: string, lifeMs: number, rate: number, env: Record<string, string> = {}) {
  return runFixture('steady.mjs', {
    preload: true,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector!.otlpHttpUrl,
      OTEL_SERVICE_NAME: service,
      RATE: String(rate),
      LIFE_MS: String(lifeMs),
      OTEL_BSP_SCHEDULE_DELAY: '200',
      ...env,
    },
  });
}

/** The Collector's Jaeger exporter's counters: spans sent, and spans it failed to send (and dropped). */
async function jaegerExporter(c: CollectorInstance): Promise<{ sent: number; failed: number }> {
  const samples = await scrape(c.metricsUrl);
  const match = { exporter: 'otlp_grpc/jaeger' };
  return { sent: sumCounter(samples, M.collectorSentSpans, match), failed: sumCounter(samples, M.collectorFailedSpans, match) };
}

describe('no accepted span is lost', () => {
  it(`while Jaeger is down for ${OUTAGE_MS / 1000} s`, async () => {
    await jaeger!.stop();
    const run = steady('zero-loss-jaeger', Math.min(OUTAGE_MS, 20_000), 100);
    const end = await run.exited;
    assert.equal(end.code, 0, run.stderr());
    const made = Number(/made (\d+)/.exec(run.stdout())![1]);
    const accepted = await acceptedSpans(collector!);
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - 20_000)));
    jaeger = await startJaeger({ ports: jPorts });
    const found = await eventually(
      'every queued span in Jaeger',
      async () => {
        const n = await spansInJaeger('zero-loss-jaeger', made);
        return n >= made ? n : undefined;
      },
      60_000,
      1000,
    ).catch(async () => spansInJaeger('zero-loss-jaeger', made));
    console.log(`Jaeger down ${OUTAGE_MS / 1000} s: made ${made}, Collector accepted ${accepted}, found in Jaeger ${found}`);
    assert.equal(accepted, made, 'the Collector accepted every span');
    assert.equal(found, made, 'every accepted span reached Jaeger');
  });

  it('while the Collector restarts under traffic', async () => {
    const baseline = await acceptedSpans(collector!);
    const run = steady('zero-loss-restart', 16_000, 100);
    await new Promise((r) => setTimeout(r, 6000));
    const before = (await acceptedSpans(collector!)) - baseline;
    await collector!.stop();
    collector = await startCollector({ ports: cPorts, jaegerOtlpEndpoint: jaeger!.otlpGrpcEndpoint, keepData: true, keepAllTraces: true });
    const end = await run.exited;
    assert.equal(end.code, 0, run.stderr());
    const made = Number(/made (\d+)/.exec(run.stdout())![1]);
    const afterRestart = await acceptedSpans(collector);
    const accepted = before + afterRestart;
    const found = await eventually(
      'the accepted spans in Jaeger',
      async () => {
        const n = await spansInJaeger('zero-loss-restart', made);
        return n >= accepted ? n : undefined;
      },
      30_000,
      1000,
    ).catch(async () => spansInJaeger('zero-loss-restart', made));
    console.log(`Collector restart: made ${made}, accepted ≥ ${accepted} (${before} before the restart), found in Jaeger ${found}`);
    assert.ok(found >= accepted, `accepted ${accepted} but Jaeger has ${found}`);
    assert.ok(found <= made);
    assert.ok(accepted > 0.9 * made, `the SDK retried through the restart: accepted ${accepted} of ${made}`);
  });

  // Jaeger's OTLP gRPC receiver takes messages of at most 4 MiB (gRPC's default; jaeger/config.yaml raises
  // it to 16) and refuses a larger one with ResourceExhausted, which the exporter treats as permanent: the
  // batch is dropped. The batch processor caps its batches (send_batch_max_size) so that a burst cannot
  // build one: 8,192 spans of 1.1 kB, what one second of this burst gives an uncapped batch, are 9 MB. And
  // tail sampling holds every trace of the burst until its decision (num_traces).
  it('a burst of large spans (≥ 10,000 spans/s of 1 kB) reaches Jaeger: no batch too large to send', async () => {
    const before = await jaegerExporter(collector!);
    const baseline = await acceptedSpans(collector!);
    const run = steady('zero-loss-burst', 4000, 20_000, {
      PAD_BYTES: '1000',
      OTEL_BSP_MAX_QUEUE_SIZE: '65536',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2048',
    });
    const end = await run.exited;
    assert.equal(end.code, 0, run.stderr());
    const made = Number(/made (\d+)/.exec(run.stdout())![1]);
    const accepted = (await acceptedSpans(collector!)) - baseline;
    let now = before;
    await eventually(
      'every accepted span sent or failed',
      async () => {
        now = await jaegerExporter(collector!);
        return now.sent + now.failed - before.sent - before.failed >= accepted ? now : undefined;
      },
      60_000,
      500,
    ).catch(() => undefined);
    const sent = now.sent - before.sent;
    const failed = now.failed - before.failed;
    const samples = await scrape(collector!.metricsUrl);
    const undecided = sumCounter(samples, 'otelcol_processor_tail_sampling_sampling_trace_dropped_too_early');
    console.log(
      `burst: made ${made}, Collector accepted ${accepted}, sent to Jaeger ${sent}, failed ${failed}; dropped by tail sampling undecided (since start) ${undecided}`,
    );
    assert.ok(accepted >= 0.5 * made && accepted > 20_000, `a burst reached the Collector: accepted ${accepted} of ${made}`);
    assert.equal(failed, 0, 'no batch refused by Jaeger');
    assert.equal(undecided, 0, 'no trace dropped by tail sampling before its decision (num_traces)');
    assert.equal(sent, accepted, 'every accepted span sent to Jaeger');
  });

  it("the span metrics count exactly the spans the app's SDK exported, by the SDK's own counter", async () => {
    const service = 'zero-loss-sdk-count';
    const run = steady(service, 8000, 100);
    const end = await run.exited;
    assert.equal(end.code, 0, run.stderr());
    const made = Number(/made (\d+)/.exec(run.stdout())![1]);
    // The SDK's counter arrives with its last metric export (on exit); span_metrics flushes every 5 s.
    let last = { sdk: 0, failed: 0, calls: 0 };
    await eventually(
      'the SDK counter and the span metrics for every span made',
      async () => {
        const samples = await scrape(collector!.prometheusUrl);
        // Spans dropped or failed carry error.type; exported ones do not.
        const processed = samplesOf(samples, M.sdkSpansProcessed, { service_name: service });
        const sum = (failed: boolean) => processed.filter((s) => !!s.labels['error_type'] === failed).reduce((n, s) => n + s.value, 0);
        last = { sdk: sum(false), failed: sum(true), calls: sumSeries(samples, M.calls, { service_name: service }) };
        return last.sdk >= made && last.calls >= made ? last : undefined;
      },
      30_000,
      1000,
    ).catch((e: Error) => assert.fail(`${e.message}: made ${made}, ${JSON.stringify(last)}`));
    console.log(`made ${made}; SDK processed ${last.sdk} (failed ${last.failed}); span-metric calls ${last.calls}`);
    assert.equal(last.failed, 0, 'no span dropped or failed in the SDK');
    assert.equal(last.sdk, made, "the SDK's counter counts every span the app made");
    assert.equal(last.calls, last.sdk, "span-metric calls = the SDK's exported spans");
  });
});
