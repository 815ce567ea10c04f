/** Circuit breakers that opened or went half-open in the window (pure), with when and how often. */
import { counterAnySuffix, eq, L, M, selector } from '@faultline/signals';
import { clock, windowStart } from '../window.ts';
import { defineCheck, type CheckData, type QueryContext } from './check.ts';
import { score, type Draft } from './draft.ts';
import { by, windowRange } from './promql.ts';
import { key, runs } from './stats.ts';

/** Labels that name one breaker. */
const KEY = [L.service, L.instance, L.breakerName];
/** The breaker event that opens it (`circuit_breaker.event`). */
const OPEN = 'open';

const KINDS = { breaker: 'a circuit breaker opened' } as const;
const INSTANT = {
  breakerState: (c: QueryContext) => `max by (${by(...KEY)}) (max_over_time(${M.breakerState}[${windowRange(c.window)}]))`,
  breakerEvents: (c: QueryContext) =>
    `sum by (${by(...KEY, L.breakerEvent)}) (increase(${counterAnySuffix(M.breakerEvents)}[${windowRange(c.window)}]))`,
};
const RANGE = { breakerState: () => `max by (${by(...KEY)}) (${M.breakerState})` };

/** What the breaker check reads. */
export type BreakerData = CheckData<keyof typeof INSTANT, keyof typeof RANGE>;

/** Breaker findings, unranked. */
export function breakerFindings(o: BreakerData): Draft<'breaker'>[] {
  const opens = new Map<string, number>();
  for (const e of o.instant.breakerEvents) {
    if (e.labels[L.breakerEvent] === OPEN) opens.set(key(e.labels, KEY), (opens.get(key(e.labels, KEY)) ?? 0) + e.value);
  }
  const out: Draft<'breaker'>[] = [];
  for (const s of o.instant.breakerState) {
    const k = key(s.labels, KEY);
    const nOpen = Math.round(opens.get(k) ?? 0);
    if (s.value < 1 && nOpen < 1) continue;
    const [service = '?', instance = '?', name = '?'] = KEY.map((l) => s.labels[l]);
    const series = o.range.breakerState.find((x) => key(x.labels, KEY) === k);
    const r = series ? runs(series, windowStart(o.window), o.step, (v) => v >= 1) : [];
    const since = r[0]?.start;
    const until = r.at(-1)?.end;
    const wasOpen = s.value >= 2 || nOpen > 0;
    out.push({
      kind: 'breaker',
      subject: `${service}/${instance} ${name}`,
      title: `circuit breaker ${name} on ${instance} ${wasOpen ? 'opened' : 'went half-open'}${nOpen > 0 ? ` (${nOpen}×)` : ''}${since !== undefined ? ` ${clock(since)}–${clock(until!)}` : ''}`,
      details: [`calls through it failed fast while it was open: look at what ${service} calls behind "${name}"`],
      // An open breaker names the failing dependency: it outranks the fleet-wide latency and errors it explains.
      score: score(wasOpen ? 70 + Math.min(15, 2 * nOpen) : 50),
      since,
      until,
      evidence: { service, instance, breaker: name, maxState: s.value, opens: nOpen },
      related: [],
      query: `max by (${L.instance}) (${selector(M.breakerState, eq(L.service, service), eq(L.breakerName, name))})`,
      examples: { prefer: 'newest', jaeger: { service, tags: { 'circuit_breaker.name': name } } },
    });
  }
  return out;
}

/** The breakers check: circuit breakers open or half-open. */
export const breakers = defineCheck({
  name: 'breakers',
  kinds: KINDS,
  instant: INSTANT,
  range: RANGE,
  describe: () => 'circuit breakers open or half-open',
  hasData: (o) => o.instant.breakerState.length > 0,
  rank: breakerFindings,
});
