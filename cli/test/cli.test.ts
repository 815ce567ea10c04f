/**
 * The `faultline` command itself (cli/dist/main.js, as `npx faultline` runs it) against fake
 * Prometheus and Jaeger answering from recorded fixtures: JSON valid against the schema, text within
 * 100 columns and without colour off a TTY, exit codes and messages when a source is missing,
 * `--watch`, env defaults.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startFakes, type Fakes } from './fake-sources.ts';
import { fixture } from './build.ts';
import { validateJson as validate } from '@faultline/testkit';

const MAIN = new URL('../dist/main.js', import.meta.url).pathname;
const SCHEMA = JSON.parse(readFileSync(new URL('../schema/incident.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** Runs the command (asynchronously: the fakes live in this process). */
async function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { ...process.env, NO_COLOR: '', FAULTLINE_PROMETHEUS_URL: '', FAULTLINE_JAEGER_URL: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const status = await new Promise<number | null>((r) => child.once('close', r));
  clearTimeout(timer);
  return { status, stdout, stderr, ms: Date.now() - t0 };
}

/** A loopback URL where nothing listens (a port that was free a moment ago). */
async function closedUrl(): Promise<string> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return `http://127.0.0.1:${port}`;
}

let flood: Fakes;
let quiet: Fakes;
before(async () => {
  flood = await startFakes(fixture('flood'));
  quiet = await startFakes(fixture('quiet'));
});
after(async () => {
  await flood?.close();
  await quiet?.close();
});
const since = () => `${fixture('flood').window.seconds}s`;

