/**
 * Clients whose request rate, error rate or latency at the edge changed most against the baseline
 * (pure: reads what the check asked, returns drafts).
 */
import { CLIENT_UNKNOWN, FAILED, L, SPAN_KIND, STATUS } from '@faultline/signals';
import { baselineStart, clock, formatDuration } from '../window.ts';
import { defineCheck, type CheckData, type QueryContext } from './check.ts';
import { compareClients, baselineCoverage, comparisonNote, edgeDataStart, enoughBaseline } from './client-compare.ts';
import { score, type AlsoSeenDraft, type Draft } from './draft.ts';
import { CLIENT_RATES, P95_ALL, REQUESTS } from './edge-traffic.ts';
import { baselineRange, CALLS, DURATION, edgeSelector, labelSelector, windowRange } from './promql.ts';
import { byLabel, count, finite, ms, pct, poissonZ, proportionZ, runs } from './stats.ts';

export { baselineCoverage, edgeDataStart, MIN_BASELINE } from './client-compare.ts';

const KINDS = {
  'client-requests': "a client's request rate changed (rose or fell) against the baseline",
  'client-errors': "a client's error rate rose",
  'client-latency': "a client's p95 latency rose more than everyone else's",
} as const;
type Kind = keyof typeof KINDS;

const errors = (r: string) => (c: QueryContext) => `sum by (${L.clientId}) (increase(${edgeSelector(CALLS, c.edge, FAILED)}[${r}))`;
const p95 = (r: string) => (c: QueryContext) =>
  `histogram_quantile(0.95, sum by (${L.clientId}, ${L.le}) (rate(${edgeSelector(DURATION, c.edge)}[${r})))`;

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
  /**
   * Latency: requests in the window and baseline, p95 factor, p95 rise in ms, and how much more than everyone's.
   * 60 requests put at least 3 of them above the p95: over fewer, one stalled moment (a GC pause, a busy
   * core) that catches two requests of a quiet client makes its p95 (a quiet demo client on a busy machine: 2.9×).
   */
  minLatencyRequests: 60,
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
  /**
   * A new client (none before) is a finding when it sends this share of the window's traffic, or
   * ({@link CLIENT_RULES.newClientExcess}) it alone raised the edge's traffic this much over the
   * baseline; smaller ones are listed on the "also seen" line.
   */
  newClientShare: 0.05,
  newClientExcess: 0.1,
} as const;

/**
 * Request findings rank by the part of the whole change (Σ |now − expected| over every client) they
 * explain, `p` in 0–1: a rise scores `rise + riseSpan·√p` (50–95), a fall (the volume lost)
 * `fall + fallSpan·√p` (30–50), so a cause that explains most of the change outranks the symptoms it
 * causes, and a client that went quiet ranks below one that surged.
 */
export const CLIENT_SCORE = { rise: 50, riseSpan: 45, fall: 30, fallSpan: 20 } as const;

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
function onset(
  o: ClientData,
  client: string,
  baseRate: number,
  curRate: number,
  which: 'clientRate' | 'clientErrorRate' = 'clientRate',
): number | undefined {
  const series = o.range[which].find((s) => (s.labels[L.clientId] ?? '') === client);
  if (!series) return undefined;
  const threshold = (baseRate + curRate) / 2;
  const rising = curRate > baseRate;
  const r = runs(series, baselineStart(o.window), o.step, (v) => (rising ? v >= threshold : v <= threshold));
  const last = r.at(-1);
  return last && last.end >= o.window.end - 3 * o.step ? last.start : undefined;
}

/** What one client's request count is judged against: the comparison and everyone's totals. */
interface RequestContext {
  /** Lengths of the compared window and baseline, s. */
  windowS: number;
  baselineS: number;
  /** Requests of every client in the compared window, and in the baseline scaled to the window. */
  total: number;
  totalExpected: number;
  /** Σ |now − expected| over every client: the whole change, which findings are ranked by their part of. */
  change: number;
}

/** A client's request change: a finding, context for the "also seen" line, or nothing. */
type RequestVerdict = { finding: Draft<Kind> } | { alsoSeen: NewClient } | undefined;

/** A new client too small to be a finding on its own. */
export interface NewClient {
  client: string;
  requests: number;
  share: number;
}

/**
 * Whether a new client (none before) matters on its own: it sends {@link CLIENT_RULES.newClientShare}
 * of the window's traffic, or it alone raised the edge's traffic by {@link CLIENT_RULES.newClientExcess}.
 */
function significantNew(n: number, c: RequestContext): boolean {
  return (
    (c.total > 0 && n / c.total >= CLIENT_RULES.newClientShare) ||
    (c.totalExpected > 0 && n / c.totalExpected >= CLIENT_RULES.newClientExcess)
  );
}

