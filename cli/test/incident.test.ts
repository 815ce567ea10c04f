/**
 * `faultline incident` on the real stack (fleet with load from 24 clients, Collector, Prometheus,
 * Jaeger): a quiet window finds no anomaly; one client driven ~6× harder for 60 s is the top finding,
 * with example traces that Jaeger has; one client saturating pools of 2 connections is named first
 * and the pools next; a heavy new client ranks above a dozen light new ones (which share one "also
 * seen" line) and raises the surge alert. The command itself runs too (time, text, JSON against the schema). With
 * FAULTLINE_RECORD=1 the observations are saved as the ranking's fixtures.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { investigate, type IncidentOptions } from '../src/incident.ts';
import { observe } from '../src/observe.ts';
import { startStack, type Stack } from '../../stack/src/index.ts';
import { flood, pressure } from './drive.ts';
import { validate } from './validate.ts';

const WINDOW_S = 60;
/** Span batch (1 s) + span-metrics flush (5 s) + scrape (5 s), with room. */
const METRICS_LAG_MS = 12_000;
const MAIN = new URL('../dist/main.js', import.meta.url).pathname;
const SCHEMA = JSON.parse(readFileSync(new URL('../schema/incident.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function options(stack: Stack, windowS = WINDOW_S): IncidentOptions {
  return {
    prometheus: stack.urls.prometheus!,
    jaeger: stack.urls.jaegerQuery,
    grafana: 'http://127.0.0.1:3000',
    windowS,
    edge: 'lb',
  };
}

/** Runs cli/dist/main.js; resolves to its exit code, output and wall time. */
async function cli(
  stack: Stack,
  extra: string[] = [],
  windowS = WINDOW_S,
): Promise<{ status: number | null; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  const child = spawn(
    process.execPath,
    [MAIN, 'incident', '--since', `${windowS}s`, '--prometheus', stack.urls.prometheus!, '--jaeger', stack.urls.jaegerQuery, ...extra],
    { env: { ...process.env, NO_COLOR: '1' } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((r) => child.once('close', r));
  return { status, stdout, stderr, ms: Date.now() - t0 };
}

/** With FAULTLINE_RECORD=1, writes what the ranking saw as cli/test/fixtures/<name>.json. */
async function record(stack: Stack, name: string): Promise<void> {
  if (!process.env['FAULTLINE_RECORD']) return;
  const obs = await observe(
    stack.urls.prometheus!,
    stack.urls.jaegerQuery,
    { end: Math.floor(Date.now() / 1000), seconds: WINDOW_S, baselineSeconds: WINDOW_S },
    'lb',
  );
  writeFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), `${JSON.stringify(obs)}\n`);
}

describe('faultline incident on the demo stack', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ fleet: true, load: { rate: 40 } });
    // A baseline and a current window of steady load after the first scrapes.
    await sleep(2 * WINDOW_S * 1000 + 15_000);
  });
  after(async () => {
    await stack?.stop();
  });

  it('finds no anomaly in steady traffic, and says what it checked', async () => {
    const t0 = Date.now();
    const report = await investigate(options(stack));
    console.log(`quiet run: ${Date.now() - t0} ms; ${report.findings.map((f) => f.title).join(' | ') || 'no anomaly'}`);
    assert.deepEqual(
      report.findings.map((f) => f.title),
      [],
    );
    assert.deepEqual(
      report.checks.filter((c) => !c.hasData).map((c) => c.name),
      [],
      'every check had data on the demo',
    );
    const r = await cli(stack);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /no anomaly found\. Checked:/);
    await record(stack, 'quiet');
  });

  it('names the client driven 6× harder first, with its factor and traces Jaeger has', async () => {
    // team-09 sends ~1.6 req/s of the 40 (Zipf over 24 clients): 8 more per second is ~6×.
    const driven = await flood(stack.urls.lb!, 'team-09', 8, WINDOW_S);
    await sleep(METRICS_LAG_MS);
    const t0 = Date.now();
    const report = await investigate(options(stack));
    const took = Date.now() - t0;
    await record(stack, 'flood');
    const text = await cli(stack);
    const top = report.findings[0];
    console.log(
      `flood (${driven.sent} sent, ${driven.failed} failed) run: ${took} ms; ${report.findings.map((f) => `[${f.score}] ${f.title}`).join(' | ')}`,
    );
    console.log(`faultline incident took ${text.ms} ms (process start to exit):\n${text.stdout}`);
    assert.ok(top, 'a finding');
    assert.equal(top.kind, 'client-requests');
    assert.equal(top.subject, 'team-09');
    assert.ok(Number(top.evidence['factor']) >= 3, `factor ${top.evidence['factor']}`);
    assert.ok(took < 30_000, `${took} ms`);
    assert.ok(top.traces.ids.length >= 2, `traces ${JSON.stringify(top.traces)}`);
    assert.ok(top.traces.urls.every((u) => u.startsWith(`${stack.urls.jaegerQuery}/trace/`)));

    assert.equal(text.status, 0, text.stderr);
    assert.ok(text.ms < 30_000);
    assert.match(text.stdout, /^ 1\. \[client-requests\] team-09: \d+\.\d× requests/m);
    for (const line of text.stdout.split('\n')) assert.ok(line.length <= 100, `${line.length} columns: ${line}`);
    const json = await cli(stack, ['--json']);
    assert.equal(json.status, 0, json.stderr);
    assert.deepEqual(validate(SCHEMA, JSON.parse(json.stdout)), []);

    // The example traces are in Jaeger, and they are team-09's.
    const res = await fetch(`${stack.urls.jaegerQuery}/api/traces/${top.traces.ids[0]}`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { data: { spans: { tags: { key: string; value: unknown }[] }[] }[] };
    assert.ok(
      body.data[0]!.spans.some((s) => s.tags.some((t) => t.key === 'client.id' && t.value === 'team-09')),
      'the example trace is team-09',
    );
  });

  it('puts a heavy new client first and a dozen light new ones on one "also seen" line, and the surge alert fires', async () => {
    // About a quarter of the traffic from a client never seen before, and 12 new clients at ~1.5 % each.
    const light = Array.from({ length: 12 }, (_, i) => `new-light-${String(i + 1).padStart(2, '0')}`);
    const t0 = Date.now();
    const driving = Promise.all([
      flood(stack.urls.lb!, 'new-heavy', 14, WINDOW_S),
      ...light.map((c) => flood(stack.urls.lb!, c, 1, WINDOW_S)),
    ]);
    // While the clients call, Alertmanager gets the surge alert for the heavy one (a client never seen
    // before with >= 10 % of the edge's traffic).
    let alertAfterMs: number | undefined;
    let lastAlerts: unknown[] = [];
    while (alertAfterMs === undefined && Date.now() - t0 < WINDOW_S * 1000 - 2000) {
      const res = await fetch(`${stack.urls.alertmanager}/api/v2/alerts?filter=${encodeURIComponent('alertname="ClientTrafficSurge"')}`);
      const alerts = (await res.json()) as { labels: Record<string, string> }[];
      lastAlerts = alerts.map((a) => a.labels);
      if (alerts.some((a) => Object.values(a.labels).includes('new-heavy'))) alertAfterMs = Date.now() - t0;
      else await sleep(2000);
    }
    const [heavy, ...lights] = await driving;
    await sleep(METRICS_LAG_MS);
    // The window reaches back past the clients' first request, so its baseline has none of them: new clients.
    const since = Math.ceil((Date.now() - t0) / 1000) + 5;
    const report = await investigate(options(stack, since));
    const text = await cli(stack, [], since);
    console.log(`new clients (heavy ${heavy!.sent} sent, light ${lights.reduce((a, d) => a + d.sent, 0)} sent):\n${text.stdout}`);
    const top = report.findings[0];
    assert.equal(top?.kind, 'client-requests', JSON.stringify(report.findings.map((f) => f.title)));
    assert.equal(top.subject, 'new-heavy');
    const lightFindings = report.findings.filter((f) => light.includes(f.subject)).map((f) => f.title);
    assert.deepEqual(lightFindings, [], 'no light new client is a finding of its own');
    const seen = (report.alsoSeen ?? []).flatMap((a) => a.subjects);
    assert.ok(light.filter((c) => seen.includes(c)).length >= 10, `also seen: ${JSON.stringify(report.alsoSeen)}`);
    assert.match(text.stdout, /^ 1\. \[client-requests\] new-heavy: /m);
    console.log(
      `new-heavy: ClientTrafficSurge in Alertmanager ${alertAfterMs === undefined ? 'not seen' : `${(alertAfterMs / 1000).toFixed(0)} s after it started`}`,
    );
    assert.ok(alertAfterMs !== undefined, `ClientTrafficSurge alerts: ${JSON.stringify(lastAlerts)}`);
    // ... and faultline incident lists it among the alerts that fired in its window.
    assert.ok(
      (report.alerts ?? []).some((a) => a.name === 'ClientTrafficSurge' && Object.values(a.labels).includes('new-heavy')),
      `alerts in the report: ${JSON.stringify(report.alerts)}`,
    );
    assert.match(text.stdout, /^alerts that fired in the window \(\d+\):$/m);
  });
});

