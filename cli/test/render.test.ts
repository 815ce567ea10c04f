/** Text output (100 columns, colour only when asked), word wrapping, and the command-line options. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDurationSeconds } from '@faultline/signals';
import { parseCli } from '../src/args.ts';
import type { Finding, IncidentReport } from '../src/report-schema.ts';
import { renderText, useColour } from '../src/render.ts';
import { wrap } from '../src/wrap.ts';

function finding(over: Partial<Finding> = {}): Finding {
  return {
    kind: 'pool',
    subject: 'api/api-1 db',
    title: `pool ${'very-long-database-host-name.internal.example.com:5432/'.repeat(2)}orders on api-1: 2/2 used, up to 14 waiting, p99 wait 180 ms`,
    details: ['at the limit 12:51:05–12:51:40 (gauges every 5 s)', `waiting for connections: ${'team-with-a-long-name, '.repeat(6)}`],
    score: 72,
    since: '2026-11-22T12:51:05.000Z',
    until: '2026-11-22T12:51:40.000Z',
    evidence: {},
    related: [],
    query: 'up',
    traces: {
      source: 'exemplars',
      ids: ['a'.repeat(32)],
      urls: [`http://127.0.0.1:16686/trace/${'a'.repeat(32)}`],
      search: 'http://127.0.0.1:16686/search',
    },
    links: { prometheus: 'http://127.0.0.1:9090/graph', grafana: 'http://127.0.0.1:3000/explore' },
    ...over,
  };
}

function report(findings: Finding[]): IncidentReport {
  return {
    schema: 'faultline.incident/v1',
    generatedAt: '2026-11-22T12:55:00.000Z',
    window: { start: '2026-11-22T12:40:00.000Z', end: '2026-11-22T12:55:00.000Z', seconds: 900 },
    baseline: { start: '2026-11-22T12:25:00.000Z', end: '2026-11-22T12:40:00.000Z', seconds: 900 },
    edge: 'lb',
    edgeFrom: 'option',
    sources: { prometheus: 'http://127.0.0.1:9090', jaeger: 'http://127.0.0.1:16686' },
    checks: [
      {
        name: 'clients',
        description: 'requests, errors and p95 latency per client at lb, last 15m vs the 15m before',
        hasData: true,
        findings: 0,
      },
      { name: 'backlog', description: 'background jobs added vs processed, failed jobs', hasData: false, findings: 0 },
    ],
    findings,
    tookMs: 412,
  };
}

describe('renderText', () => {
  it('keeps every line within 100 columns and uses no colour when not asked', () => {
    const text = renderText(
      report([
        finding(),
        finding({ kind: 'client-requests', title: 'team-09: 6.1× requests (1,204 vs 197 in 15m; 15% of traffic, was 3%)' }),
      ]),
      false,
    );
    for (const line of text.split('\n')) assert.ok(line.length <= 100, `${line.length}: ${line}`);
    assert.doesNotMatch(text, /\x1b/);
    assert.match(text, /^faultline incident: last 15m \(to 12:55:00 UTC\) vs the 15m before, edge lb: 2 findings \(0\.4 s\)$/m);
    assert.match(text, /^ 1\. \[pool\] pool$/m);
    assert.match(text, /^ {4}trace http:\/\/127\.0\.0\.1:16686\/trace\/a{32}$/m);
    assert.match(text, /no data for: backlog/);
  });

  it('lists the alerts that fired in the window, with their labels and times, with or without findings', () => {
    const alerts = [
      {
        name: 'PoolSaturated',
        labels: { severity: 'critical', instance: 'api-1' },
        start: '2026-11-20T12:50:05Z',
        end: '2026-11-20T12:52:10Z',
      },
    ];
    for (const r of [
      { ...report([finding()]), alerts },
      { ...report([]), alerts },
    ]) {
      const text = renderText(r, false);
      assert.match(text, /^alerts that fired in the window \(1\):$/m);
      assert.match(text, /^ {2}PoolSaturated \(instance=api-1\) 12:50:05–12:52:10$/m);
    }
    assert.doesNotMatch(renderText(report([finding()]), false), /alerts that fired/);
  });

  it('colours titles (by score) and dims trace lines when asked', () => {
    const text = renderText(report([finding()]), true);
    assert.match(text, /\x1b\[1m\x1b\[31m 1\. \[pool\]/);
    assert.match(text, /\x1b\[2m {4}trace /);
  });

  it('says "no anomaly found" and lists what was checked', () => {
    const text = renderText(report([]), false);
    assert.match(text, /^no anomaly found\. Checked:$/m);
    assert.match(text, /^ {2}✓ clients {4}requests, errors/m);
    assert.match(text, /^ {2}– backlog {4}background jobs .* \(no data\)$/m);
  });

  it('colour only on a TTY and without NO_COLOR', () => {
    assert.equal(useColour(true, {}), true);
    assert.equal(useColour(false, {}), false);
    assert.equal(useColour(true, { NO_COLOR: '1' }), false);
    assert.equal(useColour(true, { NO_COLOR: '' }), true, 'NO_COLOR counts only when non-empty (no-color.org)');
  });
});

describe('wrap', () => {
  it('breaks at spaces, keeps leading spaces, indents continuations, never breaks a URL', () => {
    assert.deepEqual(wrap('  aaa bbb ccc', 9, '    '), ['  aaa bbb', '    ccc']);
    assert.deepEqual(wrap(`x http://${'u'.repeat(20)}`, 10, ' '), ['x', ` http://${'u'.repeat(20)}`]);
    assert.deepEqual(wrap('short', 100), ['short']);
  });
});

describe('options', () => {
  it('durations', () => {
    const parseDuration = (text: string) => parseDurationSeconds(text, '--since');
    assert.equal(parseDuration('15m'), 900);
    assert.equal(parseDuration('30s'), 30);
    assert.equal(parseDuration('2h'), 7200);
    assert.equal(parseDuration('90'), 90);
    assert.throws(() => parseDuration('0s'), /--since takes a duration/);
    assert.throws(() => parseDuration('15 minutes'), /--since takes a duration/);
  });

  it('URLs from flags, else env, else the compose ports; trailing slashes dropped; no default edge', () => {
    const d = parseCli(['incident'], {});
    assert.deepEqual(
      [d.prometheus, d.jaeger, d.grafana, d.windowS, d.baselineS, d.edge],
      ['http://127.0.0.1:9090', 'http://127.0.0.1:16686', 'http://127.0.0.1:3000', 900, undefined, undefined],
    );
    const e = parseCli(['incident'], { FAULTLINE_PROMETHEUS_URL: 'http://prom:9090/', FAULTLINE_JAEGER_URL: 'http://jaeger:16686' });
    assert.deepEqual([e.prometheus, e.jaeger], ['http://prom:9090', 'http://jaeger:16686']);
    const f = parseCli(['incident', '--prometheus', 'http://p:1', '--jaeger', 'http://j:2', '--since', '30s', '--baseline', '1h'], {
      FAULTLINE_PROMETHEUS_URL: 'http://prom:9090',
    });
    assert.deepEqual([f.prometheus, f.jaeger, f.windowS, f.baselineS], ['http://p:1', 'http://j:2', 30, 3600]);
    assert.throws(() => parseCli(['incident', '--jaeger', 'jaeger:16686'], {}), /--jaeger takes an http\(s\) URL/);
  });

  it('--from/--to: RFC 3339 or before now; --to defaults to now; not with --since', () => {
    const now = Date.parse('2026-11-22T15:00:00Z') / 1000;
    const a = parseCli(['report', '--from', '2026-11-22T14:00:00Z', '--to', '2026-11-22T14:30:00+00:00'], {}, now);
    assert.deepEqual([a.windowS, a.end], [1800, now - 1800]);
    const b = parseCli(['incident', '--from', '-3h'], {}, now);
    assert.deepEqual([b.windowS, b.end], [10800, now]);
    const c = parseCli(['incident', '--from', '-2h', '--to', '-1h'], {}, now);
    assert.deepEqual([c.windowS, c.end], [3600, now - 3600]);
    const d = parseCli(['incident', '--since', '10m', '--to', '-1h'], {}, now);
    assert.deepEqual([d.windowS, d.end], [600, now - 3600]);
    assert.equal(parseCli(['incident'], {}, now).end, undefined);
    assert.throws(
      () => parseCli(['incident', '--from', 'yesterday'], {}, now),
      /--from takes an RFC 3339 time like 2026-11-22T14:05:00Z, a time before now like -3h, or now/,
    );
    assert.throws(
      () => parseCli(['incident', '--from', '2026-11-22T14:00:00'], {}, now),
      /--from takes an RFC 3339 time/,
      'a zone is required',
    );
    assert.throws(() => parseCli(['incident', '--from', '-1h', '--to', '-2h'], {}, now), /--from must be before --to/);
    assert.throws(() => parseCli(['incident', '--from', '-1h', '--since', '5m'], {}, now), /--since and --from both set the window/);
    assert.throws(() => parseCli(['report', '--format', 'pdf'], {}, now), /--format takes md, json or html/);
  });

  it('the header names a past window by its times', () => {
    const r = { ...report([]), generatedAt: '2026-11-23T09:00:00.000Z' };
    assert.match(renderText(r, false), /^faultline incident: 2026-11-22 12:40:00–12:55:00 UTC \(15m\) vs the 15m before/);
    assert.match(renderText({ ...r, generatedAt: r.window.end }, false), /^faultline incident: last 15m \(to 12:55:00 UTC\)/);
    assert.match(renderText({ ...r, notes: ['baseline: only 20s of data'] }, false), /\n {2}baseline: only 20s of data\n/);
  });
});