function requestVerdict(o: ClientData, client: string, n: number, b: number, shareBefore: number, c: RequestContext): RequestVerdict {
  const ratio = c.windowS / c.baselineS;
  const expected = b * ratio;
  const z = poissonZ(n, b, ratio);
  const factor = expected > 0 ? n / expected : Infinity;
  const shareNow = c.total > 0 ? n / c.total : 0;
  const rising = n >= CLIENT_RULES.minRequests && factor >= CLIENT_RULES.minFactor && z >= CLIENT_RULES.minZ;
  const falling = expected >= CLIENT_RULES.minRequests && factor <= 1 / CLIENT_RULES.minFactor && z <= -CLIENT_RULES.minZ;
  if (!rising && !falling) return undefined;
  if (rising && expected < 1 && !significantNew(n, c))
    return { alsoSeen: { client, requests: Math.round(n), share: +shareNow.toFixed(3) } };
  const W = formatDuration(c.windowS);
  const scaled = c.baselineS === c.windowS ? '' : ` (baseline ${formatDuration(c.baselineS)}, scaled)`;
  const title = !rising
    ? `${who(client)}: requests fell to ${factor.toFixed(1)}× (${count(n)} vs ${count(expected)} in ${W}${scaled}; ${count(expected - n)} fewer)`
    : Number.isFinite(factor)
      ? `${who(client)}: ${factor.toFixed(1)}× requests (${count(n)} vs ${count(expected)} in ${W}${scaled}; ${pct(shareNow)} of traffic, was ${pct(shareBefore)})`
      : `${who(client)}: new client, ${count(n)} requests in ${W} (${pct(shareNow)} of traffic; none before)`;
  const since = onset(o, client, b / c.baselineS, n / c.windowS);
  // The part of the whole change this client explains (its excess, or the volume it lost).
  const explained = c.change > 0 ? Math.abs(n - expected) / c.change : 0;
  return {
    finding: {
      kind: 'client-requests',
      subject: client,
      title,
      details: [],
      score: score(
        rising
          ? CLIENT_SCORE.rise + CLIENT_SCORE.riseSpan * Math.sqrt(explained)
          : CLIENT_SCORE.fall + CLIENT_SCORE.fallSpan * Math.sqrt(explained),
      ),
      since,
      evidence: {
        client,
        requests: Math.round(n),
        baselineRequests: Math.round(expected),
        excess: Math.round(n - expected),
        explained: +explained.toFixed(3),
        factor: Number.isFinite(factor) ? +factor.toFixed(2) : null,
        ratePerS: +(n / c.windowS).toFixed(3),
        baselineRatePerS: +(b / c.baselineS).toFixed(3),
        share: +shareNow.toFixed(3),
        baselineShare: +shareBefore.toFixed(3),
        z: +z.toFixed(1),
      },
      related: [],
      query: `sum by (${L.clientId}) (rate(${labelSelector(CALLS, edgeLabels(o, client))}[1m]))`,
      examples: {
        exemplars: labelSelector(DURATION, edgeLabels(o, client)),
        prefer: 'newest',
        jaeger: { service: o.edge, tags: { 'client.id': client } },
      },
    },
  };
}

function errorFinding(
  o: ClientData,
  client: string,
  n: number,
  b: number,
  en: number,
  eb: number,
  baselineS: number,
  othersRate: number,
): Draft<Kind> | undefined {
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
    evidence: {
      client,
      errors: Math.round(en),
      requests: Math.round(n),
      errorRate: +rate.toFixed(3),
      baselineErrorRate: +rateBefore.toFixed(3),
    },
    related: [],
    query: `sum by (${L.clientId}) (rate(${labelSelector(CALLS, errorLabels)}[1m])) / sum by (${L.clientId}) (rate(${labelSelector(CALLS, edgeLabels(o, client))}[1m]))`,
    examples: {
      exemplars: labelSelector(DURATION, errorLabels),
      prefer: 'newest',
      jaeger: { service: o.edge, tags: { 'client.id': client, error: 'true' } },
    },
  };
}

