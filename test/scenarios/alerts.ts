/**
 * The lab's alert checks: for each scenario, the alert(s) it must raise in Alertmanager (its API,
 * `/api/v2/alerts`) while on, with the labels that name the right client, pool or instance; how long
 * that took from the switch (time to alert); and that they resolve once it is off. Watching starts at
 * the switch and runs while the scenario's own checks do, so it adds time only when an alert is slower
 * than the scenario's window.
 */
import assert from 'node:assert/strict';
import type { Stack } from '../../stack/src/index.ts';
import { sleep } from './lab.ts';

/** An alert a scenario must raise. */
export interface ExpectedAlert {
  /** Alert name, or several that each count (the first to arrive is timed). */
  alertname: string | string[];
  /** Labels the alert must carry (who, which pool, which instance). */
  labels: Record<string, string>;
  /** Goal for the time to alert, s (printed as met or missed; the firing itself is asserted). */
  goalS?: number;
}

/** What each scenario must raise (grafana/rules/faultline.rules.yml). */
export const EXPECTED_ALERTS: Record<string, ExpectedAlert[]> = {
  'client-flood': [{ alertname: 'ClientTrafficSurge', labels: { client_id: 'team-07' }, goalS: 30 }],
  'cache-eviction': [{ alertname: 'ClientCacheHitRatioDrop', labels: { client_id: 'team-03' } }],
  'partner-throttle': [{ alertname: 'CircuitBreakerOpen', labels: { circuit_breaker_name: 'partner' }, goalS: 30 }],
  'db-slow': [{ alertname: 'ClientLatencySurge', labels: {} }],
  'job-storm': [{ alertname: ['PoolSaturated', 'PoolAcquireWaitHigh'], labels: { service_name: 'api' } }],
  'pool-exhaustion': [
    { alertname: 'PoolSaturated', labels: { service_name: 'api', instance: 'api-1' }, goalS: 30 },
    { alertname: 'BackendEjected', labels: { service_name: 'api', instance: 'api-1' }, goalS: 30 },
  ],
  'buggy-deploy': [{ alertname: 'ClientSurgeAfterDeploy', labels: { client_id: 'team-05', service_name: 'shop' } }],
  'memory-leak': [{ alertname: 'HeapGrowing', labels: { service_name: 'api', instance: 'api-1' } }],
  // Not a demo scenario: the lab's test drives a client never seen before with a quarter of the traffic.
  'new-clients': [{ alertname: 'ClientTrafficSurge', labels: { client_id: 'new-heavy' } }],
  'network-partition': [{ alertname: 'BackendEjected', labels: { service_name: 'api', instance: 'api-1' }, goalS: 30 }],
  // The fallback to PostgreSQL costs each request up to the cache's timeouts: every client's p95 rises.
  'redis-down': [{ alertname: 'ClientLatencySurge', labels: {} }],
  'slow-link': [{ alertname: 'CircuitBreakerOpen', labels: { circuit_breaker_name: 'partner' }, goalS: 30 }],
};

/** One alert as Alertmanager's API v2 lists it. */
export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; inhibitedBy: string[] };
}

/** Every alert Alertmanager holds now (active, inhibited or silenced; resolved ones are gone). */
export async function amAlerts(stack: Stack): Promise<AmAlert[]> {
  const res = await fetch(`${stack.urls.alertmanager}/api/v2/alerts`, { signal: AbortSignal.timeout(5000) });
  assert.equal(res.status, 200, `Alertmanager ${stack.urls.alertmanager}/api/v2/alerts: HTTP ${res.status}`);
  return (await res.json()) as AmAlert[];
}

function matches(a: AmAlert, e: ExpectedAlert): boolean {
  const names = Array.isArray(e.alertname) ? e.alertname : [e.alertname];
  return names.includes(a.labels['alertname'] ?? '') && Object.entries(e.labels).every(([k, v]) => a.labels[k] === v);
}

const describeExpected = (e: ExpectedAlert) => `${[e.alertname].flat().join('|')}${JSON.stringify(e.labels)}`;
const brief = (alerts: AmAlert[]) =>
  alerts
    .map(
      (a) =>
        `${a.labels['alertname']}{${Object.entries(a.labels)
          .filter(([k]) => k !== 'alertname' && k !== 'severity')
          .map(([k, v]) => `${k}=${v}`)
          .join(',')}}${a.status.state === 'suppressed' ? ' (inhibited)' : ''}`,
    )
    .join(', ') || 'none';

