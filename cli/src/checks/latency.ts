/** p95 latency at the edge for everyone (pure): the symptom when no single client stands out. */
import { L, SPAN_KIND } from '@faultline/signals';
import { defineCheck, NO_QUERIES, type CheckData } from './check.ts';
import { score, type Draft } from './draft.ts';
import { P95_ALL, REQUESTS } from './edge-traffic.ts';
import { DURATION, labelSelector } from './promql.ts';
import { finite, ms } from './stats.ts';

/** A rise of the edge's p95 of at least this factor and this many ms is a finding. */
export const LATENCY_RULES = { minFactor: 2, minDeltaMs: 50, minRequests: 50 } as const;

const KINDS = { latency: 'p95 latency at the edge rose for everyone' } as const;
const INSTANT = { ...P95_ALL, requests: REQUESTS.requests };

/** What the latency check reads. */
export type LatencyData = CheckData<keyof typeof INSTANT>;

/** The edge's overall p95 latency against the baseline's, if it at least doubled. */
export function latencyFindings(o: LatencyData): Draft<'latency'>[] {
  const p95 = finite(o.instant.p95All[0]?.value);
  const before = finite(o.instant.p95AllBase[0]?.value);
  const n = o.instant.requests.reduce((a, s) => a + s.value, 0);
  if (p95 === undefined || !before || n < LATENCY_RULES.minRequests) return [];
  const f = p95 / before;
  if (f < LATENCY_RULES.minFactor || p95 - before < LATENCY_RULES.minDeltaMs) return [];
  const labels = { [L.service]: o.edge, [L.spanKind]: SPAN_KIND.server };
  return [
    {
      kind: 'latency',
      subject: o.edge,
      title: `${o.edge}: p95 latency ${f.toFixed(1)}× for everyone (${ms(p95)} vs ${ms(before)})`,
      details: [],
      score: score(35 + 10 * Math.log2(Math.min(f, 32))),
      evidence: { service: o.edge, p95Ms: Math.round(p95), baselineP95Ms: Math.round(before), factor: +f.toFixed(2) },
      related: [],
      query: `histogram_quantile(0.95, sum by (${L.le}) (rate(${labelSelector(DURATION, labels)}[1m])))`,
      examples: {
        exemplars: labelSelector(DURATION, labels),
        prefer: 'slowest',
        jaeger: { service: o.edge, minDuration: `${Math.round(before)}ms` },
      },
    },
  ];
}

/** The latency check: everyone's p95 at the edge, window vs baseline. */
export const latency = defineCheck({
  name: 'latency',
  kinds: KINDS,
  instant: INSTANT,
  range: NO_QUERIES,
  describe: (o) => `p95 latency at ${o.edge} for everyone`,
  hasData: (o) => Number.isFinite(o.instant.p95All[0]?.value ?? NaN),
  rank: latencyFindings,
});
