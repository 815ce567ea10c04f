/**
 * Deploy and status events on real parts (Collector and VictoriaLogs on free ports): `faultline deploy`
 * and the README's curl line each produce an event that the dashboards' "Deploy events" annotation
 * query and `faultline incident` return; `faultline status post/resolve` round-trips through the log
 * store; every VictoriaLogs query of the generated dashboards runs without error.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { logs } from '@faultline/signals';
import { eventually, startBackends, type Backends } from '@faultline/testkit';
import { DASHBOARDS } from '../../grafana/src/dashboards.ts';
import { VICTORIALOGS } from '../../grafana/src/datasources.ts';
import { DASHBOARDS_DIR } from '../../grafana/src/generate.ts';
import { dashboardQueries } from '../../grafana/src/targets.ts';
import { recordedDeploys } from '../../cli/src/log-lines.ts';

const run = promisify(execFile);
const MAIN = new URL('../../cli/dist/main.js', import.meta.url).pathname;
const README = new URL('../../README.md', import.meta.url);

let backends: Backends;
let env: Record<string, string>;
before(async () => {
  backends = await startBackends();
  env = {
    ...process.env,
    FAULTLINE_COLLECTOR_URL: backends.env['OTEL_EXPORTER_OTLP_ENDPOINT']!,
    FAULTLINE_LOGS_URL: backends.logs,
    NO_COLOR: '1',
  } as Record<string, string>;
});
after(async () => {
  await backends?.stop();
});

const faultline = async (...args: string[]) => (await run(process.execPath, [MAIN, ...args], { env })).stdout;

/** The VictoriaLogs queries of every generated dashboard, with Grafana's variables as on first load (All). */
function dashboardLogQueries(): { file: string; title: string; kind: string; expr: string }[] {
  const out = [];
  for (const file of Object.keys(DASHBOARDS)) {
    const d = JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), 'utf8')) as Record<string, unknown>;
    for (const q of dashboardQueries(d)) {
      const raw = (q.kind === 'annotation' ? (q.raw['target'] as Record<string, unknown>) : q.raw) ?? {};
      if (q.datasourceType !== VICTORIALOGS.type && (raw['datasource'] as { type?: string } | undefined)?.type !== VICTORIALOGS.type)
        continue;
      out.push({ file, title: q.title, kind: q.kind, expr: String(raw['expr']).replace(/\$(service|client)\b/g, '.+') });
    }
  }
  return out;
}

describe('deploy events', () => {
  it('faultline deploy and the README curl line each produce an event the annotation query and faultline incident return', async () => {
    assert.match(
      await faultline('deploy', '--service', 'shop', '--version', '2.0.0', '--client', 'team-05', '--note', 'quote on every request'),
      /^recorded: shop 2\.0\.0 deployed/,
    );
    const curl = readFileSync(README, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('curl ') && l.includes('/v1/logs'));
    assert.ok(curl, 'README has the curl line');
    await run('bash', ['-c', curl.replace('http://127.0.0.1:4318', backends.env['OTEL_EXPORTER_OTLP_ENDPOINT']!)]);

    const annotations = dashboardLogQueries().filter((q) => q.kind === 'annotation');
    assert.ok(annotations.some((q) => q.file === 'incident-overview.json') && annotations.some((q) => q.file === 'status.json'));
    for (const q of annotations) {
      const found = await eventually(
        `both deploys from ${q.file} "${q.title}"`,
        async () => {
          const lines = await logs.query(backends.logs, q.expr, { start: Date.now() / 1000 - 600 });
          return lines.length >= 2 ? lines : undefined;
        },
        30_000,
        500,
      );
      assert.deepEqual(found.map((l) => l['service.name']).sort(), ['billing', 'shop']);
    }
    const deploys = await recordedDeploys(backends.logs, Date.now() / 1000 - 600, Date.now() / 1000 + 60);
    assert.deepEqual(deploys.map((d) => `${d.service} ${d.version} ${d.clientId ?? '-'}`).sort(), [
      'billing 7.1.0 -',
      'shop 2.0.0 team-05',
    ]);
  });
});

describe('status timeline', () => {
  it('status post and resolve round-trip, newest first, with severity and ETA', async () => {
    const t0 = Date.now();
    assert.match(
      await faultline('status', 'post', 'Checkout slow for team-07', '--eta', '30m', '--severity', 'critical'),
      /^recorded: critical /,
    );
    await new Promise((r) => setTimeout(r, 50));
    assert.match(await faultline('status', 'resolve', 'Checkout back to normal'), /^recorded: resolved /);
    const t = await eventually(
      'both status events',
      async () => {
        const json = JSON.parse(await faultline('status', '--json')) as {
          current: string;
          events: { state: string; severity?: string; text: string; eta?: string; time: string }[];
        };
        return json.events.length >= 2 ? json : undefined;
      },
      30_000,
      500,
    );
    assert.equal(t.current, 'ok');
    assert.deepEqual(
      t.events.map((e) => [e.state, e.severity ?? null, e.text]),
      [
        ['resolved', null, 'Checkout back to normal'],
        ['open', 'critical', 'Checkout slow for team-07'],
      ],
    );
    const eta = Date.parse(t.events[1]!.eta!) - Date.parse(t.events[1]!.time);
    assert.ok(Math.abs(eta - 30 * 60_000) < 1000, `ETA 30 min after the post, was ${eta} ms`);
    assert.ok(Date.parse(t.events[1]!.time) >= t0 - 1000);
    const text = await faultline('status');
    assert.match(text, /^status: ok, resolved .* Checkout back to normal/);
    assert.match(text, /critical\s+Checkout slow for team-07\s+\(ETA /);
  });

  it('an open post is the current status, with its ETA', async () => {
    await faultline('status', 'post', 'Partner API degraded', '--eta', '1h');
    const text = await eventually(
      'the new post',
      async () => {
        const out = await faultline('status');
        return out.startsWith('status: MAJOR') ? out : undefined;
      },
      30_000,
      500,
    );
    assert.match(text, /^status: MAJOR since .*: Partner API degraded \(ETA /);
  });

  it('bad usage exits 2 with the usage text', async () => {
    await assert.rejects(
      faultline('status', 'post', 'x', '--severity', 'huge'),
      (e: { code?: number; stderr?: string }) => e.code === 2 && /--severity is one of minor, major, critical/.test(e.stderr ?? ''),
    );
    await assert.rejects(
      faultline('deploy', '--service', 'shop'),
      (e: { code?: number; stderr?: string }) => e.code === 2 && /--version V is required/.test(e.stderr ?? ''),
    );
  });
});

describe('dashboards on the log store', () => {
  it('every VictoriaLogs query of the generated dashboards runs', async () => {
    const qs = dashboardLogQueries();
    assert.ok(qs.length >= 5, `only ${qs.length} log queries`);
    for (const q of qs) await logs.query(backends.logs, q.expr, { start: Date.now() / 1000 - 3600, limit: 5 });
    const current = qs.find((q) => q.title === 'Current status')!;
    const lines = await logs.query(backends.logs, current.expr, { start: Date.now() / 1000 - 3600 });
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!['_msg'], 'Partner API degraded');
  });
});
