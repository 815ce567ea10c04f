/**
 * Alerts on the status timeline, on real parts on free ports: an alert posted to a real Alertmanager
 * (the shared alertmanager/alertmanager.yml) reaches `faultline status webhook` through its
 * `status-timeline` receiver, goes through a real Collector's logs pipeline into VictoriaLogs, and
 * `faultline status` lists "alert X fired", then "alert X resolved", with their times, without changing
 * the current status (that is what people post).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { freePort, startAlertmanager, startStatusWebhook, type AlertmanagerInstance, type StatusWebhookInstance } from '@faultline/stack';
import { eventually, startBackends, type Backends } from '@faultline/testkit';

const run = promisify(execFile);
const MAIN = new URL('../../cli/dist/main.js', import.meta.url).pathname;

let backends: Backends;
let hook: StatusWebhookInstance;
let am: AlertmanagerInstance;
let env: Record<string, string>;
before(async () => {
  backends = await startBackends();
  const collectorUrl = backends.env['OTEL_EXPORTER_OTLP_ENDPOINT']!;
  hook = await startStatusWebhook({ port: await freePort(), collectorUrl, name: 'status-webhook-test' });
  am = await startAlertmanager({ port: await freePort(), name: 'alertmanager-timeline-test', statusWebhookUrl: hook.url });
  env = { ...process.env, FAULTLINE_COLLECTOR_URL: collectorUrl, FAULTLINE_LOGS_URL: backends.logs, NO_COLOR: '1' } as Record<
    string,
    string
  >;
});
after(async () => {
  await am?.stop();
  await hook?.stop();
  await backends?.stop();
});

const faultline = async (...args: string[]) => (await run(process.execPath, [MAIN, ...args], { env })).stdout;

/** Posts one alert to Alertmanager's API (what Prometheus does). */
async function postAlert(labels: Record<string, string>, summary: string, startsAt: Date, endsAt?: Date): Promise<void> {
  const res = await fetch(`${am.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      { labels, annotations: { summary }, startsAt: startsAt.toISOString(), ...(endsAt ? { endsAt: endsAt.toISOString() } : {}) },
    ]),
  });
  assert.equal(res.status, 200, await res.text());
}

describe('alerts on the status timeline', () => {
  it('Alertmanager → faultline status webhook → Collector → VictoriaLogs: faultline status lists the alert fired, then resolved', async () => {
    const labels = { alertname: 'PoolSaturated', service_name: 'api', instance: 'api-1', severity: 'critical' };
    const summary = 'api/api-1 pool: all 10 connections in use and requests waiting';
    const startsAt = new Date(Date.now() - 5000);
    await faultline('status', 'post', 'Checkout slow for team-07, we are on it', '--severity', 'major');
    await postAlert(labels, summary, startsAt);
    const fired = await eventually(
      'the alert fired on the timeline',
      async () => {
        const out = await faultline('status', '--since', '10m');
        return out.includes(`alert PoolSaturated fired: ${summary}`) ? out : undefined;
      },
      30_000,
    );
    // Its line carries the time it started (Alertmanager's startsAt, to the minute) and its source.
    const clock = `${startsAt.toISOString().slice(0, 10)} ${startsAt.toISOString().slice(11, 16)} UTC`;
    assert.match(fired, new RegExp(`${clock}  critical  alert PoolSaturated fired: .*\\[alertmanager\\]`));
    // The current status is still the one people posted.
    assert.match(fired, /^status: MAJOR since .*Checkout slow for team-07/);

    await postAlert(labels, summary, startsAt, new Date());
    const resolved = await eventually(
      'the alert resolved on the timeline',
      async () => {
        const out = await faultline('status', '--since', '10m', '--json');
        const t = JSON.parse(out) as { current: string; events: { text: string; state: string; source: string }[] };
        return t.events.some((e) => e.text.startsWith('alert PoolSaturated resolved') && e.state === 'resolved') ? t : undefined;
      },
      30_000,
    );
    assert.equal(resolved.current, 'major');
    assert.equal(resolved.events.filter((e) => e.text.startsWith('alert PoolSaturated fired')).length, 1, 'fired recorded once');
    assert.ok(resolved.events.filter((e) => e.text.startsWith('alert ')).every((e) => e.source === 'alertmanager'));
  });
});
