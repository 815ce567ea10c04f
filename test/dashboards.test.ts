/**
 * The Grafana dashboards proven without Grafana: on the real stack (fleet, load, Collector, Prometheus,
 * Jaeger), every panel, annotation and variable query of every committed dashboard is run against the
 * real Prometheus with its template variables substituted as Grafana does, and must parse and return
 * data within a minute of the fleet starting. Then the figures themselves are checked: the busiest
 * clients in order, `$client` narrowing, the pool max, deploy markers, Jaeger's Monitor tab and
 * dependency graph, and `npm run dashboards:report`. Panels and annotations that Prometheus does not
 * answer (log panels, the alert list, the node graph) and the firing-alert markers (empty while nothing
 * fires) are checked by their own kind, and a panel of any other kind fails the run.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startStack, type Stack } from '../stack/src/index.ts';
import { DASHBOARDS } from '../grafana/src/dashboards.ts';
import { dashboardRangeMs, evaluate, evaluateDashboard, lastValue, savedVariables, type Evaluated } from '../grafana/src/evaluate.ts';
import { DASHBOARDS_DIR } from '../grafana/src/generate.ts';
import { report, SCRAPE_MS } from '../grafana/src/report.ts';
import { dashboardPanels, dashboardQueries } from '../grafana/src/targets.ts';
import { EMPTY_WHILE_QUIET, PROMETHEUS_NAME } from '../grafana/src/alerts.ts';
import { interpolate, type RenderContext } from '../grafana/src/interpolate.ts';
import { L, logs, prometheus } from '@faultline/signals';
import { parse } from 'yaml';
import { VICTORIALOGS } from '../grafana/src/datasources.ts';

const VICTORIALOGS_TYPE = VICTORIALOGS.type!;

type Json = Record<string, unknown>;
const dashboards: Record<string, Json> = Object.fromEntries(
  Object.keys(DASHBOARDS).map((f) => [f, JSON.parse(readFileSync(join(DASHBOARDS_DIR, f), 'utf8')) as Json]),
);
const API_POOL_MAX = 10;
/** When (after the fleet started) the top-N order is compared with what the load generator sent. */
const ORDER_AFTER_MS = 45_000;

let stack: Stack;
let prom = '';
let fleetStarted = 0;

before(async () => {
  stack = await startStack({ fleet: true, load: { rate: 40 } });
  fleetStarted = Date.now();
  prom = stack.urls.prometheus!;
  assert.ok(prom, 'startStack started no Prometheus');
});
after(async () => {
  await stack?.stop();
});

const ctx = (d: Json, values?: Record<string, string[]>): RenderContext => ({
  to: Date.now(),
  rangeMs: dashboardRangeMs(d),
  scrapeMs: SCRAPE_MS,
  values,
});

