/**
 * Connection pools that ran out (pure): every connection in use, requests waiting, connect timeouts,
 * or a p99 wait of 100 ms or more; when, the p99 wait, and which clients waited for connections.
 */
import { bucket, CONNECTION_STATE, counterAnySuffix, eq, L, M, selector } from '@faultline/signals';
import { clock, windowStart } from '../window.ts';
import { defineCheck, type CheckData, type QueryContext } from './check.ts';
import { score, type Draft } from './draft.ts';
import { by, CALLS, DURATION, labelSelector, windowRange } from './promql.ts';
import { byKey, finite, key, ms, pct, runs } from './stats.ts';

/** Labels that name one connection pool. */
const KEY = [L.service, L.instance, L.poolName];
const POOL_KEY = by(...KEY);
/** The span of a wait for a pool connection (faultline's preload makes one for an acquire that waited 1 ms or more or failed; the name is `@opentelemetry/instrumentation-pg`'s). */
export const POOL_CONNECT_SPAN = 'pg-pool.connect';
const USED = selector(M.poolConnections, eq(L.connectionState, CONNECTION_STATE.used));

const KINDS = { pool: 'a connection pool ran out (every connection used, requests waiting, timeouts)' } as const;
const W = (c: QueryContext) => windowRange(c.window);
const INSTANT = {
  poolPending: (c: QueryContext) => `max by (${POOL_KEY}) (max_over_time(${M.poolPending}[${W(c)}]))`,
  poolUsed: (c: QueryContext) => `max by (${POOL_KEY}) (max_over_time(${USED}[${W(c)}]))`,
  poolMax: (c: QueryContext) => `max by (${POOL_KEY}) (max_over_time(${M.poolMax}[${W(c)}]))`,
  poolWaitP99: (c: QueryContext) => `histogram_quantile(0.99, sum by (${L.le}, ${POOL_KEY}) (rate(${bucket(M.poolWait)}[${W(c)}])))`,
  poolTimeouts: (c: QueryContext) => `sum by (${POOL_KEY}) (increase(${counterAnySuffix(M.poolTimeouts)}[${W(c)}]))`,
  poolConnectsByClient: (c: QueryContext) =>
    `sum by (${L.service}, ${L.clientId}) (increase(${selector(CALLS, eq(L.spanName, POOL_CONNECT_SPAN))}[${W(c)}]))`,
};
const RANGE = {
  poolPending: () => `max by (${POOL_KEY}) (${M.poolPending})`,
  poolUsed: () => `max by (${POOL_KEY}) (${USED})`,
};

/** What the pool check reads. */
export type PoolData = CheckData<keyof typeof INSTANT, keyof typeof RANGE>;
/** A p99 connection wait of this many seconds is a finding even without a gauge at the limit. */
export const SLOW_WAIT_S = 0.1;

function topClients(o: PoolData, service: string): string {
  const rows = o.instant.poolConnectsByClient.filter((s) => s.labels[L.service] === service && s.value > 0);
  const total = rows.reduce((a, s) => a + s.value, 0);
  if (total <= 0) return '';
  return rows
    .sort((a, b) => b.value - a.value)
    .slice(0, 3)
    .map((s) => `${s.labels[L.clientId]} ${pct(s.value / total)}`)
    .join(', ');
}

