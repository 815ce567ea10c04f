/**
 * The incident lab's chaos scenarios (faults on the network links, injected by Toxiproxy, and a
 * process starved of memory until it crashes and is restarted): each is
 * switched on under the lab's load, its cause must be visible in Prometheus and Jaeger and named by
 * `faultline incident`, the fleet must keep serving what is still reachable (no process dies because
 * of the preload, spans keep flowing), and after the switch off it must recover. lab.test.ts runs
 * them on its one stack, with its quiet periods between scenarios.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CLIENT, eq, FAILED, jaeger, L, LOG_FIELD, logs, M, re, selector, SERVER, type JaegerSpan } from '@faultline/signals';
import { lookback } from '@faultline/testkit';
import type { Stack } from '../../stack/src/index.ts';
import { byLabel, incident, METRICS_LAG_MS, nowS, scalar, sinceSwitch, sleep, summary, until } from './lab.ts';

/** What a chaos scenario needs from the lab. */
export interface Lab {
  stack: Stack;
  /** Waits out the quiet period, switches the scenario on, starts its alert watch; returns when (unix s). */
  switchOn(name: string): Promise<number>;
  /** Checks its alerts fired, switches it off, starts the quiet period. */
  switchOff(name: string): Promise<void>;
  /** Waits until the scenario's window (ON_S after `on`) plus the metrics lag is over. */
  waitWindow(on: number): Promise<void>;
  /** Its alerts are gone from Alertmanager. */
  alertsResolved(): Promise<void>;
  /** The scenario window, s. */
  onS: number;
}

const API = eq(L.service, 'api');
const EDGE = selector(M.calls, eq(L.service, 'lb'), SERVER);
const API_SERVER = selector(M.calls, API, SERVER);

/**
 * The preload's guarantee under a fault: every fleet process that was running still runs — none
 * crashed, and none was restarted by the stack's restart policy since `sinceS` (unix s), which would
 * hide a crash behind a new pid.
 */
function assertAlive(stack: Stack, names: string[], sinceS: number): void {
  for (const name of names) {
    const pid = stack.services[name]?.pid;
    assert.ok(pid, `${name} has a pid`);
    assert.doesNotThrow(() => process.kill(pid, 0), `${name} (pid ${pid}) is still running`);
    const restarts = stack.fleet?.services.find((s) => s.name === name)?.restarts ?? [];
    assert.deepEqual(
      restarts.filter((r) => r.at >= sinceS * 1000),
      [],
      `${name} crashed and was restarted`,
    );
  }
}

/** Traces of `service` kept in Jaeger over the last `seconds` whose spans carry `error.type` = one of `types`. */
async function tracesWithErrorType(stack: Stack, service: string, types: string[], seconds: number) {
  const found = await Promise.all(
    types.map((t) => jaeger.findTraces(stack.urls.jaegerQuery, { service, tags: { 'error.type': t } }, ...lookback(seconds), 5)),
  );
  return found.flat();
}

/**
 * network-partition: api-1's link to PostgreSQL carries no byte. Its pool cannot hand out connections
 * (acquire and query timeouts, named in error.type), its health checks fail, the lb ejects it and api-2
 * serves everyone; faultline incident names api-1. Off: api-1 is re-admitted and serves again.
 */
