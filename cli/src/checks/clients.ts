/**
 * Clients whose request rate, error rate or latency at the edge changed most against the baseline
 * (pure: reads what the check asked, returns drafts).
 */
import { CLIENT_UNKNOWN, FAILED, L, SPAN_KIND, STATUS, type Series } from '@faultline/signals';
import { baselineStart, clock, formatDuration, windowStart, type Window } from '../window.ts';
import { defineCheck, type CheckData, type QueryContext } from './check.ts';
import { score, type Draft } from './draft.ts';
import { CLIENT_RATES, P95_ALL, REQUESTS } from './edge-traffic.ts';
import { baselineRange, CALLS, DURATION, edgeSelector, labelSelector, windowRange } from './promql.ts';
import { byLabel, count, finite, ms, pct, poissonZ, proportionZ, runs } from './stats.ts';

const KINDS = {
  'client-requests': "a client's request rate changed (rose or fell) against the baseline",
  'client-errors': "a client's error rate rose",
  'client-latency': "a client's p95 latency rose more than everyone else's",
} as const;
type Kind = keyof typeof KINDS;

const errors = (r: string) => (c: QueryContext) => `sum by (${L.clientId}) (increase(${edgeSelector(CALLS, c.edge, FAILED)}[${r}))`;
const p95 = (r: string) => (c: QueryContext) => `histogram_quantile(0.95, sum by (${L.clientId}, ${L.le}) (rate(${edgeSelector(DURATION, c.edge)}[${r})))`;

/** The instant queries of this check. */
const INSTANT = {
  ...REQUESTS,
  errors: (c: QueryContext) => errors(`${windowRange(c.window)}]`)(c),
  errorsBase: (c: QueryContext) => errors(baselineRange(c.window))(c),
  p95: (c: QueryContext) => p95(`${windowRange(c.window)}]`)(c),
  p95Base: (c: QueryContext) => p95(baselineRange(c.window))(c),
  ...P95_ALL,
};

/** What the client check reads. */
export type ClientData = CheckData<keyof typeof INSTANT, keyof typeof CLIENT_RATES>;
/** What the baseline helpers read: the edge's per-client rate series. */
type EdgeData = { window: Window; range: { clientRate: Series[] } };

/** Thresholds: a change must be this large and this unlikely to be chance. */
export const CLIENT_RULES = {
  /** Requests in the window before a rise counts. */
  minRequests: 20,
  /** Rise (or fall, inverted) factor of the request rate. */
  minFactor: 2,
  /** Poisson z score of the change. */
  minZ: 3,
  /** Errors in the window, error rate, and rise against the baseline's rate. */
  minErrors: 5,
  minErrorRate: 0.05,
  /** Latency: requests in the window and baseline, p95 factor, p95 rise in ms, and how much more than everyone's. */
  minLatencyRequests: 30,
  minLatencyFactor: 2,
  minLatencyDeltaMs: 50,
  overFleetFactor: 1.5,
  /** When everyone's p95 rose this much (a fleet-wide slowdown), a client must stand out by {@link CLIENT_RULES.overBroadFactor}. */
  broadFactor: 2,
  overBroadFactor: 3,
  /**
   * When this share of the clients (and at least 3) got slower, the slowdown is shared — the clients
   * who happen to call the slow path most are not its cause — and no client gets a latency finding.
   */
  sharedLatencyShare: 0.25,
  /** A client's error rate must be this many times everyone else's in the window (not a fleet-wide failure). */
  overOthersErrorFactor: 2,
} as const;

/** How a client is named in titles: `unknown` is what the preload records when no client ID came. */
function who(client: string): string {
  return client === CLIENT_UNKNOWN ? 'requests without a client ID' : client;
}

function edgeLabels(o: ClientData, client: string, extra: Record<string, string> = {}) {
  return { [L.service]: o.edge, [L.spanKind]: SPAN_KIND.server, [L.clientId]: client, ...extra };
}

/**
 * When the client's rate (requests, or errors) crossed half-way from its baseline level to its
 * current level and stayed there to the end of the window, if it did.
 */
