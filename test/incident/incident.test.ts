/**
 * `faultline incident` on the real stack (fleet, load from 24 clients, Collector, Prometheus, Jaeger):
 * a quiet window finds no anomaly; one client driven ~6× harder is the top finding, with example
 * traces; an unreachable Prometheus is exit code 2 naming it.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { Agent, request } from 'undici';
import { investigate } from '../../cli/src/incident.ts';
import { startStack, type Stack } from '../../stack/src/index.ts';

const WINDOW_S = 30;
let stack: Stack;
before(async () => {
  stack = await startStack({ fleet: true, load: { rate: 40 } });
  // A baseline and a current window of steady load, after the first scrapes settled.
  await new Promise((r) => setTimeout(r, 2 * WINDOW_S * 1000 + 20_000));
});
after(async () => {
  await stack?.stop();
});

const opts = () => ({ prometheus: stack.urls.prometheus!, jaeger: stack.urls.jaegerQuery, windowS: WINDOW_S, edge: 'lb' });

/** Extra requests from one client through the lb, `rps` per second for `seconds`. */
async function flood(client: string, rps: number, seconds: number): Promise<void> {
  const agent = new Agent({ connections: 8 });
  const end = Date.now() + seconds * 1000;
  let i = 0;
  while (Date.now() < end) {
    const batch = Array.from({ length: rps }, () =>
      request(`${stack.urls.lb}/v1/items/${1 + (i++ % 1000)}`, { headers: { 'x-client-id': client }, dispatcher: agent }).then((r) => r.body.dump()).catch(() => undefined),
    );
    await Promise.all([...batch, new Promise((r) => setTimeout(r, 1000))]);
  }
  await agent.close();
}

describe('faultline incident', () => {
  it('finds no anomaly in steady traffic, and says what it checked', async () => {
    const t0 = Date.now();
    const report = await investigate(opts());
    console.log(`quiet run took ${Date.now() - t0} ms: ${report.findings.map((f) => f.title).join(' | ') || 'no anomaly'}`);
    assert.deepEqual(report.findings.filter((f) => f.kind === 'client'), []);
    assert.ok(report.checked.length >= 4);
  });

  it('names the flooding client first, with its factor and example traces', async () => {
    // team-09's normal rate is ~1.2 req/s (Zipf, 24 clients, 40 req/s); 6 more per second is ~6×.
    // Metrics reach Prometheus ~5-10 s after the requests: flood a little longer than the window.
    await flood('team-09', 6, WINDOW_S + 5);
    const t0 = Date.now();
    const report = await investigate(opts());
    const took = Date.now() - t0;
    const top = report.findings[0];
    console.log(`flood run took ${took} ms; top finding: ${top?.title}; traces ${top?.traceUrls.length}`);
    assert.ok(top, 'a finding');
    assert.equal(top.kind, 'client');
    assert.equal(top.evidence['client'], 'team-09');
    assert.ok(Number(top.evidence['factor']) >= 3, `factor ${top.evidence['factor']}`);
    assert.ok(top.traceUrls.length >= 1 && top.traceUrls[0]!.startsWith(stack.urls.jaegerQuery));
    assert.ok(took < 30_000);
    const text = execFileSync(process.execPath, ['cli/dist/main.js', 'incident', '--since', `${WINDOW_S}s`, '--prometheus', stack.urls.prometheus!, '--jaeger', stack.urls.jaegerQuery], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    console.log(text);
    assert.match(text, /^1\. \[client\] team-09: \d+\.\d× requests/m);
  });

  it('exits 2 and names Prometheus when it cannot be reached', () => {
    const r = spawnSync(process.execPath, ['cli/dist/main.js', 'incident', '--prometheus', 'http://127.0.0.1:9'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot reach Prometheus at http:\/\/127\.0\.0\.1:9/);
  });
});