async function panelQuery(file: string, title: string, refId = 'A', values?: Record<string, string[]>): Promise<Evaluated> {
  const d = dashboards[file]!;
  const q = dashboardQueries(d).find((x) => x.title === title && x.refId === refId);
  assert.ok(q, `${file}: no query ${title} / ${refId}`);
  const e = await evaluate(prom, d, q, ctx(d, values));
  assert.equal(e.error, undefined, `${title}: ${e.expr}`);
  return e;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the dashboards on the real stack', () => {
  it('every query of every dashboard parses and returns data within one minute of the fleet starting', async () => {
    const deadline = fleetStarted + 60_000;
    let empty: string[];
    let count: number;
    for (;;) {
      empty = [];
      count = 0;
      for (const [file, d] of Object.entries(dashboards)) {
        for (const e of await evaluateDashboard(prom, d, ctx(d))) {
          if (EMPTY_WHILE_QUIET.has(e.query.expr ?? '')) continue;
          count++;
          assert.equal(
            e.error,
            undefined,
            `${file}: ${e.query.kind} "${e.query.title}" ${e.query.refId} does not run: ${e.error}\n${e.expr}`,
          );
          if (e.series.length === 0) empty.push(`${file}: ${e.query.kind} "${e.query.title}" ${e.query.refId}: ${e.expr}`);
        }
      }
      if (empty.length === 0 || Date.now() > deadline) break;
      await sleep(2000);
    }
    assert.deepEqual(empty, [], `no data ${Math.round((Date.now() - fleetStarted) / 1000)} s after the fleet started`);
    assert.ok(count >= 40, `only ${count} queries`);
    console.log(`# ${count} queries all returned data ${Math.round((Date.now() - fleetStarted) / 1000)} s after the fleet started`);
  });

  it('the Clients top-N lists the clients the load drove hardest, in order, team-01 first', async () => {
    // Order is only meaningful once the load has made a few hundred requests (still within the minute).
    await sleep(Math.max(0, fleetStarted + ORDER_AFTER_MS - Date.now()));
    const top = await panelQuery('clients.json', 'Top 10 clients', 'A');
    const names = top.series.map((s) => s.labels[L.clientId]!);
    const values = top.series.map(lastValue);
    assert.equal(names.length, 10);
    assert.deepEqual(
      [...values].sort((a, b) => b - a),
      values,
      'sorted by requests, descending',
    );
    // The load generator's own count of what it sent, per client (its progress line: top=team-01=N ...).
    const log = readFileSync(stack.services['loadgen']!.logFile, 'utf8');
    const sent = [...log.matchAll(/top=(\S+)=\d+ (\S+)=\d+ (\S+)=\d+/g)].at(-1);
    assert.ok(sent, 'no progress line from loadgen');
    assert.deepEqual(names.slice(0, 3), sent.slice(1, 4), `table: ${names.join(' ')}`);
    assert.equal(names[0], 'team-01');
    const change = await panelQuery('clients.json', 'Top 10 clients', 'B');
    assert.deepEqual(new Set(change.series.map((s) => s.labels[L.clientId])), new Set(names), 'change column for the same clients');
  });

  it('$client narrows every Clients panel to the chosen client', async () => {
    for (const q of dashboardQueries(dashboards['clients.json']!).filter((x) => x.kind === 'panel')) {
      const e = await panelQuery('clients.json', q.title, q.refId, { client: ['team-03'] });
      assert.ok(e.series.length > 0, `${q.title} ${q.refId}: no data for team-03`);
      for (const s of e.series) assert.equal(s.labels[L.clientId], 'team-03', `${q.title} ${q.refId}: ${JSON.stringify(s.labels)}`);
    }
  });

  it(`the pool panel shows max = ${API_POOL_MAX} for both api processes, and used ≤ max`, async () => {
    const max = await panelQuery('incident-overview.json', 'Pool connections used vs max', 'B');
    const api = max.series.filter((s) => s.labels[L.service] === 'api');
    assert.deepEqual(api.map((s) => s.labels[L.instance]).sort(), ['api-1', 'api-2']);
    for (const s of api) assert.equal(lastValue(s), API_POOL_MAX, JSON.stringify(s.labels));
    const used = await panelQuery('incident-overview.json', 'Pool connections used vs max', 'A');
    for (const s of used.series.filter((x) => x.labels[L.service] === 'api')) {
      assert.ok(Math.max(...s.points.map((v) => v[1])) <= API_POOL_MAX, JSON.stringify(s));
    }
  });

  it('every panel that asks for exemplars gets some, each with a trace_id Jaeger knows', async () => {
    let checked = 0;
    for (const [file, d] of Object.entries(dashboards)) {
      for (const q of dashboardQueries(d).filter((x) => x.raw['exemplar'] === true)) {
        const expr = interpolate(q.expr!, savedVariables(d), ctx(d));
        const exemplars = await prometheus.exemplars(prom, expr, (Date.now() - 300_000) / 1000, Date.now() / 1000);
        assert.ok(exemplars.length > 0, `${file}: "${q.title}" ${q.refId}: no exemplars for ${expr}`);
        const traceId = exemplars[0]!.traceId;
        assert.match(traceId ?? '', /^[0-9a-f]{32}$/);
        const res = await fetch(`${stack.urls.jaegerQuery}/api/traces/${traceId}`);
        assert.equal(res.status, 200, `${q.title}: trace ${traceId} not in Jaeger`);
        checked++;
      }
    }
    assert.ok(checked >= 3, `only ${checked} exemplar panels`);
  });

  it('the deploy annotation marks each service start at its start time, with its version', async () => {
    const q = dashboardQueries(dashboards['clients.json']!).find((x) => x.kind === 'annotation')!;
    const e = await evaluate(prom, dashboards['clients.json']!, q, ctx(dashboards['clients.json']!));
    const services = new Set(e.series.map((s) => s.labels[L.service]));
    for (const name of ['lb', 'api', 'partner', 'worker']) assert.ok(services.has(name), `no start marker for ${name}`);
    for (const s of e.series) {
      assert.equal(s.labels[L.serviceVersion], '0.1.0');
      const at = lastValue(s);
      // The fleet starts before fleetStarted; the shop (team-05's backend) is started by loadgen just after.
      assert.ok(at > fleetStarted - 120_000 && at <= Date.now(), `${s.labels[L.instance]} started at ${new Date(at).toISOString()}`);
    }
  });

  it("Jaeger's Monitor tab (SPM) reads call rates and p95 latencies of api from Prometheus", async () => {
    for (const path of ['/api/metrics/calls?service=api', '/api/metrics/latencies?service=api&quantile=0.95']) {
      const res = await fetch(stack.urls.jaegerQuery + path);
      assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
      const body = (await res.json()) as {
        metrics: { labels: { name: string; value: string }[]; metricPoints: { gaugeValue: { doubleValue: number } }[] }[];
      };
      const api = body.metrics.find((m) => m.labels.some((l) => l.name === L.service && l.value === 'api'));
      assert.ok(api, `${path}: no api series`);
      assert.ok(
        api.metricPoints.some((p) => p.gaugeValue.doubleValue > 0),
        `${path}: all points zero`,
      );
    }
  });

  it("Jaeger's dependency graph (the node graph panel's query) has lb → api → partner and api → worker", async () => {
    const res = await fetch(`${stack.urls.jaegerQuery}/api/dependencies?endTs=${Date.now()}&lookback=3600000`);
    const edges = ((await res.json()) as { data: { parent: string; child: string }[] }).data.map((e) => `${e.parent}>${e.child}`);
    for (const e of ['lb>api', 'api>partner', 'api>worker']) assert.ok(edges.includes(e), `${e} not in ${edges.join(' ')}`);
  });

  it('every panel and annotation Prometheus does not answer is checked by its own kind (none skipped)', async () => {
    const provisioned = parse(readFileSync(join(DASHBOARDS_DIR, '..', 'provisioning', 'datasources', 'datasources.yaml'), 'utf8')) as {
      datasources: { name: string; uid: string; type: string }[];
    };
    const byType = (t: string) => provisioned.datasources.find((x) => x.type === t);
    // What Prometheus' rule source holds: the alert list shows these rules' firing and pending instances.
    const rules = (await (await fetch(`${prom}/api/v1/rules?type=alert`)).json()) as {
      data: { groups: { rules: { name: string; health: string }[] }[] };
    };
    const alerting = rules.data.groups.flatMap((g) => g.rules);
    const unchecked: string[] = [];
    const checked: Record<string, number> = {};
    const count = (kind: string) => (checked[kind] = (checked[kind] ?? 0) + 1);
    for (const [file, d] of Object.entries(dashboards)) {
      for (const p of dashboardPanels(d)) {
        const types = new Set(p.datasourceTypes);
        if (types.size === 1 && types.has('prometheus')) continue; // run by the first test
        if (p.panelType === 'alertlist') {
          assert.equal(p.ruleSource, PROMETHEUS_NAME, `${file}: "${p.title}" reads rule source ${p.ruleSource}`);
          assert.equal(provisioned.datasources.find((x) => x.name === p.ruleSource)?.type, 'prometheus');
          assert.ok(alerting.length >= 10, `Prometheus evaluates only ${alerting.length} alerting rules`);
          for (const r of alerting) assert.notEqual(r.health, 'err', `rule ${r.name} fails to evaluate`);
          count('alert list');
        } else if (types.size === 1 && types.has('jaeger')) {
          assert.ok(byType('jaeger'), 'no Jaeger datasource'); // its query: the dependency graph test below
          count('jaeger');
        } else if (types.size === 1 && types.has(VICTORIALOGS_TYPE)) {
          assert.ok(byType(VICTORIALOGS_TYPE), 'no VictoriaLogs datasource');
          count('logs');
        } else unchecked.push(`${file}: ${p.panelType} "${p.title}" (${[...types].join(', ') || 'no targets'})`);
      }
      for (const q of dashboardQueries(d).filter((x) => x.datasourceType === VICTORIALOGS_TYPE)) {
        // The LogsQL as Grafana sends it (variables substituted): the log store must accept it.
        const raw = (q.kind === 'annotation' ? (q.raw['target'] as Json) : q.raw) ?? {};
        const expr = interpolate(String(raw['expr']), savedVariables(d), ctx(d));
        await logs.query(stack.urls.logs, expr, { start: (Date.now() - dashboardRangeMs(d)) / 1000, limit: 1 });
        count('LogsQL');
      }
      for (const q of dashboardQueries(d).filter((x) => EMPTY_WHILE_QUIET.has(x.expr ?? ''))) {
        const e = await evaluate(prom, d, q, ctx(d));
        assert.equal(e.error, undefined, `${file}: ${q.title}: ${e.expr}`);
        count('alert markers');
      }
    }
    assert.deepEqual(unchecked, [], 'panels no test checks');
    console.log(`# checked by kind: ${JSON.stringify(checked)}; ${alerting.length} alerting rules behind the alert list`);
    assert.ok(checked['alert list'] && checked['alert markers'] && checked['LogsQL'], JSON.stringify(checked));
  });

  it('dashboards:report prints every panel with its query and top values, and no errors', async () => {
    const text = await report(prom, 3);
    for (const d of Object.values(dashboards)) {
      for (const q of dashboardQueries(d).filter((x) => x.datasourceType === 'prometheus'))
        assert.ok(text.includes(`] ${q.title} / ${q.refId}`), q.title);
    }
    assert.doesNotMatch(text, /^ {4}ERROR |^ {4}\(no series\)/m);
    assert.match(text, /client_id=team-01/);
  });
});
