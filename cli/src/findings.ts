/**
 * The questions `faultline incident` asks Prometheus, each turned into ranked findings. A window of
 * `windowS` seconds ending now is compared with the window of the same length before it.
 * Metric names are those the Collector's span metrics and the preload produce (see collector/README.md
 * and instrumentation/README.md).
 */
import { instant, type Sample } from './prometheus.ts';

/** One finding, most important first when sorted by `score`. */
export interface Finding {
  /** `client`, `client-errors`, `pool`, `breaker`, `health`. */
  kind: string;
  /** One line a person reads first, e.g. "team-17: 6.1× requests (612 vs 100 in 30s)". */
  title: string;
  /** What was measured (numbers as plain values). */
  evidence: Record<string, number | string>;
  /** Ranking weight (higher first). */
  score: number;
  /** Where to find example traces: Jaeger service + tags (+ operation/minDuration). */
  traces: { service: string; tags: Record<string, string>; operation?: string; minDuration?: string };
  /** Example trace IDs (filled later). */
  traceIds: string[];
}

const CALLS = 'traces_span_metrics_calls_total';

function byLabel(samples: Sample[], label: string): Map<string, number> {
  return new Map(samples.map((s) => [s.labels[label] ?? '', s.value]));
}

/**
 * Clients whose request count at the edge changed most against the baseline window.
 * @param edge - service whose server spans count requests (the load balancer).
 */
export async function clientFindings(prom: string, edge: string, windowS: number, now: number): Promise<Finding[]> {
  const sel = `${CALLS}{service_name="${edge}",span_kind="SPAN_KIND_SERVER",client_id!="unknown"}`;
  const q = (extra: string, offset: string) => `sum by (client_id) (increase(${sel.replace('}', extra + '}')}[${windowS}s]${offset}))`;
  const [cur, base, errCur, errBase] = await Promise.all([
    instant(prom, q('', ''), now),
    instant(prom, q('', ` offset ${windowS}s`), now),
    instant(prom, q(',status_code="STATUS_CODE_ERROR"', ''), now),
    instant(prom, q(',status_code="STATUS_CODE_ERROR"', ` offset ${windowS}s`), now),
  ]);
  const baseBy = byLabel(base, 'client_id');
  const errBy = byLabel(errCur, 'client_id');
  const errBaseBy = byLabel(errBase, 'client_id');
  const totalNow = cur.reduce((n, s) => n + s.value, 0);
  const totalBase = [...baseBy.values()].reduce((n, v) => n + v, 0);
  const out: Finding[] = [];
  for (const s of cur) {
    const client = s.labels['client_id'] ?? '?';
    const now_ = s.value;
    const before = baseBy.get(client) ?? 0;
    const factor = now_ / Math.max(before, 1);
    const shareNow = totalNow > 0 ? now_ / totalNow : 0;
    const shareBefore = totalBase > 0 ? before / totalBase : 0;
    // A change counts when it is large (≥ 2×) and unlikely to be chance: requests are roughly
    // Poisson, so the difference must exceed 3 standard deviations (z = Δ / √(now + before)).
    const z = (now_ - before) / Math.sqrt(now_ + before + 1);
    if (now_ >= 20 && factor >= 2 && z >= 3) {
      out.push({
        kind: 'client',
        title: `${client}: ${factor.toFixed(1)}× requests (${Math.round(now_)} vs ${Math.round(before)} in ${windowS}s; ${(100 * shareNow).toFixed(0)}% of all traffic, was ${(100 * shareBefore).toFixed(0)}%)`,
        evidence: { client, requests: Math.round(now_), baseline: Math.round(before), factor: +factor.toFixed(2), z: +z.toFixed(1), share: +shareNow.toFixed(3), baselineShare: +shareBefore.toFixed(3) },
        score: factor * Math.log10(10 + now_),
        traces: { service: edge, tags: { 'client.id': client } },
        traceIds: [],
      });
    }
    const errNow = errBy.get(client) ?? 0;
    const errRate = now_ > 0 ? errNow / now_ : 0;
    const errRateBefore = before > 0 ? (errBaseBy.get(client) ?? 0) / before : 0;
    if (errNow >= 5 && errRate >= 0.05 && errRate >= 2 * errRateBefore) {
      out.push({
        kind: 'client-errors',
        title: `${client}: ${(100 * errRate).toFixed(0)}% errors (was ${(100 * errRateBefore).toFixed(0)}%)`,
        evidence: { client, errors: Math.round(errNow), errorRate: +errRate.toFixed(3), baselineErrorRate: +errRateBefore.toFixed(3) },
        score: 5 * errRate * Math.log10(10 + errNow),
        traces: { service: edge, tags: { 'client.id': client, error: 'true' } },
        traceIds: [],
      });
    }
  }
  return out;
}