export async function networkPartition(lab: Lab): Promise<void> {
  const { stack } = lab;
  const perInstance = (t: number) => byLabel(stack, `sum by (${L.instance}) (rate(${API_SERVER}[30s]))`, L.instance, t);
  const dbErrors = (instance: string) =>
    scalar(stack, `sum(increase(${selector(M.calls, API, eq(L.instance, instance), FAILED, re(L.spanName, 'pg.*'))}[${lab.onS}s]))`);
  const edge = (t: number) => scalar(stack, `sum(rate(${EDGE}[30s]))`, t);
  const on = await lab.switchOn('network-partition');
  const [rateBefore, edgeBefore] = [await perInstance(on), await edge(on)];
  await lab.waitWindow(on);
  const [rateDuring, edgeDuring] = [await perInstance(nowS() - 10), await edge(nowS())];
  const [errors1, errors2] = [await dbErrors('api-1'), await dbErrors('api-2')];
  const timeouts = await tracesWithErrorType(
    stack,
    'api',
    ['pg.pool.acquire_timeout', 'pg.connect_timeout', 'pg.query_timeout'],
    lab.onS + 30,
  );
  const timedOut = timeouts.flatMap((t) => t.spans).filter((s) => String(s.tags['error.type'] ?? '').startsWith('pg.'));
  const ejected = await jaeger.findTraces(
    stack.urls.jaegerQuery,
    { service: 'lb', operation: 'health_check', tags: { 'lb.backend.transition': 'ejected' } },
    ...lookback(lab.onS + 30),
    5,
  );
  const report = await incident(stack, lab.onS, 'network-partition');
  assertAlive(stack, ['api-1', 'api-2', 'lb'], on);
  await lab.switchOff('network-partition');

  console.log(
    `# network-partition: failed pg spans api-1 ${errors1.toFixed(0)}, api-2 ${errors2.toFixed(0)}; ${timedOut.length} spans with a pg timeout in error.type (${[...new Set(timedOut.map((s) => `${s.operation}=${String(s.tags['error.type'])}`))].join(', ')}); ${ejected.length} ejections; api rate ${JSON.stringify(Object.fromEntries(rateBefore))} → ${JSON.stringify(Object.fromEntries(rateDuring))}; lb ${edgeBefore.toFixed(1)} → ${edgeDuring.toFixed(1)} req/s`,
  );
  assert.ok(errors1 >= 5 && errors2 <= 0.2 * errors1, "api-1's database calls failed, api-2's did not");
  assert.ok(timedOut.length > 0, 'the timeout that fired is in error.type on the pg spans');
  assert.ok(
    ejected.some((t) => t.spans.some((s) => s.tags['lb.backend'] === '127.0.0.1:8081')),
    'the lb ejected api-1',
  );
  assert.ok((rateDuring.get('api-2') ?? 0) >= 1.6 * (rateBefore.get('api-2') ?? Infinity), "api-2 took api-1's traffic");
  assert.ok(edgeDuring >= 0.8 * edgeBefore, 'requests kept flowing through the lb (spans for the reachable parts)');
  const named = report.findings.filter((f) => /api-1/.test(`${f.subject} ${f.title}`));
  assert.ok(report.findings[0] && named.includes(report.findings[0]), summary(report.findings));
  assert.ok(
    named.some((f) => f.kind === 'ejection'),
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
      return back.length > 0 && ((await perInstance(nowS())).get('api-1') ?? 0) >= 0.5 * (rateBefore.get('api-1') ?? 0);
    },
    90_000,
  );
  await lab.alertsResolved();
}

/**
 * redis-down: every connection from the api to Redis is reset. Cache reads fail (Redis spans with
 * status error and error.type), requests fall back to PostgreSQL (request spans with cache.fallback)
 * and still succeed; faultline incident names the failing cache reads. Off: the cache serves again.
 */