function onset(o: ClientData, client: string, baseRate: number, curRate: number, which: 'clientRate' | 'clientErrorRate' = 'clientRate'): number | undefined {
  const series = o.range[which].find((s) => (s.labels[L.clientId] ?? '') === client);
  if (!series) return undefined;
  const threshold = (baseRate + curRate) / 2;
  const rising = curRate > baseRate;
  const r = runs(series, baselineStart(o.window), o.step, (v) => (rising ? v >= threshold : v <= threshold));
  const last = r.at(-1);
  return last && last.end >= o.window.end - 3 * o.step ? last.start : undefined;
}

/**
 * Seconds of the baseline that have data at the edge: all of it, unless the data starts later
 * (a fresh stack, a new edge). The first point of a `rate()` series comes one scrape (5 s) after
 * the first sample.
 */
export function baselineCoverage(o: EdgeData): number {
  const first = edgeDataStart(o);
  if (first === undefined) return 0;
  return Math.max(0, Math.min(o.window.baselineSeconds, windowStart(o.window) - first));
}

/** When the edge's request data starts in the range (unix seconds), if it has any. */
export function edgeDataStart(o: EdgeData): number | undefined {
  const first = Math.min(...o.range.clientRate.map((s) => s.points[0]?.[0] ?? Infinity));
  return Number.isFinite(first) ? first - 5 : undefined;
}

/** Less baseline than this (s, and share of the asked baseline) is no baseline: clients are not compared. */
export const MIN_BASELINE = { seconds: 30, share: 0.25 } as const;

function requestFinding(o: ClientData, client: string, n: number, b: number, shareNow: number, shareBefore: number, baselineS: number): Draft<Kind> | undefined {
  const w = o.window;
  const ratio = w.seconds / baselineS;
  const expected = b * ratio;
  const z = poissonZ(n, b, ratio);
  const factor = expected > 0 ? n / expected : Infinity;
  const rising = n >= CLIENT_RULES.minRequests && factor >= CLIENT_RULES.minFactor && z >= CLIENT_RULES.minZ;
  const falling = expected >= CLIENT_RULES.minRequests && factor <= 1 / CLIENT_RULES.minFactor && z <= -CLIENT_RULES.minZ;
  if (!rising && !falling) return undefined;
  const W = formatDuration(w.seconds);
  const scaled = baselineS === w.seconds ? '' : ` (baseline ${formatDuration(baselineS)}, scaled)`;
  const title = !rising
    ? `${who(client)}: requests fell to ${factor.toFixed(1)}× (${count(n)} vs ${count(expected)} in ${W}${scaled})`
    : Number.isFinite(factor)
      ? `${who(client)}: ${factor.toFixed(1)}× requests (${count(n)} vs ${count(expected)} in ${W}${scaled}; ${pct(shareNow)} of traffic, was ${pct(shareBefore)})`
      : `${who(client)}: new client, ${count(n)} requests in ${W} (${pct(shareNow)} of traffic; none before)`;
  const since = onset(o, client, b / baselineS, n / w.seconds);
  const cappedFactor = Number.isFinite(factor) ? factor : 64;
  return {
    kind: 'client-requests',
    subject: client,
    title,
    details: [],
    score: score(rising ? 50 + 10 * Math.log2(Math.min(cappedFactor, 64)) + 15 * shareNow : 30 + 10 * Math.log2(Math.min(1 / Math.max(factor, 1e-3), 4))),
    since,
    evidence: {
      client,
      requests: Math.round(n),
      baselineRequests: Math.round(expected),
      factor: Number.isFinite(factor) ? +factor.toFixed(2) : null,
      ratePerS: +(n / w.seconds).toFixed(3),
      baselineRatePerS: +(b / baselineS).toFixed(3),
      share: +shareNow.toFixed(3),
      baselineShare: +shareBefore.toFixed(3),
      z: +z.toFixed(1),
    },
    related: [],
    query: `sum by (${L.clientId}) (rate(${labelSelector(CALLS, edgeLabels(o, client))}[1m]))`,
    examples: { exemplars: labelSelector(DURATION, edgeLabels(o, client)), prefer: 'newest', jaeger: { service: o.edge, tags: { 'client.id': client } } },
  };
}