describe('faultline incident when one client saturates a pool (the seed incident)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({
      fleet: true,
      load: { rate: 40 },
      serviceEnv: { 'api-1': { PG_POOL_MAX: '2' }, 'api-2': { PG_POOL_MAX: '2' } },
    });
    await sleep(2 * WINDOW_S * 1000 + 15_000);
  });
  after(async () => {
    await stack?.stop();
  });

  it('names the client first and the pool at its limit next, with the p99 wait, when, and traces', async () => {
    // A batch job of one client keeps 48 requests in flight: pools of 2 connections cannot keep up.
    const driven = await pressure(stack.urls.lb!, 'team-17', 48, 45);
    await sleep(METRICS_LAG_MS);
    const report = await investigate(options(stack));
    await record(stack, 'pool');
    const text = await cli(stack);
    console.log(`pool (${driven.sent} sent, ${driven.failed} failed), faultline incident took ${text.ms} ms:\n${text.stdout}`);
    assert.equal(report.findings[0]?.kind, 'client-requests');
    assert.equal(report.findings[0]?.subject, 'team-17');
    const pools = report.findings.filter((f) => f.kind === 'pool' && f.evidence['service'] === 'api');
    assert.ok(pools.length >= 1, 'a pool finding for the api');
    const p = pools[0]!;
    assert.equal(p.evidence['max'], 2);
    assert.ok(Number(p.evidence['maxPending']) > 0 || p.evidence['maxUsed'] === 2, JSON.stringify(p.evidence));
    assert.equal(typeof p.evidence['p99WaitMs'], 'number');
    assert.ok(p.since, 'when it was at the limit');
    assert.ok(p.traces.ids.length >= 1, `traces ${JSON.stringify(p.traces)}`);
    assert.match(p.details.join('\n'), /connections taken by: team-17 \d+%/);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^ 1\. \[client-requests\] team-17: /m);
    assert.match(text.stdout, /^ \d\. \[pool\] pool .* on api-\d: 2\/2 used/m);
  });
});