export async function redisDown(lab: Lab): Promise<void> {
  const { stack } = lab;
  const READS = re(L.spanName, 'get|hgetall');
  const failedReads = (range: string, t = nowS()) =>
    scalar(stack, `sum(increase(${selector(M.calls, API, CLIENT, FAILED, READS)}[${range}]))`, t);
  const queries = (t: number) => scalar(stack, `sum(rate(${selector(M.calls, API, re(L.spanName, 'pg.query.*'))}[45s]))`, t);
  const edgeErrors = (t: number) =>
    scalar(stack, `sum(rate(${selector(M.calls, eq(L.service, 'lb'), SERVER, FAILED)}[45s])) / sum(rate(${EDGE}[45s]))`, t);
  const on = await lab.switchOn('redis-down');
  const [queriesBefore, edgeErrorsBefore] = [await queries(on), await edgeErrors(on)];
  await lab.waitWindow(on);
  const t = nowS();
  const [failed, queriesDuring, edgeErrorsDuring] = [await failedReads(`${lab.onS}s`, t), await queries(t), await edgeErrors(t)];
  const fallback = await jaeger.findTraces(
    stack.urls.jaegerQuery,
    { service: 'api', tags: { 'cache.fallback': 'true' } },
    ...lookback(lab.onS + 30),
    10,
  );
  const redisSpans = fallback
    .flatMap((tr) => tr.spans)
    .filter(
      (s) => (s.operation === 'get' || s.operation === 'hgetall') && (s.tags['error'] === true || s.tags['otel.status_code'] === 'ERROR'),
    );
  const report = await incident(stack, lab.onS, 'redis-down');
  assertAlive(stack, ['api-1', 'api-2', 'lb', 'worker'], on);
  await lab.switchOff('redis-down');

  console.log(
    `# redis-down: ${failed.toFixed(0)} failed cache reads; api queries ${queriesBefore.toFixed(1)} → ${queriesDuring.toFixed(1)}/s; lb error ratio ${edgeErrorsBefore.toFixed(3)} → ${edgeErrorsDuring.toFixed(3)}; ${fallback.length} traces with cache.fallback, their failed Redis spans' error.type: ${[...new Set(redisSpans.map((s) => String(s.tags['error.type'])))].join(', ') || 'none'}`,
  );
  assert.ok(failed >= 50, 'cache reads failed');
  assert.ok(queriesDuring >= 1.3 * queriesBefore, 'the api fell back to PostgreSQL');
  assert.ok(edgeErrorsDuring < 0.02, 'requests still succeed (graceful degradation)');
  assert.ok(fallback.length > 0, 'request spans say cache.fallback=true');
  assert.ok(
    redisSpans.length > 0 && redisSpans.every((s) => typeof s.tags['error.type'] === 'string'),
    'the failed Redis spans carry error.type',
  );
  const top = report.findings[0];
  // The failing cache commands: the reads, or the writes after the fallback's query (ranked alike).
  assert.ok(top?.kind === 'dependency-errors' && /^api (get|hgetall|set|hset|expire)$/.test(top.subject), summary(report.findings));

  await until('cache reads succeed again', async () => (await failedReads('20s')) < 1, 60_000 + METRICS_LAG_MS);
  await lab.alertsResolved();
}

/**
 * slow-link: the api → partner link gets 2 s of latency and 2 KB/s. Partner calls time out
 * (UND_ERR_HEADERS_TIMEOUT in error.type), the api retries, the `partner` breaker opens and fails fast,
 * while the partner itself keeps serving; faultline incident names the breaker. Off: it closes.
 */