function errorFinding(o: ClientData, client: string, n: number, b: number, en: number, eb: number, baselineS: number, othersRate: number): Draft<Kind> | undefined {
  const rate = n > 0 ? en / n : 0;
  const rateBefore = b > 0 ? eb / b : 0;
  const z = b > 0 ? proportionZ(en, n, eb, b) : Infinity;
  if (en < CLIENT_RULES.minErrors || rate < CLIENT_RULES.minErrorRate || rate < 2 * rateBefore || z < CLIENT_RULES.minZ) return undefined;
  // Everyone failing alike is a fleet-wide failure (a dependency), not this client's doing.
  if (rate < CLIENT_RULES.overOthersErrorFactor * othersRate) return undefined;
  const errorLabels = edgeLabels(o, client, { [L.statusCode]: STATUS.error });
  const w = o.window;
  return {
    kind: 'client-errors',
    subject: client,
    title: `${who(client)}: ${pct(rate)} errors (${count(en)} of ${count(n)} in ${formatDuration(o.window.seconds)}; was ${pct(rateBefore)})`,
    details: [],
    score: score(50 + 30 * rate + 5 * Math.log2(Math.min(16, rate / Math.max(rateBefore, 0.01)))),
    since: onset(o, client, eb / baselineS, en / w.seconds, 'clientErrorRate'),
    evidence: { client, errors: Math.round(en), requests: Math.round(n), errorRate: +rate.toFixed(3), baselineErrorRate: +rateBefore.toFixed(3) },
    related: [],
    query: `sum by (${L.clientId}) (rate(${labelSelector(CALLS, errorLabels)}[1m])) / sum by (${L.clientId}) (rate(${labelSelector(CALLS, edgeLabels(o, client))}[1m]))`,
    examples: { exemplars: labelSelector(DURATION, errorLabels), prefer: 'newest', jaeger: { service: o.edge, tags: { 'client.id': client, error: 'true' } } },
  };
}

function latencyFinding(o: ClientData, client: string, n: number, expected: number, p95: number, p95Before: number, fleetFactor: number): Draft<Kind> | undefined {
  const f = p95 / p95Before;
  if (n < CLIENT_RULES.minLatencyRequests || expected < CLIENT_RULES.minLatencyRequests / 3) return undefined;
  const over = fleetFactor >= CLIENT_RULES.broadFactor ? CLIENT_RULES.overBroadFactor : CLIENT_RULES.overFleetFactor;
  if (f < CLIENT_RULES.minLatencyFactor || p95 - p95Before < CLIENT_RULES.minLatencyDeltaMs || f < over * fleetFactor) return undefined;
  return {
    kind: 'client-latency',
    subject: client,
    title: `${who(client)}: p95 latency ${f.toFixed(1)}× (${ms(p95)} vs ${ms(p95Before)}; everyone ${fleetFactor.toFixed(1)}×)`,
    details: [],
    score: score(40 + 10 * Math.log2(Math.min(f, 32))),
    evidence: { client, p95Ms: Math.round(p95), baselineP95Ms: Math.round(p95Before), factor: +f.toFixed(2), fleetFactor: +fleetFactor.toFixed(2), requests: Math.round(n) },
    related: [],
    query: `histogram_quantile(0.95, sum by (${L.le}) (rate(${labelSelector(DURATION, edgeLabels(o, client))}[1m])))`,
    examples: {
      exemplars: labelSelector(DURATION, edgeLabels(o, client)),
      prefer: 'slowest',
      jaeger: { service: o.edge, tags: { 'client.id': client }, minDuration: `${Math.round(p95Before)}ms` },
    },
  };
}

