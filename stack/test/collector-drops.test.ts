/**
 * The two losses inside the Collector that no exporter counts, on the real Collector binary with
 * collector/config.yaml and its buffers made small through their env vars: tail sampling dropping
 * traces before their decision (`COLLECTOR_SAMPLING_NUM_TRACES` full) and the service graph dropping
 * spans (`COLLECTOR_SERVICE_GRAPH_MAX_ITEMS` full). Each is counted under the name the alerts
 * `TailSamplingDroppingTraces` and `ServiceGraphDroppingSpans` read (signals' `M`), one count per item
 * lost, and nothing is counted while the buffers hold everything.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freeCollectorPorts, startCollector, type CollectorInstance } from '../src/index.ts';
import { M, scrape, sumCounter } from '@faultline/signals';
import { eventually, newSpanId, newTraceId, sendTraces } from '@faultline/testkit';

/** Traces tail sampling decided on (kept or not), over every decision. */
const DECIDED = 'otelcol_processor_tail_sampling_global_count_traces_sampled';
/** The buffers' size here: traces held by tail sampling, unpaired spans held by the service graph. */
const HELD = 10;
let collector: CollectorInstance;
before(async () => {
  collector = await startCollector({
    ports: await freeCollectorPorts(),
    jaegerOtlpEndpoint: '127.0.0.1:9',
    env: {
      COLLECTOR_SAMPLING_NUM_TRACES: String(HELD),
      COLLECTOR_SERVICE_GRAPH_MAX_ITEMS: String(HELD),
      COLLECTOR_SAMPLING_DECISION_WAIT: '1s',
    },
  });
});
after(async () => {
  await collector?.stop();
});

/**
 * Sends `n` SERVER spans over OTLP/HTTP JSON, each its own trace, each with a parent span that never
 * arrives (a caller that propagates context but sends no spans): the service graph holds every one
 * waiting for its client half.
 */
function sendUnpairedServerSpans(n: number): Promise<void> {
  return sendTraces(collector.otlpHttpUrl, [
    {
      service: 'drops-test',
      spans: Array.from({ length: n }, () => ({
        traceId: newTraceId(),
        spanId: newSpanId(),
        parentSpanId: newSpanId(),
        name: 'GET /x',
        kind: 'server' as const,
      })),
    },
  ]);
}

const counts = async () => {
  const samples = await scrape(collector.metricsUrl);
  return {
    undecided: sumCounter(samples, M.collectorTracesDroppedUndecided),
    serviceGraph: sumCounter(samples, M.collectorServiceGraphDroppedSpans),
  };
};

describe('the Collector counts what it drops inside (the alerts read these counters)', () => {
  it(`counts nothing while ${HELD} traces and unpaired spans fit, then one per trace and span past ${HELD}`, async () => {
    await sendUnpairedServerSpans(HELD);
    // Decided (1 s wait, then the next tick) and still held by the service graph: nothing lost yet.
    await eventually(
      `the first ${HELD} traces decided`,
      async () => (sumCounter(await scrape(collector.metricsUrl), DECIDED) >= HELD ? true : undefined),
      10_000,
      250,
    );
    assert.deepEqual(await counts(), { undecided: 0, serviceGraph: 0 });
    // Past both buffers at once (the service graph still holds the first ones: its ttl is 15 s).
    await sendUnpairedServerSpans(3 * HELD);
    const dropped = await eventually(
      'the drops counted',
      async () => {
        const c = await counts();
        return c.undecided >= 2 * HELD && c.serviceGraph >= 3 * HELD ? c : undefined;
      },
      10_000,
      250,
    );
    assert.deepEqual(dropped, { undecided: 2 * HELD, serviceGraph: 3 * HELD });
  });
});
