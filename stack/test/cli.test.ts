/**
 * The demo CLI: argument parsing, and a short real run of the backends that ends by itself with exit 0;
 * then a second run of the same stack finds the trace sent during the first (by ID and by `client.id`):
 * traces survive a full stop/start. Both runs keep their state in a directory of their own
 * (`FAULTLINE_RUN_DIR`), removed at the end, so the test's trace never shows up in the user's own demo.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { jaeger as jq, M, parseDurationMs as parseDuration, parseExposition, sumSeries } from '@faultline/signals';
import { eventually, lookback, newSpanId, newTraceId, sendTraces } from '@faultline/testkit';
import { parseDemoArgs } from '../src/cli.ts';
import { isPortFree } from '../src/ports.ts';

/** What the live summary does with the Collector's /metrics text. */
const sumMetric = (text: string, name: string) => sumSeries(parseExposition(text), name);

describe('cli arguments', () => {
  it('parses durations', () => {
    assert.equal(parseDuration('300s'), 300_000);
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('90'), 90_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('1500ms'), 1500);
    assert.throws(() => parseDuration('5 minutes'), /not a duration/);
  });
  it('parses demo options', () => {
    assert.deepEqual(parseDemoArgs([]), { load: true, fleet: true, loadOptions: {} });
    assert.deepEqual(parseDemoArgs(['--duration', '5m', '--rate=12', '--clients', '3']), {
      load: true,
      fleet: true,
      durationMs: 300_000,
      loadOptions: { rate: 12, clients: 3 },
    });
    assert.equal(parseDemoArgs(['--no-load']).load, false);
    assert.deepEqual(parseDemoArgs(['--no-fleet']), { load: false, fleet: false, loadOptions: {} });
    assert.throws(() => parseDemoArgs(['--rate']), /needs a value/);
    assert.throws(() => parseDemoArgs(['--rate', '-1']), /non-negative/);
    assert.throws(() => parseDemoArgs(['--what']), /unknown option/);
  });
  it('parses the profile', () => {
    assert.equal(parseDemoArgs(['--profile', 'scale']).profile, 'scale');
    assert.deepEqual(parseDemoArgs(['--profile', 'default']), { load: true, fleet: true, loadOptions: {} });
    assert.throws(() => parseDemoArgs(['--profile', 'big']), /default or scale/);
  });
  it('sums a metric over its series', () => {
    const text =
      '# TYPE x counter\notelcol_receiver_accepted_spans{transport="grpc"} 5\notelcol_receiver_accepted_spans{transport="http"} 7\notelcol_receiver_accepted_spans_other 100\n';
    assert.equal(sumMetric(text, M.collectorAcceptedSpans), 12);
    assert.equal(sumMetric(text, 'nothing'), 0);
  });
});

const JAEGER = 'http://127.0.0.1:16686';
/** A trace sent during the first run, looked up in the second. */
const RESTART_CLIENT = `team-restart-${process.pid}`;
let restartTrace: string | undefined;
/** The demo runs' data, logs and pid files (both runs share it: the second reads what the first stored). */
const RUN_DIR = mkdtempSync(join(tmpdir(), 'faultline-demo-test-'));
after(() => rmSync(RUN_DIR, { recursive: true, force: true }));

/**
 * Runs `demo --no-fleet --duration <duration>`; `whileReady` runs once the stack is ready (its
 * result is awaited before the exit is). @returns the exit code and all output.
 */
async function demo(duration: string, whileReady: () => Promise<void> = async () => {}): Promise<{ code: number | null; out: string }> {
  const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  const child = spawn(process.execPath, [cli, 'demo', '--no-fleet', '--duration', duration], {
    env: { ...process.env, FAULTLINE_RUN_DIR: RUN_DIR },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let during: Promise<void> | undefined;
  const onData = (d: Buffer) => {
    out += d;
    if (!during && /ready in \d+\.\d s/.test(out)) {
      during = whileReady();
      during.catch(() => {}); // awaited (and thrown) after the exit
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  await during;
  return { code, out };
}

describe('cli demo --no-fleet', () => {
  it('starts the backends, prints where to look and a summary, stops after --duration, exit 0', async () => {
    // Meanwhile: one failed request of a client through the Collector (tail sampling keeps errors), stored in Jaeger.
    // The demo's Collector decides 3 s after a root span arrives (checked each second), then batches for 1 s:
    // about 5 s to Jaeger when idle; the run lasts long enough to wait three times that on a busy machine.
    const { code, out } = await demo('20s', async () => {
      const traceId = newTraceId();
      await sendTraces('http://127.0.0.1:4318', [
        {
          service: 'restart-svc',
          spans: [
            {
              traceId,
              spanId: newSpanId(),
              name: 'GET /v1/stock/:id',
              kind: 'server',
              attributes: { 'client.id': RESTART_CLIENT },
              error: 'boom',
            },
          ],
        },
      ]);
      await eventually(`trace ${traceId} in Jaeger before the stop`, () => jq.getTrace(JAEGER, traceId), 16_000, 250);
      restartTrace = traceId;
    });
    assert.equal(code, 0, out);
    assert.match(out, /ready in \d+\.\d s/);
    assert.match(out, /Jaeger query API\s+http:\/\/127\.0\.0\.1:16686\/api\/services/);
    assert.match(out, /traces \(Zipkin UI\)\s+http:\/\/127\.0\.0\.1:9411\/zipkin\//);
    assert.match(out, /Collector metrics\s+http:\/\/127\.0\.0\.1:8889\/metrics/);
    assert.match(out, /logs and events\s+http:\/\/127\.0\.0\.1:9428\/select\/vmui/);
    assert.match(out, /Alertmanager\s+http:\/\/127\.0\.0\.1:9093/);
    assert.match(out, /\[00:05\] · collector: \d+ spans in/);
    assert.match(out, /stopped in/);
    for (const port of [15432, 16379, 4317, 4318, 16686, 14317, 9428, 9090, 9093, 9097, 9411])
      assert.equal(await isPortFree(port), true, `port ${port}`);
  });

  it('a trace written before a full stop is found after the next start, by ID and by client.id', async () => {
    assert.ok(restartTrace, 'the first run stored no trace');
    let byId: Awaited<ReturnType<typeof jq.getTrace>>;
    let byTag: string[] = [];
    const { code, out } = await demo('3s', async () => {
      byId = await jq.getTrace(JAEGER, restartTrace!);
      byTag = await jq.searchTraceIds(JAEGER, { service: 'restart-svc', tags: { 'client.id': RESTART_CLIENT } }, ...lookback(600), 20);
    });
    assert.equal(code, 0, out);
    assert.equal(byId?.spans[0]?.tags['client.id'], RESTART_CLIENT, `trace ${restartTrace} by ID after the restart`);
    assert.deepEqual(byTag, [restartTrace], `a client.id=${RESTART_CLIENT} search after the restart`);
  });
});