/** Whether enough of the busy clients got slower (p95 ≥ 2× and ≥ 50 ms more) for the slowdown to be shared. */
function slowerShare(requests: Map<string, number>, p95: Map<string, number>, p95Base: Map<string, number>): boolean {
  let busy = 0;
  let slower = 0;
  for (const [client, n] of requests) {
    const now = finite(p95.get(client));
    const before = finite(p95Base.get(client));
    if (n < CLIENT_RULES.minLatencyRequests || now === undefined || !before) continue;
    busy++;
    if (now >= CLIENT_RULES.minLatencyFactor * before && now - before >= CLIENT_RULES.minLatencyDeltaMs) slower++;
  }
  return slower >= Math.max(3, CLIENT_RULES.sharedLatencyShare * busy);
}

/** Request-rate, error-rate and latency findings per client, unranked. */
export function clientFindings(o: ClientData): Draft<Kind>[] {
  const i = o.instant;
  const cur = byLabel(i.requests, L.clientId);
  const base = byLabel(i.requestsBase, L.clientId);
  const err = byLabel(i.errors, L.clientId);
  const errBase = byLabel(i.errorsBase, L.clientId);
  const p95 = byLabel(i.p95, L.clientId);
  const p95Base = byLabel(i.p95Base, L.clientId);
  const all = finite(i.p95All[0]?.value);
  const allBase = finite(i.p95AllBase[0]?.value);
  const fleetFactor = all !== undefined && allBase ? all / allBase : 1;
  const total = [...cur.values()].reduce((a, v) => a + v, 0);
  const totalBase = [...base.values()].reduce((a, v) => a + v, 0);
  const covered = baselineCoverage(o);
  if (covered < Math.max(MIN_BASELINE.seconds, MIN_BASELINE.share * o.window.baselineSeconds)) return [];
  const ratio = o.window.seconds / covered;
  const errTotal = [...err.values()].reduce((a, v) => a + v, 0);
  const sharedSlowdown = slowerShare(cur, p95, p95Base);
  const out: Draft<Kind>[] = [];
  for (const client of new Set([...cur.keys(), ...base.keys()])) {
    const n = cur.get(client) ?? 0;
    const b = base.get(client) ?? 0;
    const drafts = [
      requestFinding(o, client, n, b, total > 0 ? n / total : 0, totalBase > 0 ? b / totalBase : 0, covered),
      errorFinding(o, client, n, b, err.get(client) ?? 0, errBase.get(client) ?? 0, covered, total - n > 0 ? (errTotal - (err.get(client) ?? 0)) / (total - n) : 0),
    ];
    const lat = finite(p95.get(client));
    const latBefore = finite(p95Base.get(client));
    if (lat !== undefined && latBefore && !sharedSlowdown) drafts.push(latencyFinding(o, client, n, b * ratio, lat, latBefore, fleetFactor));
    out.push(...drafts.filter((d): d is Draft<Kind> => d !== undefined));
  }
  return out;
}

/** Whether the baseline has enough data at the edge for clients to be compared. */
function enoughBaseline(o: ClientData): boolean {
  return baselineCoverage(o) >= Math.max(MIN_BASELINE.seconds, MIN_BASELINE.share * o.window.baselineSeconds);
}

/** The clients check: requests, errors and p95 latency per client at the edge, window vs baseline. */
export const clients = defineCheck({
  name: 'clients',
  kinds: KINDS,
  instant: INSTANT,
  range: CLIENT_RATES,
  describe(o) {
    const covered = baselineCoverage(o);
    const start = edgeDataStart(o);
    const partial = !enoughBaseline(o)
      ? ` (no baseline: data at ${o.edge} starts ${start !== undefined ? clock(start) : 'nowhere'})`
      : covered < o.window.baselineSeconds - o.step
        ? ` (baseline: ${formatDuration(covered)} of data)`
        : '';
    return `requests, errors and p95 latency per client at ${o.edge}, last ${formatDuration(o.window.seconds)} vs the ${formatDuration(o.window.baselineSeconds)} before${partial}`;
  },
  hasData: (o) => o.instant.requests.length > 0 && enoughBaseline(o),
  rank: clientFindings,
});
