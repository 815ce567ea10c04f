/**
 * The incident lab on the real stack (fleet with steady load from 24 clients, PostgreSQL, Redis,
 * Collector, Prometheus, Jaeger): every scenario is switched on through the services' admin endpoints
 * under load, and its cause must be visible in what Prometheus and Jaeger hold — never in the demo's own
 * memory — and be named by `faultline incident`; then it is switched off and the fleet must recover.
 *
 * One stack for all scenarios, one after the other: each runs ON_S seconds, is checked, is switched off,
 * and the fleet then runs quietly for at least QUIET_S seconds (its recovery, and the next scenario's
 * baseline). `FAULTLINE_SCENARIOS=a,b` runs only those (for working on one).
 *
 * The quiet baseline is also where `faultline incident` must find nothing; the client-flood scenario runs the
 * command itself (time, text, JSON against the schema); `new-clients` is driven by the test (a heavy client
 * never seen before and a dozen light ones), not by a demo scenario.
 *
 * Alerts (alerts.ts): the first quiet baseline (5 minutes) must raise none; each scenario's expected alert must
 * reach Alertmanager while it is on (time to alert printed) and resolve after it is off.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startStack, type Stack } from '../../stack/src/index.ts';
import { eq, jaeger, L, M, selector, SERVER } from '@faultline/signals';
import { flood, lookback, validateJson } from '@faultline/testkit';
import { readFileSync } from 'node:fs';
import { buildReport } from '../../cli/src/report/build.ts';
import { assertQuiet, watchAlerts, type AlertWatch } from './alerts.ts';
import * as chaos from './chaos.ts';
import {
  byLabel,
  incident,
  incidentCommand,
  METRICS_LAG_MS,
  nowS,
  prom,
  scalar,
  scenario,
  sinceSwitch,
  sleep,
  summary,
  until,
} from './lab.ts';

const ON_S = 60;
const QUIET_S = 75;
const only = (process.env['FAULTLINE_SCENARIOS'] ?? '').split(',').filter(Boolean);
/**
 * The quiet baseline before the first scenario, judged from a minute after the start (the rules' windows
 * filled): 5 minutes of the normal load in which no alert may fire (false positives get alerts muted).
 * Also when FAULTLINE_SCENARIOS picks scenarios: the replicas are then as old as in the whole lab's early
 * scenarios (HeapGrowing, for one, waits for 5 minutes of uptime).
 */