/** Pool findings, unranked. */
export function poolFindings(o: PoolData): Draft<'pool'>[] {
  const i = o.instant;
  const pending = byKey(i.poolPending, KEY);
  const used = byKey(i.poolUsed, KEY);
  const max = byKey(i.poolMax, KEY);
  const wait = byKey(i.poolWaitP99, KEY);
  const timeouts = byKey(i.poolTimeouts, KEY);
  const out: Draft<'pool'>[] = [];
  for (const k of new Set([...pending.keys(), ...used.keys(), ...timeouts.keys(), ...wait.keys()])) {
    const labels = (pending.get(k) ?? used.get(k) ?? timeouts.get(k) ?? wait.get(k))!.labels;
    const maxPending = pending.get(k)?.value ?? 0;
    const maxUsed = used.get(k)?.value ?? 0;
    const limit = max.get(k)?.value;
    const p99 = finite(wait.get(k)?.value);
    const nTimeouts = Math.round(timeouts.get(k)?.value ?? 0);
    const full = limit !== undefined && limit > 0 && maxUsed >= limit;
    const slow = p99 !== undefined && p99 >= SLOW_WAIT_S;
    if (!(maxPending > 0 || full || nTimeouts > 0 || slow)) continue;
    const service = labels[L.service] ?? '?';
    const instance = labels[L.instance] ?? '?';
    const pool = labels[L.poolName] ?? '?';
    const test = (series: { labels: Record<string, string> }) => key(series.labels, KEY) === k;
    const from = windowStart(o.window);
    const hot = [
      ...runs(o.range.poolPending.find(test) ?? { labels: {}, points: [] }, from, o.step, (v) => v > 0),
      ...(limit ? runs(o.range.poolUsed.find(test) ?? { labels: {}, points: [] }, from, o.step, (v) => v >= limit) : []),
    ];
    const since = hot.length ? Math.min(...hot.map((r) => r.start)) : undefined;
    const until = hot.length ? Math.max(...hot.map((r) => r.end)) : undefined;
    const parts = [
      `${Math.round(maxUsed)}/${limit ?? '?'} used`,
      maxPending > 0 ? `up to ${Math.round(maxPending)} waiting` : '',
      p99 !== undefined ? `p99 wait ${ms(p99 * 1000)}` : '',
      nTimeouts > 0 ? `${nTimeouts} timeouts` : '',
    ].filter(Boolean);
    const who = topClients(o, service);
    const details = [
      since !== undefined
        ? `at the limit ${clock(since)}–${clock(until!)} (gauges every 5 s)`
        : 'no 5 s gauge sample caught it at the limit; the wait histogram did',
      ...(who ? [`waiting for connections: ${who}`] : []),
    ];
    out.push({
      kind: 'pool',
      subject: `${service}/${instance} ${pool}`,
      title: `pool ${pool} on ${instance}: ${parts.join(', ')}`,
      details,
      score: score(40 + (full ? 15 : 0) + (maxPending > 0 ? 10 : 0) + Math.min(15, 15 * (p99 ?? 0)) + (nTimeouts > 0 ? 10 : 0)),
      since,
      until,
      evidence: {
        service,
        instance,
        pool,
        max: limit ?? null,
        maxUsed: Math.round(maxUsed),
        maxPending: Math.round(maxPending),
        p99WaitMs: p99 !== undefined ? Math.round(p99 * 1000) : null,
        timeouts: nTimeouts,
      },
      related: [],
      query: `max by (${L.instance}) (${labelSelector(M.poolPending, { [L.service]: service, [L.poolName]: pool })})`,
      examples: {
        exemplars: labelSelector(DURATION, { [L.service]: service, [L.instance]: instance, [L.spanName]: POOL_CONNECT_SPAN }),
        prefer: 'slowest',
        // On this instance only (its process tag): its waits, and (in incident.ts) its log lines.
        jaeger: {
          service,
          operation: POOL_CONNECT_SPAN,
          ...(instance !== '?' ? { tags: { 'service.instance.id': instance } } : {}),
          minDuration: `${Math.max(5, Math.round(((p99 ?? 0.02) * 1000) / 2))}ms`,
        },
      },
    });
  }
  return out;
}

/** The pools check: connection pools at their limit, waits, timeouts, and who waited for connections. */
export const pools = defineCheck({
  name: 'pools',
  kinds: KINDS,
  instant: INSTANT,
  range: RANGE,
  describe: () => 'connection pools: used vs max, waiting requests, timeouts, p99 wait',
  hasData: (o) => o.instant.poolMax.length + o.instant.poolPending.length > 0,
  rank: poolFindings,
});