describe('faultline incident (fake sources)', async () => {
  it('--json is valid against cli/schema/incident.schema.json and names the flooding client first', async () => {
    const r = await run(['incident', '--since', since(), '--prometheus', flood.prometheus, '--jaeger', flood.jaeger, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as {
      findings: { subject: string; traces: { urls: string[]; source: string }; links: { grafana: string } }[];
    };
    assert.deepEqual(validate(SCHEMA, report), []);
    assert.equal(report.findings[0]?.subject, 'team-09');
    assert.equal(report.findings[0]?.traces.source, 'exemplars');
    assert.equal(report.findings[0]?.traces.urls.length, 3);
    assert.ok(report.findings[0]!.traces.urls.every((u) => u.startsWith(`${flood.jaeger}/trace/`)));
    assert.match(report.findings[0]!.links.grafana, /^http:\/\/127\.0\.0\.1:3000\/explore\?/);
  });

  it('--from/--to: a window that ended a minute ago, compared with the one before it', async () => {
    const r = await run(['incident', '--from', '-2m', '--to', '-1m', '--prometheus', flood.prometheus, '--jaeger', flood.jaeger, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as {
      window: { start: string; end: string; seconds: number };
      generatedAt: string;
      findings: { subject: string }[];
    };
    assert.deepEqual(validate(SCHEMA, report), []);
    assert.equal(report.window.seconds, 60);
    assert.ok(
      Math.abs(Date.parse(report.generatedAt) - Date.parse(report.window.end) - 60_000) <= 2000,
      `${report.generatedAt} vs ${report.window.end}`,
    );
    assert.equal(report.findings[0]?.subject, 'team-09');
    const text = await run(['incident', '--from', '-2m', '--to', '-1m', '--prometheus', flood.prometheus, '--jaeger', flood.jaeger]);
    assert.match(text.stdout, /^faultline incident: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d–\d\d:\d\d:\d\d UTC \(1m\) vs the 1m before/);
  });

  it('the schema validator rejects what the schema forbids', async () => {
    const r = JSON.parse(
      (await run(['incident', '--since', since(), '--prometheus', flood.prometheus, '--jaeger', flood.jaeger, '--json'])).stdout,
    ) as Record<string, unknown>;
    assert.ok(validate(SCHEMA, { ...r, schema: 'v2' }).length > 0);
    assert.ok(validate(SCHEMA, { ...r, extra: 1 }).length > 0);
    const findings = r['findings'] as Record<string, unknown>[];
    assert.ok(validate(SCHEMA, { ...r, findings: [{ ...findings[0], kind: 'other' }] }).length > 0);
    assert.ok(validate(SCHEMA, { ...r, findings: [{ ...findings[0], score: 'high' }] }).length > 0);
  });

  it('text fits 100 columns, has no colour off a TTY, and ranks the client first', async () => {
    const r = await run(['incident', '--since', since(), '--prometheus', flood.prometheus, '--jaeger', flood.jaeger]);
    assert.equal(r.status, 0, r.stderr);
    console.log(r.stdout);
    assert.doesNotMatch(r.stdout, /\x1b\[/);
    for (const line of r.stdout.split('\n')) assert.ok(line.length <= 100, `${line.length} columns: ${line}`);
    assert.match(r.stdout, /^ 1\. \[client-requests\] team-09: \d+\.\d× requests/m);
    assert.match(r.stdout, /trace http:\/\/127\.0\.0\.1:\d+\/trace\/[0-9a-f]{32}/);
  });

  it('quiet data: exit 0, "no anomaly found" and what was checked', async () => {
    const r = await run(['incident', '--since', since(), '--prometheus', quiet.prometheus, '--jaeger', quiet.jaeger]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /no anomaly found\. Checked:/);
    for (const check of ['clients', 'deploys', 'pools', 'ejections', 'health', 'breakers', 'cache', 'backlog'])
      assert.match(r.stdout, new RegExp(`^  . ${check} `, 'm'));
  });

  it('takes the URLs from FAULTLINE_PROMETHEUS_URL and FAULTLINE_JAEGER_URL', async () => {
    const r = await run(['incident', '--since', since(), '--json'], {
      FAULTLINE_PROMETHEUS_URL: flood.prometheus,
      FAULTLINE_JAEGER_URL: flood.jaeger,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { sources: unknown }).sources, { prometheus: flood.prometheus, jaeger: flood.jaeger });
  });

  it('exit 2 naming Prometheus and its URL when it cannot be reached, or is not Prometheus', async () => {
    const closed = await closedUrl();
    const r = await run(['incident', '--prometheus', closed, '--jaeger', flood.jaeger]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `faultline: cannot reach Prometheus at ${closed} (ECONNREFUSED)\n`);
    assert.equal(r.stdout, '');
    const wrong = await run(['incident', '--prometheus', flood.jaeger, '--jaeger', flood.jaeger]);
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, new RegExp(`Prometheus at ${flood.jaeger} answered /api/v1/query with an error: HTTP 404`));
  });

  it('exit 2 naming Jaeger and its URL when it cannot be reached', async () => {
    const closed = await closedUrl();
    const r = await run(['incident', '--prometheus', flood.prometheus, '--jaeger', closed]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `faultline: cannot reach Jaeger at ${closed} (ECONNREFUSED)\n`);
  });

  it('exit 2 when Prometheus has no span metrics or Jaeger no traces', async () => {
    const empty = await startFakes(fixture('quiet'), { noSpanMetrics: true, noServices: true });
    try {
      const r = await run(['incident', '--prometheus', empty.prometheus, '--jaeger', flood.jaeger]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /Prometheus at http:\S+ has no span metrics \(traces_span_metrics_calls_total\)/);
      const j = await run(['incident', '--prometheus', flood.prometheus, '--jaeger', empty.jaeger]);
      assert.equal(j.status, 2);
      assert.match(j.stderr, /Jaeger at http:\S+ has no traces/);
    } finally {
      await empty.close();
    }
  });

  it('exit 2 with usage on a bad option or command', async () => {
    const bad = await run(['incident', '--since', 'soon']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--since takes a duration like 30s, 15m or 1h/);
    assert.equal((await run(['incidnet'])).status, 2);
    assert.equal((await run(['--help'])).status, 0);
  });

  it('--watch prints a fresh report every 5 s', async () => {
    const child = spawn(
      process.execPath,
      [MAIN, 'incident', '--watch', '--since', since(), '--prometheus', flood.prometheus, '--jaeger', flood.jaeger],
      { env: { ...process.env, NO_COLOR: '1' } },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const t0 = Date.now();
    while ((out.match(/^faultline incident:/gm) ?? []).length < 2 && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    const reports = (out.match(/^faultline incident:/gm) ?? []).length;
    assert.equal(reports, 2, out);
    assert.ok(Date.now() - t0 >= 4500, 'the second report comes ~5 s after the first');
  });
});