export async function slowLink(lab: Lab): Promise<void> {
  const { stack } = lab;
  const on = await lab.switchOn('slow-link');
  await lab.waitWindow(on);
  const resent = await scalar(stack, `sum(increase(${selector(M.calls, API, CLIENT, `${L.resendCount}!=""`)}[${lab.onS}s]))`);
  const events = await byLabel(
    stack,
    `sum by (${L.breakerEvent}) (increase(${M.breakerEvents}{${L.breakerName}="partner"}[${lab.onS}s]))`,
    L.breakerEvent,
  );
  const partnerServed = await scalar(stack, `sum(increase(${selector(M.calls, eq(L.service, 'partner'), SERVER)}[${lab.onS}s]))`);
  const timeouts = await tracesWithErrorType(stack, 'api', ['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'], lab.onS + 30);
  const report = await incident(stack, lab.onS, 'slow-link');
  assertAlive(stack, ['api-1', 'api-2', 'partner'], on);
  // Close events so far: while the link is slow every half-open trial fails, so the first close may
  // create its series (increase() cannot see a counter's first sample).
  const CLOSED = `sum(${M.breakerEvents}{${L.breakerName}="partner",${L.breakerEvent}="closed"})`;
  const closedAtOff = await scalar(stack, CLOSED);
  await lab.switchOff('slow-link');

  console.log(
    `# slow-link: ${resent.toFixed(0)} resent calls, breaker events ${JSON.stringify(Object.fromEntries(events))}, ${timeouts.length} timeout traces, partner served ${partnerServed.toFixed(0)} requests`,
  );
  assert.ok(resent > 0, 'retries with http.request.resend_count');
  assert.ok((events.get('open') ?? 0) >= 1, 'the breaker opened');
  assert.ok((events.get('reject') ?? 0) >= 1, 'calls failed fast while open');
  assert.ok(timeouts.length > 0, 'timed-out partner calls end with error.type set');
  assert.ok(partnerServed > 0, 'the partner kept serving (its spans flow)');
  // The cause (the breaker on the slow link) is named first, after at most the symptoms it causes: a
  // quote-heavy client's latency (each call waits out its timeouts until the breaker opens).
  const SYMPTOMS = ['client-latency', 'latency', 'client-errors'];
  const first = report.findings.findIndex((f) => !SYMPTOMS.includes(f.kind));
  assert.ok(first >= 0 && first <= 2, summary(report.findings));
  assert.equal(report.findings[first]!.kind, 'breaker', summary(report.findings));
  assert.match(report.findings[first]!.subject, /partner/);

  await until(
    'the partner breaker closed again',
    async () =>
      (await scalar(stack, `max(${M.breakerState}{${L.breakerName}="partner"})`)) === 0 && (await scalar(stack, CLOSED)) > closedAtOff,
    60_000 + METRICS_LAG_MS,
  );
  await lab.alertsResolved();
}

/** Seconds since the epoch of an ISO `process.creation.time` process tag; NaN without one. */
const createdS = (s: JaegerSpan): number => Date.parse(String(s.processTags['process.creation.time'] ?? '')) / 1000;

/** api-1's spans (by their process tags) in the api traces Jaeger kept between `from` and `to` (unix s). */
async function api1Spans(stack: Stack, from: number, to: number): Promise<JaegerSpan[]> {
  const traces = await jaeger.findTraces(stack.urls.jaegerQuery, { service: 'api' }, from, to, 500);
  return traces.flatMap((t) => t.spans).filter((s) => s.service === 'api' && s.processTags['service.instance.id'] === 'api-1');
}

/**
 * memory-limit: api-1 runs under a heap limit (compose NODE_OPTIONS --max-old-space-size) and the fast
 * leak fills it: V8 aborts with "JavaScript heap out of memory" (the leak's crash, not the preload's), the
 * stack restarts api-1 (restart: on-failure), Prometheus has a new start time for it, Jaeger has a gap
 * in its spans between the old process and the new one, and faultline incident names the restart. Off:
 * api-1 (the new process, whose leak is off) serves its share again.
 */
