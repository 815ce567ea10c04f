/** The demo CLI: argument parsing, and a short real run of the backends that ends by itself with exit 0. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { M, parseDurationMs as parseDuration, parseExposition, sumSeries } from '@faultline/signals';
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
  it('sums a metric over its series', () => {
    const text =
      '# TYPE x counter\notelcol_receiver_accepted_spans{transport="grpc"} 5\notelcol_receiver_accepted_spans{transport="http"} 7\notelcol_receiver_accepted_spans_other 100\n';
    assert.equal(sumMetric(text, M.collectorAcceptedSpans), 12);
    assert.equal(sumMetric(text, 'nothing'), 0);
  });
});

describe('cli demo --no-fleet', () => {
  it('starts the backends, prints where to look and a summary, stops after --duration, exit 0', async () => {
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const child = spawn(process.execPath, [cli, 'demo', '--no-fleet', '--duration', '7s'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    assert.equal(code, 0, out);
    assert.match(out, /ready in \d+\.\d s/);
    assert.match(out, /Jaeger query API\s+http:\/\/127\.0\.0\.1:16686\/api\/services/);
    assert.match(out, /traces \(Zipkin UI\)\s+http:\/\/127\.0\.0\.1:9411\/zipkin\//);
    assert.match(out, /Collector metrics\s+http:\/\/127\.0\.0\.1:8889\/metrics/);
    assert.match(out, /logs and events\s+http:\/\/127\.0\.0\.1:9428\/select\/vmui/);
    assert.match(out, /Alertmanager\s+http:\/\/127\.0\.0\.1:9093/);
    assert.match(out, /\[00:05\] · collector: \d+ spans in/);
    assert.match(out, /stopped in/);
    for (const port of [55432, 56379, 4317, 4318, 16686, 14317, 9428, 9090, 9093, 9411])
      assert.equal(await isPortFree(port), true, `port ${port}`);
  });
});