/** Pools that had requests waiting or every connection in use, with the p99 wait. */
export async function poolFindings(prom: string, windowS: number, now: number): Promise<Finding[]> {
  const key = 'service_name, instance, db_client_connection_pool_name';
  const [pending, used, max, wait] = await Promise.all([
    instant(prom, `max by (${key}) (max_over_time(db_client_connection_pending_requests[${windowS}s]))`, now),
    instant(prom, `max by (${key}) (max_over_time(db_client_connection_count{db_client_connection_state="used"}[${windowS}s]))`, now),
    instant(prom, `max by (${key}) (db_client_connection_max)`, now),
    instant(prom, `histogram_quantile(0.99, sum by (le, ${key}) (rate(db_client_connection_wait_time_seconds_bucket[${windowS}s])))`, now),
  ]);
  const id = (s: Sample) => `${s.labels['service_name']}/${s.labels['instance']}/${s.labels['db_client_connection_pool_name']}`;
  const usedBy = new Map(used.map((s) => [id(s), s.value]));
  const maxBy = new Map(max.map((s) => [id(s), s.value]));
  const waitBy = new Map(wait.map((s) => [id(s), s.value]));
  const out: Finding[] = [];
  for (const s of pending) {
    const k = id(s);
    const u = usedBy.get(k) ?? 0;
    const m = maxBy.get(k) ?? NaN;
    const w = waitBy.get(k);
    if (s.value <= 0 && !(u >= m)) continue;
    const waitMs = w !== undefined && Number.isFinite(w) ? Math.round(w * 1000) : undefined;
    out.push({
      kind: 'pool',
      title: `pool ${s.labels['db_client_connection_pool_name']} on ${s.labels['instance']}: ${u}/${m} used, up to ${s.value} waiting${waitMs !== undefined ? `, p99 wait ${waitMs} ms` : ''}`,
      evidence: { service: s.labels['service_name'] ?? '', instance: s.labels['instance'] ?? '', pool: s.labels['db_client_connection_pool_name'] ?? '', maxUsed: u, max: m, maxPending: s.value, p99WaitMs: waitMs ?? 'n/a' },
      score: 10 + s.value + (u >= m ? 10 : 0),
      traces: { service: s.labels['service_name'] ?? 'api', tags: {}, operation: 'pg-pool.connect', minDuration: `${Math.max(10, Math.round((waitMs ?? 50) / 2))}ms` },
      traceIds: [],
    });
  }
  return out;
}

/** Circuit breakers that were open or half-open in the window. */
export async function breakerFindings(prom: string, windowS: number, now: number): Promise<Finding[]> {
  const states = await instant(prom, `max by (service_name, instance, circuit_breaker_name) (max_over_time(circuit_breaker_state[${windowS}s]))`, now);
  return states
    .filter((s) => s.value >= 1)
    .map((s) => ({
      kind: 'breaker',
      title: `circuit breaker ${s.labels['circuit_breaker_name']} on ${s.labels['instance']} was ${s.value >= 2 ? 'open' : 'half-open'}`,
      evidence: { breaker: s.labels['circuit_breaker_name'] ?? '', instance: s.labels['instance'] ?? '', maxState: s.value },
      score: 8 + s.value,
      traces: { service: s.labels['service_name'] ?? 'api', tags: { 'circuit_breaker.name': s.labels['circuit_breaker_name'] ?? '' } },
      traceIds: [],
    }));
}

/** Failed health checks per service (what makes a load balancer eject a replica). */
export async function healthFindings(prom: string, windowS: number, now: number): Promise<Finding[]> {
  const failed = await instant(prom, `sum by (service_name) (increase(${CALLS}{span_kind="SPAN_KIND_SERVER",http_route=~"/healthz?|/ready",status_code="STATUS_CODE_ERROR"}[${windowS}s])) > 0`, now);
  const failed5xx = await instant(prom, `sum by (service_name) (increase(${CALLS}{span_kind="SPAN_KIND_SERVER",http_route=~"/healthz?|/ready",http_response_status_code=~"5.."}[${windowS}s])) > 0`, now);
  const all = new Map([...failed, ...failed5xx].map((s) => [s.labels['service_name'] ?? '?', s.value]));
  return [...all].map(([service, n]) => ({
    kind: 'health',
    title: `${Math.round(n)} failed health checks on ${service} (a load balancer ejects replicas on these)`,
    evidence: { service, failedChecks: Math.round(n) },
    score: 6 + Math.log10(1 + n),
    traces: { service, tags: { 'http.route': '/healthz', 'error': 'true' } },
    traceIds: [],
  }));
}