const FIRST_QUIET_S = 300;
/** How long past ON_S (and the metrics lag) a scenario's alert may take before the switch off. */
const ALERT_EXTRA_S = 45;
const CALLS = M.calls;
/** A quantile over no observations is NaN: 0 (nothing waited). */
const zeroIfNaN = (v: number): number => (Number.isNaN(v) ? 0 : v);
const INCIDENT_SCHEMA = JSON.parse(readFileSync(new URL('../../cli/schema/incident.schema.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;
const EDGE = selector(CALLS, eq(L.service, 'lb'), SERVER);
const API_SERVER = selector(CALLS, eq(L.service, 'api'), SERVER);
/** `it` for the scenario `name`, or `it.skip` when FAULTLINE_SCENARIOS leaves it out (the runner awaits both). */
const run =
  (name: string) =>
  (title: string, fn: () => Promise<void>): void => {
    void (only.length === 0 || only.includes(name) ? it : it.skip)(title, fn);
  };

let stack: Stack;
/** When the last scenario was switched off (the quiet period starts). */
let quietSince = 0;
/** When the stack was ready (unix s). */
let readyS = 0;
/** The current scenario's alert watch. */
let alerts: AlertWatch | undefined;

/**
 * Waits until the fleet has been quiet for QUIET_S, then switches `name` on (through the services' admin
 * endpoints, unless `admin` is false: the test drives it itself) and watches for its alerts; returns when (unix s).
 */
async function switchOn(name: string, admin = true): Promise<number> {
  await sleep(Math.max(0, quietSince + QUIET_S * 1000 - Date.now()));
  const t = nowS();
  if (admin) await scenario(name, true);
  switchedOn[name] = t;
  alerts = watchAlerts(stack, name, t * 1000, (t + ON_S + ALERT_EXTRA_S) * 1000 + METRICS_LAG_MS);
  return t;
}

/** When each scenario was switched on (unix s), for the report over the whole lab. */
const switchedOn: Record<string, number> = {};

/** Checks that `name`'s alerts reached Alertmanager (waiting for slow ones), switches it off (unless `admin` is false) and starts the quiet period. */
async function switchOff(name: string, admin = true): Promise<void> {
  try {
    await alerts?.fired();
  } finally {
    if (admin) await scenario(name, false);
    quietSince = Date.now();
  }
}

/** The scenario's alerts are gone from Alertmanager (after its recovery). */
async function alertsResolved(): Promise<void> {
  await alerts?.resolved();
}

/** Waits until ON_S after `on`, plus the metrics lag. */
async function waitWindow(on: number): Promise<void> {
  await sleep(Math.max(0, (on + ON_S) * 1000 + METRICS_LAG_MS - Date.now()));
}

before(async () => {
  stack = await startStack({ fleet: true, load: { rate: 40 } });
  readyS = nowS();
  // A minute for the rules' windows to fill, then the quiet baseline (the CLI compares with the window before).
  quietSince = Date.now() + 60_000 + (FIRST_QUIET_S - QUIET_S) * 1000;
});
after(async () => {
  await stack?.stop();
});

describe('incident lab: each scenario on the real stack, named by its telemetry', () => {
  it('quiet: 5 minutes of the normal load of 24 clients raise no alert (the baseline before the first scenario)', async () => {
    await sleep(Math.max(0, quietSince + QUIET_S * 1000 - Date.now()));
    // From a minute after start (the rules' windows filled) to the first scenario.
    await assertQuiet(stack, readyS + 60, nowS());
    // ... and `faultline incident` finds nothing in the last minute, with every check having had data.
    const report = await incident(stack, ON_S, 'quiet');
    const text = await incidentCommand(stack, ON_S);
    assert.deepEqual(
      report.findings.map((f) => f.title),
      [],
    );
    assert.deepEqual(
      report.checks.filter((c) => !c.hasData).map((c) => c.name),
      [],
      'every check had data on the demo',
    );
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /no anomaly found\. Checked:/);
  });

  run('client-flood')(
    'client-flood: team-07 gains the most requests/s, its share rises ~6×, and faultline incident names it first',
    async () => {
      const on = await switchOn('client-flood');
      const rates = (t: number) => byLabel(stack, `sum by (client_id) (rate(${EDGE}[45s]))`, 'client_id', t);
      const before = await rates(on);
      await waitWindow(on);
      const during = await rates(nowS());
      // The window reaches back to the switch. The last ON_S seconds alone start METRICS_LAG_MS after it,
      // and their baseline held the flood's first METRICS_LAG_MS less Prometheus's actual lag (0–15 s),
      // which pulled the factor of a 6× flood down to ≈3 (a CI run: 2.95).
      const since = sinceSwitch(on);
      const report = await incident(stack, since, 'client-flood');
      const [text, json] = [await incidentCommand(stack, since), await incidentCommand(stack, since, ['--json'])];
      await switchOff('client-flood');

      const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
      const gain = [...during].map(([c, r]) => [c, r - (before.get(c) ?? 0)] as const).sort((a, b) => b[1] - a[1]);
      assert.equal(gain[0]?.[0], 'team-07', `largest gain: ${JSON.stringify(gain.slice(0, 3))}`);
      const shareFactor = during.get('team-07')! / total(during) / (before.get('team-07')! / total(before));
      const rateFactor = during.get('team-07')! / before.get('team-07')!;
      console.log(
        `# client-flood: team-07 ${before.get('team-07')!.toFixed(2)} → ${during.get('team-07')!.toFixed(2)} req/s (${rateFactor.toFixed(1)}×), share ×${shareFactor.toFixed(1)}`,
      );
      assert.ok(rateFactor >= 4 && rateFactor <= 9, `rate factor ${rateFactor}`);
      assert.ok(shareFactor >= 3, `share factor ${shareFactor}`);
      assert.equal(report.findings[0]?.kind, 'client-requests', summary(report.findings));
      assert.equal(report.findings[0]?.subject, 'team-07', summary(report.findings));
      const top = report.findings[0]!;
      assert.ok(Number(top.evidence['factor']) >= 3, `factor ${top.evidence['factor']}`);
      assert.ok(report.tookMs < 30_000, `faultline incident took ${report.tookMs} ms`);
      assert.ok(top.traces.ids.length >= 2, `traces ${JSON.stringify(top.traces)}`);
      assert.ok(top.traces.urls.every((u) => u.startsWith(`${stack.urls.jaegerQuery}/trace/`)));
      const example = await jaeger.getTrace(stack.urls.jaegerQuery, top.traces.ids[0]!);
      assert.ok(
        example?.spans.some((s) => s.tags['client.id'] === 'team-07'),
        'the example trace is team-07',
      );
      // The command itself: its time, its text within 100 columns, its JSON against the published schema.
      console.log(`# client-flood: the faultline incident command took ${text.ms} ms (process start to exit):\n${text.stdout}`);
      assert.equal(text.status, 0, text.stderr);
      assert.ok(text.ms < 30_000, `${text.ms} ms`);
      assert.match(text.stdout, /^ 1\. \[client-requests\] team-07: \d+\.\d× requests/m);
      for (const line of text.stdout.split('\n')) assert.ok(line.length <= 100, `${line.length} columns: ${line}`);
      assert.equal(json.status, 0, json.stderr);
      assert.deepEqual(validateJson(INCIDENT_SCHEMA, JSON.parse(json.stdout)), []);

      await until(
        'team-07 back to its usual rate',
        async () => {
          const r = (await rates(nowS())).get('team-07') ?? 0;
          return r < 2 * before.get('team-07')!;
        },
        60_000 + METRICS_LAG_MS,
      );
      await alertsResolved();
    },
  );

  run('cache-eviction')(
    "cache-eviction: team-03's price cache misses jump and its database queries rise; faultline incident names team-03's cache",
    async () => {
      const missRatio = (t: number) =>
        byLabel(
          stack,
          `sum by (client_id) (rate(${CALLS}{service_name="api",span_name="hgetall",cache_hit="false"}[45s])) / sum by (client_id) (rate(${CALLS}{service_name="api",span_name="hgetall"}[45s]))`,
          'client_id',
          t,
        );
      const missRate = (t: number) =>
        byLabel(
          stack,
          `sum by (client_id) (rate(${CALLS}{service_name="api",span_name="hgetall",cache_hit="false"}[45s]))`,
          'client_id',
          t,
        );
      const dbRate = (t: number) =>
        byLabel(stack, `sum by (client_id) (rate(${CALLS}{service_name="api",span_name=~"pg.query.*"}[45s]))`, 'client_id', t);
      const on = await switchOn('cache-eviction');
      const [missBefore, missRateBefore, dbBefore] = [await missRatio(on), await missRate(on), await dbRate(on)];
      await waitWindow(on);
      const t = nowS();
      const [missDuring, missRateDuring, dbDuring] = [await missRatio(t), await missRate(t), await dbRate(t)];
      const report = await incident(stack, ON_S, 'cache-eviction');
      await switchOff('cache-eviction');

      const v = (m: Map<string, number>, c = 'team-03') => m.get(c) ?? 0;
      console.log(
        `# cache-eviction: team-03 miss ratio ${v(missBefore).toFixed(2)} → ${v(missDuring).toFixed(2)}, price misses ${v(missRateBefore).toFixed(2)} → ${v(missRateDuring).toFixed(2)}/s, its DB queries ${v(dbBefore).toFixed(2)} → ${v(dbDuring).toFixed(2)}/s; team-01 miss ratio ${v(missBefore, 'team-01').toFixed(2)} → ${v(missDuring, 'team-01').toFixed(2)}`,
      );
      assert.ok(v(missDuring) >= 0.5 && v(missDuring) >= v(missBefore) + 0.3, 'team-03 misses jumped');
      assert.ok(v(missDuring, 'team-01') < 0.3, 'other clients still hit the cache');
      // Each extra miss is a query to PostgreSQL (the price computed there), on top of team-03's others.
      const extraMisses = v(missRateDuring) - v(missRateBefore);
      // Its database queries (printed above) are not asserted: all of team-03's pg.query spans over 45 s
      // are ≈85 events, whose Poisson noise (≈0.2/s) is as large as the rise ~1 extra miss/s brings
      // (0.17–0.27/s measured); a bound on it failed one clean-clone run in three.
      assert.ok(extraMisses > 0.2, `team-03's cache misses per second rose (+${extraMisses.toFixed(2)}/s)`);
      const cache = report.findings.find((f) => f.kind === 'cache');
      assert.ok(cache, `a cache finding: ${summary(report.findings)}`);
      assert.match(`${cache.subject} ${cache.title}`, /team-03/);
      assert.equal(report.findings[0], cache, summary(report.findings));

      await until('team-03 hits the cache again', async () => v(await missRatio(nowS())) < 0.3, 90_000);
      await alertsResolved();
    },
  );

  run('partner-throttle')(
    'partner-throttle: retries carry resend counts, the partner breaker opens and fails fast, then closes; faultline incident names the breaker',
    async () => {
      const on = await switchOn('partner-throttle');
      await waitWindow(on);
      const resent = await scalar(
        stack,
        `sum(increase(${CALLS}{service_name="api",span_kind="SPAN_KIND_CLIENT",http_request_resend_count!=""}[${ON_S}s]))`,
      );
      const events = await byLabel(
        stack,
        `sum by (circuit_breaker_event) (increase(circuit_breaker_events_total{circuit_breaker_name="partner"}[${ON_S}s]))`,
        'circuit_breaker_event',
      );
      const timeouts = await jaeger.findTraces(
        stack.urls.jaegerQuery,
        { service: 'api', tags: { 'error.type': 'UND_ERR_HEADERS_TIMEOUT' } },
        ...lookback(120),
        5,
      );
      const report = await incident(stack, ON_S, 'partner-throttle');
      await switchOff('partner-throttle');

      console.log(
        `# partner-throttle: ${resent.toFixed(0)} resent calls, breaker events ${JSON.stringify(Object.fromEntries(events))}, ${timeouts.length} timeout traces`,
      );
      assert.ok(resent > 0, 'resent requests with http.request.resend_count');
      assert.ok((events.get('open') ?? 0) >= 1, 'the breaker opened');
      assert.ok((events.get('reject') ?? 0) >= 1, 'calls failed fast while open');
      assert.ok(timeouts.length > 0, 'timed-out calls end with error.type set (undici: UND_ERR_HEADERS_TIMEOUT)');
      const top = report.findings[0];
      assert.equal(top?.kind, 'breaker', summary(report.findings));
      assert.match(top.subject, /partner/);

      // Off: the next half-open trial succeeds and the breaker closes.
      await until(
        'the partner breaker closed again',
        async () =>
          (await scalar(stack, 'max(circuit_breaker_state{circuit_breaker_name="partner"})')) === 0 &&
          (await scalar(
            stack,
            'sum(increase(circuit_breaker_events_total{circuit_breaker_name="partner",circuit_breaker_event="closed"}[2m]))',
          )) >= 1,
        60_000 + METRICS_LAG_MS,
      );
      await alertsResolved();
    },
  );

  run('db-slow')('db-slow: every query is slower inside PostgreSQL while the pool keeps up', async () => {
    const p95 = (t: number) =>
      scalar(
        stack,
        `histogram_quantile(0.95, sum by (le) (rate(traces_span_metrics_duration_milliseconds_bucket{service_name="api",span_name=~"pg.query.*"}[45s])))`,
        t,
      );
    const on = await switchOn('db-slow');
    const before = await p95(on);
    await waitWindow(on);
    const during = await p95(nowS());
    const pending = await scalar(stack, 'max(max_over_time(db_client_connection_pending_requests{service_name="api"}[45s]))');
    const report = await incident(stack, ON_S, 'db-slow');
    await switchOff('db-slow');

    console.log(`# db-slow: api query p95 ${before.toFixed(1)} → ${during.toFixed(1)} ms, pending requests max ${pending}`);
    assert.ok(during >= before + 100, 'query p95 rose by the injected delay');
    assert.ok(
      report.findings.some((f) => f.kind === 'latency' || f.kind === 'client-latency'),
      summary(report.findings),
    );
    await until('queries fast again', async () => (await p95(nowS())) < before + 50, 60_000 + METRICS_LAG_MS);
    await alertsResolved();
  });

  run('job-storm')('job-storm: report jobs take the pool from request traffic; requests wait for connections', async () => {
    // The p99 of the requests' acquires (0 while there were none).
    const wait = async (t: number) =>
      zeroIfNaN(
        await scalar(
          stack,
          `histogram_quantile(0.99, sum by (le) (rate(traces_span_metrics_duration_milliseconds_bucket{service_name="api",span_name="pg-pool.connect",client_id!="nightly-reports"}[45s])))`,
          t,
        ),
      );
    const on = await switchOn('job-storm');
    const before = await wait(on);
    await waitWindow(on);
    const during = await wait(nowS());
    const used = await byLabel(
      stack,
      'max by (instance) (max_over_time(db_client_connection_count{service_name="api",db_client_connection_state="used"}[45s]))',
      'instance',
    );
    const jobs = await jaeger.findTraces(
      stack.urls.jaegerQuery,
      { service: 'api', tags: { 'client.id': 'nightly-reports' } },
      ...lookback(120),
      20,
    );
    const report = await incident(stack, ON_S, 'job-storm');
    await switchOff('job-storm');

    const consumer = jobs.flatMap((t) => t.spans).filter((s) => s.kind === 'consumer');
    console.log(
      `# job-storm: request pool wait p99 ${before.toFixed(1)} → ${during.toFixed(1)} ms, used max ${JSON.stringify(Object.fromEntries(used))}, ${consumer.length} job spans`,
    );
    // BullMQ's own telemetry names its attributes bullmq.* (bullmq-otel), not messaging.*.
    assert.ok(
      consumer.length > 0 && consumer.every((s) => s.tags['client.id'] === 'nightly-reports' && s.tags['bullmq.queue.name'] === 'reports'),
      'job spans carry the batch client and their queue',
    );
    assert.ok(
      jobs
        .flatMap((t) => t.spans)
        .some(
          (s) => s.operation.startsWith('pg.query') && s.tags['db.client.connection.pool.used'] === s.tags['db.client.connection.pool.max'],
        ),
      'jobs ran their queries with the pool full',
    );
    assert.ok(during >= 2 * before && during >= 20, 'requests waited longer for a connection');
    assert.ok(
      report.findings.some((f) => f.kind === 'pool' || f.kind === 'backlog'),
      summary(report.findings),
    );
    await until('pool waits short again', async () => (await wait(nowS())) < Math.max(20, 2 * before), 90_000);
    await alertsResolved();
  });

  run('pool-exhaustion')(
    'pool-exhaustion: api-1 pool full with requests waiting, health checks fail, the lb ejects api-1 and api-2 takes its traffic; then re-admitted',
    async () => {
      const perInstance = (t: number) => byLabel(stack, `sum by (instance) (rate(${API_SERVER}[30s]))`, 'instance', t);
      // Every acquire's wait, from the pool's wait histogram (seconds), in ms; 0 while there were none.
      const wait = async (t: number) =>
        1000 *
        zeroIfNaN(
          await scalar(
            stack,
            `histogram_quantile(0.99, sum by (le) (rate(db_client_connection_wait_time_seconds_bucket{service_name="api",instance="api-1"}[45s])))`,
            t,
          ),
        );
      const on = await switchOn('pool-exhaustion');
      const [rateBefore, waitBefore] = [await perInstance(on), await wait(on)];
      await waitWindow(on);
      const [rateDuring, waitDuring] = [await perInstance(nowS() - 10), await wait(nowS())];
      const spans = (
        await jaeger.findTraces(stack.urls.jaegerQuery, { service: 'api', tags: { 'service.instance.id': 'api-1' } }, ...lookback(60), 200)
      ).flatMap((t) => t.spans);
      // The search matches the process tag service.instance.id: every api span found here is api-1's.
      const full = spans
        .filter((s) => s.service === 'api')
        .filter(
          (s) =>
            s.tags['db.client.connection.pool.used'] !== undefined &&
            s.tags['db.client.connection.pool.used'] === s.tags['db.client.connection.pool.max'] &&
            Number(s.tags['db.client.connection.pool.pending_requests']) > 0,
        );
      const ejected = await jaeger.findTraces(
        stack.urls.jaegerQuery,
        { service: 'lb', operation: 'health_check', tags: { 'lb.backend.transition': 'ejected' } },
        ...lookback(120),
        5,
      );
      const report = await incident(stack, ON_S, 'pool-exhaustion');
      // The api's pool-timeout log lines (demo-services/api/db.ts), stamped with the pool state by the
      // preload: in the log store, then under the pool finding of `faultline incident --logs`. (Imported
      // here so that this scenario's additions stay in its block.)
      const { logs, LOG_FIELD } = await import('@faultline/signals');
      const { investigate } = await import('../../cli/src/incident.ts');
      const { renderText } = await import('../../cli/src/render.ts');
      const isTimeoutAtMax = (l: Record<string, string>) =>
        /DB connection timeout/.test(l[LOG_FIELD.msg] ?? '') &&
        l[LOG_FIELD.poolUsed] !== undefined &&
        l[LOG_FIELD.poolUsed] === l[LOG_FIELD.poolMax];
      const timeoutQuery = `${logs.fieldEq(LOG_FIELD.service, 'api')} ${logs.fieldEq(LOG_FIELD.instance, 'api-1')} "DB connection timeout" | sort by (_time desc)`;
      let timeoutLines: Record<string, string>[] = [];
      await until(
        'a DB connection timeout line of api-1 with used == max in VictoriaLogs',
        async () => {
          timeoutLines = await logs.query(stack.urls.logs, timeoutQuery, { start: on, limit: 50 });
          return timeoutLines.some(isTimeoutAtMax);
        },
        30_000,
      );
      const withLogs = await investigate({
        prometheus: stack.urls.prometheus!,
        jaeger: stack.urls.jaegerQuery,
        grafana: 'http://127.0.0.1:3000',
        // From the switch: once the lb has ejected api-1 (~20 s in) it gets almost no requests, so nearly
        // all of its timeout lines are from the first seconds, which the last ON_S s no longer hold by now.
        windowS: sinceSwitch(on, 5),
        edge: 'lb',
        logs: stack.urls.logs,
      });
      const text = renderText(withLogs, false);
      // The pool alert on the status timeline (Alertmanager → faultline status webhook → Collector → VictoriaLogs).
      const { readTimeline } = await import('../../cli/src/commands/status.ts');
      await until(
        'PoolSaturated fired on the status timeline',
        async () =>
          (await readTimeline(stack.urls.logs, nowS() - on + 60)).events.some(
            (e) => e.source === 'alertmanager' && e.text.startsWith('alert PoolSaturated fired'),
          ),
        30_000,
      );
      await switchOff('pool-exhaustion');
      const poolFinding = withLogs.findings.find((f) => f.kind === 'pool' && /api-1/.test(f.subject));
      // The text output: findings are blocks separated by a blank line, each starting ` N. [kind] title`.
      const underPool = text.split('\n\n').find((b) => /^\s*\d+\. \[pool\] .*api-1/.test(b)) ?? '';
      console.log(
        `# pool-exhaustion: ${timeoutLines.length} api-1 timeout log lines (${timeoutLines.filter(isTimeoutAtMax).length} with used == max); under the pool finding:\n${underPool.replace(/^/gm, '#   ')}`,
      );
      assert.ok(
        poolFinding?.logs?.some((l) => /DB connection timeout/.test(l.message) && l.pool !== undefined && l.pool.used === l.pool.max),
        poolFinding
          ? `the pool finding's log lines have a timeout with used == max: ${JSON.stringify(poolFinding.logs)} (log store: ${withLogs.logs?.error ?? 'answered'})`
          : `no pool finding for api-1 in the report with log lines: ${summary(withLogs.findings)}`,
      );
      assert.match(underPool, /\n\s+log \d\d:\d\d:\d\d (?:warn|error) api \[pool (\d+)\/\1\b[^\]]*\] DB connection timeout/);

      console.log(
        `# pool-exhaustion: ${full.length} api spans with used == max and requests pending; connection wait p99 ${waitBefore.toFixed(1)} → ${waitDuring.toFixed(1)} ms; ${ejected.length} ejections; rate ${JSON.stringify(Object.fromEntries(rateBefore))} → ${JSON.stringify(Object.fromEntries(rateDuring))}`,
      );
      assert.ok(full.length > 0, 'spans show the pool full with requests waiting');
      assert.ok(waitDuring >= 100 && waitDuring >= 3 * waitBefore, 'connection wait p99 rose');
      assert.ok(ejected.length >= 1, 'an lb health_check span with the ejection');
      assert.ok(
        ejected[0]!.spans.some((s) => s.tags['lb.backend'] === '127.0.0.1:8081'),
        'api-1 was the one ejected',
      );
      assert.ok((rateDuring.get('api-2') ?? 0) >= 1.6 * (rateBefore.get('api-2') ?? Infinity), "api-2 took api-1's traffic");
      const top = report.findings[0];
      assert.ok(
        top && (top.kind === 'pool' || top.kind === 'ejection') && /api-1/.test(`${top.subject} ${top.title}`),
        summary(report.findings),
      );
      assert.ok(
        report.findings.some((f) => f.kind === 'pool' && /api-1/.test(f.subject) && f.evidence['maxUsed'] === f.evidence['max']),
        summary(report.findings),
      );

      await until(
        'api-1 re-admitted and serving',
        async () => {
          const back = await jaeger.findTraces(
            stack.urls.jaegerQuery,
            { service: 'lb', operation: 'health_check', tags: { 'lb.backend.transition': 'readmitted' } },
            ...lookback(60),
            1,
          );
          const r = await perInstance(nowS());
          return back.length > 0 && (r.get('api-1') ?? 0) >= 0.5 * (rateBefore.get('api-1') ?? 0);
        },
        90_000,
      );
      await alertsResolved();
    },
  );

  run('buggy-deploy')(
    "buggy-deploy: team-05's backend redeploys as 2.0.0 and its quote calls jump at that moment; faultline incident lines the deploy up with team-05",
    async () => {
      const quotes = `sum(rate(${API_SERVER.replace('}', ',client_id="team-05",http_route="/v1/quote/:symbol"}')}[20s]))`;
      const on = await switchOn('buggy-deploy');
      const before = await scalar(stack, quotes, on);
      await waitWindow(on);
      const starts = await prom(stack, 'process_start_time_seconds{service_name="shop",service_version="2.0.0"}');
      // A deploy is a moment (right after the switch), not a state that lasts: the window reaches back to
      // the switch. The last ON_S seconds alone start METRICS_LAG_MS after it, and the deploy is in them
      // only when Prometheus happened to see the new version late (a CI run had no deploy finding).
      const report = await incident(stack, sinceSwitch(on, 2), 'buggy-deploy');
      // When team-05's quote calls jumped: the first 5 s step at ≥ 3× the rate before.
      const series = (await fetch(
        `${stack.urls.prometheus}/api/v1/query_range?${new URLSearchParams({ query: quotes, start: String(on - 30), end: String(nowS()), step: '5' })}`,
      ).then((r) => r.json())) as { data: { result: { values: [number, string][] }[] } };
      const jump = series.data.result[0]?.values.find(([t, v]) => t > on - 5 && Number(v) >= 3 * Math.max(before, 0.1))?.[0];
      await switchOff('buggy-deploy');

      assert.equal(starts.length, 1, 'a deploy marker for shop 2.0.0');
      const deployedAt = starts[0]!.value;
      console.log(
        `# buggy-deploy: shop 2.0.0 started ${(deployedAt - on).toFixed(1)} s after the switch; team-05 quotes ${before.toFixed(2)}/s before, jump at ${jump === undefined ? 'never' : `${(jump - deployedAt).toFixed(1)} s after the deploy`}`,
      );
      assert.ok(deployedAt >= on - 1 && deployedAt <= on + 30, 'the marker is the redeploy');
      assert.ok(jump !== undefined && Math.abs(jump - deployedAt) <= 25, 'the spike starts with the deploy');
      const deploy = report.findings.find((f) => f.kind === 'deploy' && /shop/.test(f.subject));
      assert.ok(deploy, `a deploy finding for shop: ${summary(report.findings)}`);
      assert.ok(deploy.related.includes('team-05'), `the deploy lines up with team-05: ${JSON.stringify(deploy.related)}`);
      assert.ok(
        ['deploy', 'client-requests'].includes(report.findings[0]!.kind) && /shop|team-05/.test(report.findings[0]!.subject),
        summary(report.findings),
      );

      await until(
        'team-05 quote calls back to normal',
        async () => (await scalar(stack, quotes)) < 2 * Math.max(before, 0.1),
        60_000 + METRICS_LAG_MS,
      );
      await alertsResolved();
    },
  );

  run('memory-leak')('memory-leak: api-1 heap climbs while api-2 stays flat; memory comes back when switched off', async () => {
    // Heap in use saws up and down by tens of MB between major GCs (85 → 39 MB in one sample pair of a
    // replica without the leak), so each side is the average of its samples: the 60 s before the switch
    // against the window's last 30 s, where the leak's retained bytes sit on top of the same sawtooth.
    const heap = (t: number, range = '') =>
      byLabel(
        stack,
        range
          ? `max by (instance) (avg_over_time(v8js_memory_heap_used_bytes{service_name="api"}[${range}]))`
          : 'max by (instance) (v8js_memory_heap_used_bytes{service_name="api"})',
        'instance',
        t,
      );
    const on = await switchOn('memory-leak');
    const before = await heap(on, '60s');
    await waitWindow(on);
    const during = await heap(nowS(), '30s');
    await switchOff('memory-leak');
    const mb = (m: Map<string, number>, i: string) => (m.get(i) ?? 0) / 2 ** 20;
    const grew = (i: string) => mb(during, i) - mb(before, i);
    console.log(
      `# memory-leak: average heap in use api-1 ${mb(before, 'api-1').toFixed(0)} → ${mb(during, 'api-1').toFixed(0)} MB, api-2 ${mb(before, 'api-2').toFixed(0)} → ${mb(during, 'api-2').toFixed(0)} MB`,
    );
    // 64 KiB per request at ~20 requests/s per replica: ~1.25 MB/s, ~55 MB by the average's midpoint.
    assert.ok(grew('api-1') >= 30, `api-1 grew ${grew('api-1')} MB`);
    assert.ok(grew('api-2') < 0.5 * grew('api-1') && grew('api-2') < 15, `api-2 grew ${grew('api-2')} MB`);
    await until(
      'api-1 gives the memory back',
      async () => mb(await heap(nowS()), 'api-1') < mb(during, 'api-1') - 0.5 * grew('api-1'),
      60_000 + METRICS_LAG_MS,
    );
    await alertsResolved();
  });
  run('new-clients')(
    'new-clients: a heavy client never seen before ranks first, a dozen light new ones share one "also seen" line, and the surge alert fires',
    async () => {
      // About a quarter of the traffic from a client never seen before, and 12 new clients at ~1.5 % each.
      const light = Array.from({ length: 12 }, (_, i) => `new-light-${String(i + 1).padStart(2, '0')}`);
      const on = await switchOn('new-clients', false);
      const [heavy, ...lights] = await Promise.all([
        flood(stack.urls.lb!, 'new-heavy', 14, ON_S),
        ...light.map((c) => flood(stack.urls.lb!, c, 1, ON_S)),
      ]);
      await sleep(METRICS_LAG_MS);
      // The window reaches back past the clients' first request, so its baseline has none of them: new clients.
      const since = sinceSwitch(on, 5);
      const report = await incident(stack, since, 'new-clients');
      const text = await incidentCommand(stack, since);
      await switchOff('new-clients', false);

      console.log(`# new-clients: heavy ${heavy!.sent} sent, light ${lights.reduce((a, d) => a + d.sent, 0)} sent`);
      const top = report.findings[0];
      assert.equal(top?.kind, 'client-requests', summary(report.findings));
      assert.equal(top.subject, 'new-heavy');
      assert.deepEqual(
        report.findings.filter((f) => light.includes(f.subject)).map((f) => f.title),
        [],
        'no light new client is a finding of its own',
      );
      const seen = (report.alsoSeen ?? []).flatMap((a) => a.subjects);
      assert.ok(light.filter((c) => seen.includes(c)).length >= 10, `also seen: ${JSON.stringify(report.alsoSeen)}`);
      assert.equal(text.status, 0, text.stderr);
      assert.match(text.stdout, /^ 1\. \[client-requests\] new-heavy: /m);
      // faultline incident lists the surge alert among the alerts that fired in its window.
      assert.ok(
        (report.alerts ?? []).some((a) => a.name === 'ClientTrafficSurge' && Object.values(a.labels).includes('new-heavy')),
        `alerts in the report: ${JSON.stringify(report.alerts)}`,
      );
      await alertsResolved();
    },
  );

  run('network-partition')(
    'network-partition: api-1 cut off from PostgreSQL by Toxiproxy; pool timeouts in error.type, the lb ejects api-1, api-2 serves; then re-admitted',
    () => chaos.networkPartition({ stack, switchOn, switchOff, waitWindow, alertsResolved, onS: ON_S }),
  );

  run('redis-down')(
    'redis-down: Toxiproxy resets every Redis connection; cache reads fail with error.type, requests fall back to PostgreSQL and succeed; faultline incident names the cache reads',
    () => chaos.redisDown({ stack, switchOn, switchOff, waitWindow, alertsResolved, onS: ON_S }),
  );

  run('slow-link')(
    'slow-link: latency and bandwidth on the partner link; timeouts in error.type, retries, the partner breaker opens, then closes',
    () => chaos.slowLink({ stack, switchOn, switchOff, waitWindow, alertsResolved, onS: ON_S }),
  );

  run('memory-limit')(
    "memory-limit: a fast leak fills api-1's heap limit; V8 runs out of memory, the stack restarts api-1 (a new start time, a gap in its spans), faultline incident names the restart; then api-1 serves again",
    () => chaos.memoryLimit({ stack, switchOn, switchOff, waitWindow, alertsResolved, onS: ON_S }),
  );
  it('faultline report over the whole lab: the breaker opening and the deploy on one timeline, in order, at their switch times', async (t) => {
    const partner = switchedOn['partner-throttle'];
    const deploy = switchedOn['buggy-deploy'];
    if (partner === undefined || deploy === undefined) return t.skip('needs partner-throttle and buggy-deploy');
    const end = Math.floor(nowS());
    const from = Math.floor(Math.min(...Object.values(switchedOn))) - 60;
    const { report } = await buildReport({
      prometheus: stack.urls.prometheus!,
      jaeger: stack.urls.jaegerQuery,
      grafana: 'http://127.0.0.1:3000',
      windowS: end - from,
      end,
      edge: 'lb',
    });
    console.log(
      `# faultline report over the lab (${report.entries.length} entries, ${report.tookMs} ms):\n${report.entries.map((e) => `#   ${e.time.slice(11, 19)} [${e.kind}] ${e.title}`).join('\n')}`,
    );
    const at = (e: { time: string }) => Date.parse(e.time) / 1000;
    const opened = report.entries.find(
      (e) => e.kind === 'breaker-transition' && e.evidence['breaker'] === 'partner' && e.evidence['to'] === 'open',
    );
    const deployed = report.entries.find((e) => e.kind === 'deploy' && e.subject === 'shop@2.0.0');
    assert.ok(opened, 'the partner breaker opening is on the timeline');
    assert.ok(deployed, 'the deploy of shop 2.0.0 is on the timeline');
    // The report reads range series at its step (about 1/240 of baseline + window) after 5 s scrapes.
    const slack = 2 * Math.max(5, Math.ceil((2 * (end - from)) / 240)) + 10;
    assert.ok(
      at(opened) >= partner - slack && at(opened) <= partner + ON_S + slack,
      `breaker opened at ${opened.time}, switched on ${partner}`,
    );
    assert.ok(Math.abs(at(deployed) - deploy) <= slack, `deploy at ${deployed.time}, switched on ${deploy} (slack ${slack} s)`);
    assert.ok(report.entries.indexOf(opened) < report.entries.indexOf(deployed), 'entries in time order');
  });
});