/** A scenario's alert watch, started at the switch. */
export interface AlertWatch {
  /** Waits until every expected alert has arrived (or `deadline`, unix ms), then asserts they all did. */
  fired(): Promise<void>;
  /** After the switch off: waits (up to `timeoutMs`) until none of them is left in Alertmanager. */
  resolved(timeoutMs?: number): Promise<void>;
}

/**
 * Watches Alertmanager for `scenario`'s expected alerts from `onMs` (the switch, unix ms), polling every
 * second until each has arrived or `deadlineMs` (unix ms) passes. Prints each time to alert.
 */
export function watchAlerts(stack: Stack, scenario: string, onMs: number, deadlineMs: number): AlertWatch {
  const expected = EXPECTED_ALERTS[scenario] ?? [];
  const arrived = new Map<ExpectedAlert, { s: number; alert: AmAlert }>();
  let last: AmAlert[] = [];
  const polling = (async () => {
    while (arrived.size < expected.length && Date.now() < deadlineMs) {
      try {
        last = await amAlerts(stack);
      } catch (e) {
        console.log(`# ${scenario}: Alertmanager not answering: ${(e as Error).message}`);
      }
      for (const e of expected) {
        const hit = !arrived.has(e) && last.find((a) => matches(a, e));
        if (hit) arrived.set(e, { s: (Date.now() - onMs) / 1000, alert: hit });
      }
      if (arrived.size < expected.length) await sleep(1000);
    }
  })();
  return {
    async fired() {
      await polling;
      for (const e of expected) {
        const a = arrived.get(e);
        const goal = e.goalS === undefined ? '' : a && a.s <= e.goalS ? ` (goal ≤ ${e.goalS} s: met)` : ` (goal ≤ ${e.goalS} s: MISSED)`;
        console.log(
          `# ${scenario}: time to alert ${describeExpected(e)}: ${a ? `${a.s.toFixed(0)} s — ${a.alert.annotations['summary'] ?? ''}` : 'never'}${goal}`,
        );
      }
      console.log(`# ${scenario}: in Alertmanager now: ${brief(last)}`);
      for (const e of expected)
        assert.ok(arrived.has(e), `${scenario}: ${describeExpected(e)} did not reach Alertmanager while on (there: ${brief(last)})`);
    },
    async resolved(timeoutMs = 120_000) {
      const t0 = Date.now();
      for (;;) {
        const left = (await amAlerts(stack)).filter((a) => expected.some((e) => matches(a, e)));
        if (left.length === 0) break;
        if (Date.now() - t0 > timeoutMs)
          assert.fail(`${scenario}: still in Alertmanager ${timeoutMs / 1000} s after the recovery: ${brief(left)}`);
        await sleep(2000);
      }
      console.log(`# ${scenario}: its alerts resolved ${((Date.now() - t0) / 1000).toFixed(0)} s after the recovery check`);
    },
  };
}

/**
 * The quiet check: no alert fired in Prometheus from `fromS` to `toS` (unix s) and none is in
 * Alertmanager now. Prometheus' `ALERTS` series holds every alert's state at every evaluation.
 */
export async function assertQuiet(stack: Stack, fromS: number, toS: number): Promise<void> {
  const range = Math.max(10, Math.round(toS - fromS));
  const url = `${stack.urls.prometheus}/api/v1/query?${new URLSearchParams({ query: `max by (alertname, client_id, service_name, instance) (max_over_time(ALERTS{alertstate="firing"}[${range}s]))`, time: String(toS) })}`;
  const body = (await (await fetch(url)).json()) as { status: string; data: { result: { metric: Record<string, string> }[] } };
  assert.equal(body.status, 'success');
  const fired = body.data.result.map((r) => JSON.stringify(r.metric));
  const now = await amAlerts(stack);
  console.log(
    `# quiet: ${range} s of the normal load, alerts firing in Prometheus: ${fired.length ? fired.join(' ') : 'none'}; in Alertmanager: ${brief(now)}`,
  );
  assert.deepEqual(fired, [], 'no alert fires under the normal load');
  assert.deepEqual(
    now.map((a) => a.labels['alertname']),
    [],
    'Alertmanager holds no alert under the normal load',
  );
}
