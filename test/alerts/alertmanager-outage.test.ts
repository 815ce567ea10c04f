/**
 * Alertmanager down for 60 s: Prometheus keeps scraping and evaluating the rules (an alert that starts
 * during the outage is firing in Prometheus), and once Alertmanager is back the alerts reach it and
 * its webhook — including the one that started while it was down. Free ports: a synthetic metrics
 * source stands in for the Collector's exporter (no fleet, no Collector: nothing the app sends goes
 * through Alertmanager, which is the point), with faultline's real Prometheus config, rules and
 * Alertmanager config.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CONNECTION_STATE, L, M } from '@faultline/signals';
import {
  freePorts,
  startAlertmanager,
  startPrometheus,
  type AlertmanagerInstance,
  type PrometheusInstance,
} from '../../stack/src/index.ts';

const DOWN_MS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the synthetic source exposes: a breaker open from the start; a saturated pool once `poolFull`. */
const state = { poolFull: false, scrapes: 0 };
function exposition(): string {
  const pool = `${L.service}="synthetic",${L.instance}="synthetic-2",${L.poolName}="pg"`;
  return [
    `${M.breakerState}{${L.service}="synthetic",${L.instance}="synthetic-1",${L.breakerName}="partner"} 2`,
    `${M.poolConnections}{${pool},${L.connectionState}="${CONNECTION_STATE.used}"} ${state.poolFull ? 10 : 2}`,
    `${M.poolMax}{${pool}} 10`,
    `${M.poolPending}{${pool}} ${state.poolFull ? 4 : 0}`,
    '',
  ].join('\n');
}

interface Notification {
  status: string;
  alerts: { status: string; labels: Record<string, string> }[];
}
const notifications: { at: number; body: Notification }[] = [];

let source: http.Server;
let webhook: http.Server;
let am: AlertmanagerInstance | undefined;
let prom: PrometheusInstance;
let amPort = 0;

async function listen(handler: http.RequestListener): Promise<http.Server> {
  const srv = http.createServer(handler);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return srv;
}
const port = (s: http.Server) => (s.address() as AddressInfo).port;

async function amAlertNames(): Promise<string[]> {
  const alerts = (await (await fetch(`${am!.url}/api/v2/alerts`)).json()) as { labels: Record<string, string> }[];
  return alerts.map((a) => a.labels['alertname']!).sort();
}
async function promFiring(): Promise<string[]> {
  const r = (await (await fetch(`${prom.url}/api/v1/alerts`)).json()) as {
    data: { alerts: { state: string; labels: Record<string, string> }[] };
  };
  return r.data.alerts
    .filter((a) => a.state === 'firing')
    .map((a) => a.labels['alertname']!)
    .sort();
}
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) assert.fail(`not within ${timeoutMs / 1000} s: ${what}`);
    await sleep(1000);
  }
}
const notified = (alertname: string) =>
  notifications.find((n) => n.body.alerts.some((a) => a.labels['alertname'] === alertname && a.status === 'firing'));

before(async () => {
  source = await listen((req, res) => {
    state.scrapes++;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(exposition());
  });
  webhook = await listen((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      notifications.push({ at: Date.now(), body: JSON.parse(body) as Notification });
      res.writeHead(200).end();
    });
  });
  const [p, a, nothing] = await freePorts(3);
  amPort = a!;
  am = await startAlertmanager({ port: amPort, name: 'alertmanager-outage', webhookUrl: `http://127.0.0.1:${port(webhook)}/hook` });
  // The Collector's two scrape targets: the synthetic source, and a port nobody listens on.
  prom = await startPrometheus({
    port: p!,
    name: 'prometheus-outage',
    collectorPorts: { prometheus: port(source), metrics: nothing! },
    alertmanager: `127.0.0.1:${amPort}`,
  });
});

after(async () => {
  await prom?.stop();
  await am?.stop();
  source?.close();
  webhook?.close();
});

describe('Alertmanager down for 60 s', () => {
  it('Prometheus keeps evaluating; alerts, also one that began during the outage, are notified once it is back', async () => {
    await until(
      'CircuitBreakerOpen in Alertmanager and at the webhook',
      async () => ((await amAlertNames()).includes('CircuitBreakerOpen') && notified('CircuitBreakerOpen')) || undefined,
      60_000,
    );

    await am!.stop();
    const downAt = Date.now();
    const scrapesBefore = state.scrapes;
    state.poolFull = true;
    const firingDuringOutage = await until(
      'PoolSaturated firing in Prometheus while Alertmanager is down',
      async () => {
        const f = await promFiring();
        return f.includes('PoolSaturated') ? f : undefined;
      },
      45_000,
    );
    await sleep(Math.max(0, downAt + DOWN_MS - Date.now()));
    const rules = (await (await fetch(`${prom.url}/api/v1/rules`)).json()) as {
      data: { groups: { name: string; lastEvaluation: string }[] };
    };
    const lastEval = Math.min(...rules.data.groups.map((g) => Date.parse(g.lastEvaluation)));
    console.log(
      `# outage: ${state.scrapes - scrapesBefore} scrapes of the source in ${DOWN_MS / 1000} s; firing in Prometheus: ${firingDuringOutage.join(', ')}; oldest group evaluation ${((Date.now() - lastEval) / 1000).toFixed(1)} s ago`,
    );
    assert.ok(state.scrapes - scrapesBefore >= 10, 'Prometheus kept scraping');
    assert.ok(Date.now() - lastEval < 15_000, 'every rule group was evaluated in the last 15 s');
    assert.ok(!notified('PoolSaturated'), 'nothing could be notified while Alertmanager was down');

    am = await startAlertmanager({
      port: amPort,
      name: 'alertmanager-outage',
      keepData: true,
      webhookUrl: `http://127.0.0.1:${port(webhook)}/hook`,
    });
    const backAt = Date.now();
    // Prometheus resends firing alerts every minute (--rules.alert.resend-delay), Alertmanager waits group_wait (10 s).
    await until(
      'both alerts in Alertmanager again',
      async () => {
        const names = await amAlertNames();
        return names.includes('CircuitBreakerOpen') && names.includes('PoolSaturated') ? names : undefined;
      },
      90_000,
    );
    const n = await until('PoolSaturated at the webhook', async () => notified('PoolSaturated'), 90_000);
    console.log(`# outage: Alertmanager back; PoolSaturated notified ${((n.at - backAt) / 1000).toFixed(0)} s later`);
    assert.deepEqual(n.body.alerts.find((a) => a.labels['alertname'] === 'PoolSaturated')!.labels['instance'], 'synthetic-2');
  });
});
