/** Circuit breakers that opened or went half-open in the window (pure), with when and how often. */
import type { Observations } from '../observations.ts';
import { clock, windowStart } from '../window.ts';
import { score, type Draft } from './draft.ts';
import { key, runs } from './stats.ts';

const KEY = ['service_name', 'instance', 'circuit_breaker_name'];

/** Breaker findings, unranked. */
export function breakerFindings(o: Observations): Draft[] {
  const opens = new Map<string, number>();
  for (const e of o.instant.breakerEvents) {
    if (e.labels['circuit_breaker_event'] === 'open') opens.set(key(e.labels, KEY), (opens.get(key(e.labels, KEY)) ?? 0) + e.value);
  }
  const out: Draft[] = [];
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
      query: `max by (instance) (circuit_breaker_state{service_name="${service}",circuit_breaker_name="${name}"})`,
      examples: { prefer: 'newest', jaeger: { service, tags: { 'circuit_breaker.name': name } } },
    });
  }
  return out;
}
