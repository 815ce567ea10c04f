import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { parseExposition, samplesOf, scrape, sumCounter, sumSeries } from '../src/exposition.ts';
import { SourceError } from '../src/errors.ts';

/** Shaped like the Collector's :8888 (text format) and :8889 (OpenMetrics, exemplars) endpoints. */
const COLLECTOR = `# HELP otelcol_receiver_accepted_spans Number of spans successfully pushed into the pipeline. [alpha]
# TYPE otelcol_receiver_accepted_spans counter
otelcol_receiver_accepted_spans{receiver="otlp",service_instance_id="4f1c",service_name="otelcol-contrib",transport="grpc"} 5
otelcol_receiver_accepted_spans{receiver="otlp",service_instance_id="4f1c",service_name="otelcol-contrib",transport="http"} 7
# TYPE otelcol_receiver_accepted_spans_other counter
otelcol_receiver_accepted_spans_other 100
# TYPE otelcol_process_memory_rss gauge
otelcol_process_memory_rss 1.234567e+08
`;

const OPENMETRICS = `# TYPE traces_span_metrics_duration_milliseconds histogram
traces_span_metrics_duration_milliseconds_bucket{service_name="lb",span_name="GET /x",le="2.0"} 1 # {span_id="00f067aa0ba902b7",trace_id="4bf92f3577b34da6a3ce929d0e0e4736"} 1.5 1.7e+09
traces_span_metrics_duration_milliseconds_bucket{service_name="lb",span_name="GET /x",le="+Inf"} 3
traces_span_metrics_duration_milliseconds_sum{service_name="lb",span_name="GET /x"} 12.5
traces_span_metrics_duration_milliseconds_count{service_name="lb",span_name="GET /x"} 3
traces_span_metrics_duration_milliseconds_bucket{service_name="api",span_name="GET /y",le="2.0"} 0
traces_span_metrics_duration_milliseconds_bucket{service_name="api",span_name="GET /y",le="+Inf"} 1
traces_span_metrics_duration_milliseconds_sum{service_name="api",span_name="GET /y"} 4
traces_span_metrics_duration_milliseconds_count{service_name="api",span_name="GET /y"} 1
# TYPE traces_span_metrics_calls counter
traces_span_metrics_calls_total{service_name="lb",client_id="acme"} 3 1700000000.5
# EOF
`;

describe('exposition', () => {
  it("reads the Collector's own metrics: names, labels, values, a float with an exponent", () => {
    const s = parseExposition(COLLECTOR);
    assert.equal(s.length, 4);
    assert.deepEqual(s[0], {
      name: 'otelcol_receiver_accepted_spans',
      labels: { receiver: 'otlp', service_instance_id: '4f1c', service_name: 'otelcol-contrib', transport: 'grpc' },
      value: 5,
    });
    assert.equal(s[3]!.value, 123_456_700);
    assert.equal(sumSeries(s, 'otelcol_receiver_accepted_spans'), 12, 'a longer name with the same prefix is another metric');
    assert.equal(sumSeries(s, 'otelcol_receiver_accepted_spans', { transport: 'http' }), 7);
    assert.equal(sumSeries(s, 'nothing'), 0);
  });

  it('counts a counter with or without _total', () => {
    const text = 'a_total{x="1"} 2\na{x="2"} 3\na_totalish 100\n';
    assert.equal(sumCounter(parseExposition(text), 'a'), 5);
    assert.equal(sumCounter(parseExposition(text), 'a_total'), 5);
    assert.equal(sumCounter(parseExposition(text), 'a', { x: '2' }), 3);
  });

  it('keeps every histogram series: buckets with le, _sum and _count, per label set', () => {
    const s = parseExposition(OPENMETRICS);
    assert.equal(samplesOf(s, 'traces_span_metrics_duration_milliseconds_bucket').length, 4);
    assert.deepEqual(
      samplesOf(s, 'traces_span_metrics_duration_milliseconds_bucket', { service_name: 'lb', le: '+Inf' }).map((x) => x.value),
      [3],
    );
    assert.equal(sumSeries(s, 'traces_span_metrics_duration_milliseconds_sum', { service_name: 'api' }), 4);
    assert.equal(sumSeries(s, 'traces_span_metrics_duration_milliseconds_count'), 4);
  });

  it('reads OpenMetrics exemplars and timestamps', () => {
    const s = parseExposition(OPENMETRICS);
    assert.deepEqual(s[0]!.exemplar, {
      labels: { span_id: '00f067aa0ba902b7', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' },
      value: 1.5,
      time: 1.7e9,
    });
    assert.equal(s[0]!.value, 1);
    assert.equal(s[1]!.exemplar, undefined);
    const calls = samplesOf(s, 'traces_span_metrics_calls_total')[0]!;
    assert.equal(calls.timestamp, 1700000000.5);
    assert.equal(calls.value, 3);
  });

  it('unescapes label values: quotes, backslashes, newlines, commas and braces inside', () => {
    const [s] = parseExposition('m{a="say \\"hi\\"",b="C:\\\\dir",c="two\\nlines",d="x, y=\\"z\\"}",} 1\n');
    assert.deepEqual(s!.labels, { a: 'say "hi"', b: 'C:\\dir', c: 'two\nlines', d: 'x, y="z"}' });
  });

  it('reads NaN and infinities, and a text-format timestamp', () => {
    const s = parseExposition('g NaN\ng{x="y"} +Inf\ng{x="z"} -Inf 1700000000000\n');
    assert.ok(Number.isNaN(s[0]!.value));
    assert.equal(s[1]!.value, Infinity);
    assert.equal(s[2]!.value, -Infinity);
    assert.equal(s[2]!.timestamp, 1700000000000);
  });

  it('refuses a malformed line, naming it', () => {
    assert.throws(() => parseExposition('ok 1\nbroken{a="1" 2\n'), /line 2, column \d+: expected "," or "}"/);
    assert.throws(() => parseExposition('m{a="open} 1\n'), /unterminated label value/);
    assert.throws(() => parseExposition('m one\n'), /line 1.*expected a value/);
    assert.throws(() => parseExposition('<html>\n'), /expected a metric name/);
  });

  it('scrapes an endpoint, and names it when it cannot', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/metrics') res.end(req.headers.accept?.includes('openmetrics') ? OPENMETRICS : COLLECTOR);
      else res.writeHead(404).end('no');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      assert.equal(sumSeries(await scrape(`${base}/metrics`), 'otelcol_receiver_accepted_spans'), 12);
      assert.ok((await scrape(`${base}/metrics`, { openMetrics: true })).some((s) => s.exemplar));
      await assert.rejects(scrape(`${base}/nope`), (e: Error) => e instanceof SourceError && /answered with HTTP 404/.test(e.message));
    } finally {
      server.close();
    }
    await assert.rejects(scrape(`${base}/metrics`), (e: Error) => e instanceof SourceError && /cannot reach/.test(e.message));
  });
});