function latencyFinding(
  o: ClientData,
  client: string,
  n: number,
  expected: number,
  p95: number,
  p95Before: number,
  fleetFactor: number,
): Draft<Kind> | undefined {
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
    evidence: {
      client,
      p95Ms: Math.round(p95),
      baselineP95Ms: Math.round(p95Before),
      factor: +f.toFixed(2),
      fleetFactor: +fleetFactor.toFixed(2),
      requests: Math.round(n),
    },
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

/** Everything the clients check judges: findings and the new clients too small to be findings. */
interface ClientVerdicts {
  findings: Draft<Kind>[];
  alsoSeen: NewClient[];
}

function judgeClients(o: ClientData): ClientVerdicts {
  const c = compareClients(o);
  if (!c) return { findings: [], alsoSeen: [] };
  const i = o.instant;
  const { current: cur, before: base } = c;
  const err = byLabel(i.errors, L.clientId);
  const errBase = byLabel(i.errorsBase, L.clientId);
  const p95 = byLabel(i.p95, L.clientId);
  const p95Base = byLabel(i.p95Base, L.clientId);
  const all = finite(i.p95All[0]?.value);
  const allBase = finite(i.p95AllBase[0]?.value);
  const fleetFactor = all !== undefined && allBase ? all / allBase : 1;
  const ratio = c.windowS / c.baselineS;
  const clientsSeen = [...new Set([...cur.keys(), ...base.keys()])];
  const total = [...cur.values()].reduce((a, v) => a + v, 0);
  const totalBase = [...base.values()].reduce((a, v) => a + v, 0);
  const change = clientsSeen.reduce((a, k) => a + Math.abs((cur.get(k) ?? 0) - (base.get(k) ?? 0) * ratio), 0);
  const ctx: RequestContext = { windowS: c.windowS, baselineS: c.baselineS, total, totalExpected: totalBase * ratio, change };
  const errTotal = [...err.values()].reduce((a, v) => a + v, 0);
  const sharedSlowdown = slowerShare(cur, p95, p95Base);
  const out: ClientVerdicts = { findings: [], alsoSeen: [] };
  for (const client of clientsSeen) {
    const n = cur.get(client) ?? 0;
    const b = base.get(client) ?? 0;
    const verdict = requestVerdict(o, client, n, b, totalBase > 0 ? b / totalBase : 0, ctx);
    if (verdict && 'alsoSeen' in verdict) out.alsoSeen.push(verdict.alsoSeen);
    if (verdict && 'finding' in verdict) out.findings.push(verdict.finding);
    // Errors and latency come from the instant queries: only against a real baseline.
    if (c.mode !== 'baseline') continue;
    const drafts = [
      errorFinding(
        o,
        client,
        n,
        b,
        err.get(client) ?? 0,
        errBase.get(client) ?? 0,
        c.baselineS,
        total - n > 0 ? (errTotal - (err.get(client) ?? 0)) / (total - n) : 0,
      ),
    ];
    const lat = finite(p95.get(client));
    const latBefore = finite(p95Base.get(client));
    if (lat !== undefined && latBefore && !sharedSlowdown)
      drafts.push(latencyFinding(o, client, n, b * ratio, lat, latBefore, fleetFactor));
    out.findings.push(...drafts.filter((d): d is Draft<Kind> => d !== undefined));
  }
  out.alsoSeen.sort((a, b) => b.requests - a.requests || a.client.localeCompare(b.client));
  return out;
}

/** Request-rate, error-rate and latency findings per client, unranked. */
export function clientFindings(o: ClientData): Draft<Kind>[] {
  return judgeClients(o).findings;
}

/**
 * The "also seen" line: new clients whose requests rose beyond chance but that are too small to be
 * findings ({@link CLIENT_RULES.newClientShare}), largest first, as one entry; none when there are none.
 */
export function clientsAlsoSeen(o: ClientData): AlsoSeenDraft[] {
  const small = judgeClients(o).alsoSeen;
  if (small.length === 0) return [];
  const W = formatDuration(compareClients(o)!.windowS);
  const shares = small.map((x) => x.share);
  const range = (xs: number[], f: (x: number) => string) =>
    Math.min(...xs) === Math.max(...xs) ? f(xs[0]!) : `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;
  const names = small.map((x) => `${who(x.client)} ${count(x.requests)}`).join(', ');
  return [
    {
      kind: 'client-requests',
      subjects: small.map((x) => x.client),
      title: `${small.length} new client${small.length === 1 ? '' : 's'}, ${range(shares, pct)} of traffic ${small.length === 1 ? '' : 'each '}in ${W}: ${names}`,
    },
  ];
}

/** The clients check: requests, errors and p95 latency per client at the edge, window vs baseline. */
export const clients = defineCheck({
  name: 'clients',
  kinds: KINDS,
  instant: INSTANT,
  range: CLIENT_RATES,
  describe(o) {
    const c = compareClients(o);
    const covered = baselineCoverage(o);
    const start = edgeDataStart(o);
    const partial = !enoughBaseline(o)
      ? ` (no baseline: data at ${o.edge} starts ${start !== undefined ? clock(start) : 'nowhere'}${c ? `; requests compared ${clock(c.start - c.baselineS)}–${clock(c.start)} vs ${clock(c.start)}–${clock(o.window.end)}` : ''})`
      : covered < o.window.baselineSeconds - o.step
        ? ` (baseline: ${formatDuration(covered)} of data)`
        : '';
    return `requests, errors and p95 latency per client at ${o.edge}, last ${formatDuration(o.window.seconds)} vs the ${formatDuration(o.window.baselineSeconds)} before${partial}`;
  },
  /** With no baseline the check still compares what exists (say so: `note`), but it lacks the data it is made for. */
  hasData: (o) => o.instant.requests.length > 0 && enoughBaseline(o),
  note: (o) => comparisonNote(o),
  rank: clientFindings,
  alsoSeen: clientsAlsoSeen,
});