export async function memoryLimit(lab: Lab): Promise<void> {
  const { stack } = lab;
  const api1 = stack.fleet?.services.find((s) => s.name === 'api-1');
  assert.ok(api1, 'the lab runs api-1');
  const START = `max(${selector(M.processStart, API, eq(L.instance, 'api-1'))})`;
  const perInstance = (t: number) => byLabel(stack, `sum by (${L.instance}) (rate(${API_SERVER}[30s]))`, L.instance, t);
  const [restartsBefore, pidBefore] = [api1.restarts.length, api1.process.pid];
  const on = await lab.switchOn('memory-limit');
  const [rateBefore, startBefore] = [await perInstance(on), await scalar(stack, START)];
  assert.ok(startBefore > 0, "api-1's start time is in Prometheus");
  const crashedIn = await until(
    'api-1 ran out of heap and the stack restarted it',
    async () => api1.restarts.length > restartsBefore,
    150_000,
  );
  const restart = api1.restarts.at(-1)!;
  const crashS = restart.at / 1000;
  await until(
    'a new start time of api-1 in Prometheus',
    async () => (await scalar(stack, START)) > startBefore + 1,
    30_000 + METRICS_LAG_MS,
  );
  const startAfter = await scalar(stack, START);
  // The old process's last kept spans, and the new process's first ones (its first minutes are all kept).
  let gap = { lastOld: NaN, firstNew: NaN };
  await until(
    "spans of api-1's new process in Jaeger",
    async () => {
      const before = (await api1Spans(stack, crashS - 15, crashS + 2)).filter((s) => createdS(s) < on);
      const after = (await api1Spans(stack, crashS, crashS + 12)).filter((s) => createdS(s) > crashS - 1);
      gap = { lastOld: Math.max(...before.map((s) => s.start / 1e6)), firstNew: Math.min(...after.map((s) => s.start / 1e6)) };
      return before.length > 0 && after.length > 0;
    },
    30_000,
  );
  await sleep(METRICS_LAG_MS);
  const since = sinceSwitch(on, 5);
  const report = await incident(stack, since, 'memory-limit');
  const nearLimit = await logs.query(
    stack.urls.logs,
    `${logs.fieldEq(LOG_FIELD.service, 'api')} ${logs.fieldEq(LOG_FIELD.instance, 'api-1')} "heap near its limit"`,
    { start: on, limit: 5 },
  );
  const log = readFileSync(api1.process.logFile, 'utf8');
  // Only api-1 went down, and its new process runs.
  assertAlive(stack, ['api-2', 'lb'], on);
  assert.doesNotThrow(() => process.kill(api1.process.pid, 0), `api-1's new process (pid ${api1.process.pid}) runs`);
  await lab.switchOff('memory-limit');

  console.log(
    `# memory-limit: api-1 (pid ${pidBefore}) exited ${(crashS - on).toFixed(0)} s after the switch (seen in ${(crashedIn / 1000).toFixed(0)} s) (${restart.exit.signal ?? `code ${restart.exit.code}`}), restarted as pid ${restart.newPid}; start time ${startBefore.toFixed(0)} → ${startAfter.toFixed(0)}; spans: last of the old process ${(gap.lastOld - on).toFixed(1)} s after the switch, first of the new one ${(gap.firstNew - on).toFixed(1)} s (a gap of ${(gap.firstNew - gap.lastOld).toFixed(1)} s); ${nearLimit.length} "heap near its limit" log lines in VictoriaLogs`,
  );
  assert.equal(api1.restarts.length, restartsBefore + 1, 'one crash, one restart (no crash loop)');
  assert.equal(restart.pid, pidBefore);
  assert.equal(restart.exit.signal, 'SIGABRT', `exit ${JSON.stringify(restart.exit)}`);
  assert.match(log, /JavaScript heap out of memory/, "V8's out-of-memory crash (the leak's), in api-1's log");
  assert.match(log, /api-1 \(pid \d+\) exited with signal SIGABRT; restarting/, "the stack's exit line in api-1's log");
  assert.ok(startAfter >= crashS - 1, 'the new start time is the restart');
  assert.ok(gap.firstNew - gap.lastOld >= 1, `a gap in api-1's spans: ${JSON.stringify(gap)}`);
  assert.ok(gap.lastOld <= crashS + 1 && gap.firstNew >= crashS, `the gap spans the crash at ${crashS}: ${JSON.stringify(gap)}`);
  const restarted = report.findings.find((f) => f.kind === 'restart' && f.subject === 'api/api-1');
  assert.ok(restarted, summary(report.findings));

  await until(
    'api-1 serving its share again',
    async () => ((await perInstance(nowS())).get('api-1') ?? 0) >= 0.5 * (rateBefore.get('api-1') ?? 0),
    60_000 + METRICS_LAG_MS,
  );
  await lab.alertsResolved();
}
