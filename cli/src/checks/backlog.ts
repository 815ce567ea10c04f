/**
 * Background-job backlog (pure): per queue, jobs added (producer spans `add <queue>.<job>`) against
 * jobs processed (consumer spans `process <queue>`), and failed jobs. BullMQ exports no queue-length
 * gauge, so the backlog is what was added and not processed within the window.
 */
import { CONSUMER, eq, FAILED, L, PRODUCER, re, selector, STATUS, type Sample } from '@faultline/signals';
import { formatDuration } from '../window.ts';
import { defineCheck, NO_QUERIES, type CheckData, type QueryContext } from './check.ts';
import { score, type Draft } from './draft.ts';
import { by, CALLS, DURATION, windowAndBaseline } from './promql.ts';
import { count, pct } from './stats.ts';

const KINDS = { backlog: 'background jobs were added faster than processed, or failed' } as const;
const added = (r: string) => `sum by (${by(L.service, L.spanName)}) (increase(${selector(CALLS, PRODUCER)}[${r}))`;
const processed = (r: string) => `sum by (${by(L.service, L.spanName, L.statusCode)}) (increase(${selector(CALLS, CONSUMER)}[${r}))`;
const INSTANT = {
  jobsAdded: (c: QueryContext) => windowAndBaseline(c.window, added)[0],
  jobsProcessed: (c: QueryContext) => windowAndBaseline(c.window, processed)[0],
  jobsAddedBase: (c: QueryContext) => windowAndBaseline(c.window, added)[1],
  jobsProcessedBase: (c: QueryContext) => windowAndBaseline(c.window, processed)[1],
};

/** What the backlog check reads. */
export type BacklogData = CheckData<keyof typeof INSTANT>;

/** Growth of at least `minGrowth` jobs and `minGrowthShare` of those added; failures over `minFailRate`. */
export const BACKLOG_RULES = { minGrowth: 20, minGrowthShare: 0.2, minFailures: 5, minFailRate: 0.05 } as const;

/** `add orders.process-order` → `orders`; `process orders` → `orders`. */
export function queueOf(spanName: string): string | undefined {
  return /^(?:add|publish|send|process|receive)\s+([^.\s]+)/.exec(spanName)?.[1];
}

function tally(samples: Sample[], failedOnly = false): Map<string, { n: number; service: string }> {
  const out = new Map<string, { n: number; service: string }>();
  for (const s of samples) {
    const q = queueOf(s.labels[L.spanName] ?? '');
    if (!q || (failedOnly && s.labels[L.statusCode] !== STATUS.error)) continue;
    const cur = out.get(q) ?? { n: 0, service: s.labels[L.service] ?? '?' };
    cur.n += s.value;
    out.set(q, cur);
  }
  return out;
}

/** Backlog and job-failure findings per queue, unranked. */
export function backlogFindings(o: BacklogData): Draft<'backlog'>[] {
  const added = tally(o.instant.jobsAdded);
  const processed = tally(o.instant.jobsProcessed);
  const failed = tally(o.instant.jobsProcessed, true);
  const processedBase = tally(o.instant.jobsProcessedBase);
  const W = formatDuration(o.window.seconds);
  const out: Draft<'backlog'>[] = [];
  for (const queue of new Set([...added.keys(), ...processed.keys()])) {
    const a = added.get(queue)?.n ?? 0;
    const p = processed.get(queue)?.n ?? 0;
    const f = failed.get(queue)?.n ?? 0;
    const consumer = processed.get(queue)?.service ?? processedBase.get(queue)?.service ?? added.get(queue)?.service ?? '?';
    const growth = a - p;
    const examples = {
      exemplars: selector(DURATION, CONSUMER, eq(L.spanName, `process ${queue}`)),
      prefer: 'slowest' as const,
      jaeger: { service: consumer, operation: `process ${queue}` },
    };
    const query = `sum(rate(${selector(CALLS, PRODUCER, re(L.spanName, `add ${queue}\\\\..*`))}[1m])) - sum(rate(${selector(CALLS, CONSUMER, eq(L.spanName, `process ${queue}`))}[1m]))`;
    const evidence = { queue, added: Math.round(a), processed: Math.round(p), failed: Math.round(f), growth: Math.round(growth), consumer };
    if (growth >= BACKLOG_RULES.minGrowth && growth >= BACKLOG_RULES.minGrowthShare * a) {
      out.push({
        kind: 'backlog',
        subject: queue,
        title: `queue ${queue}: ${count(a)} jobs added, ${count(p)} processed in ${W} (backlog grew by ~${count(growth)})`,
        details: [
          `consumer: ${consumer}${processedBase.get(queue) ? `; it processed ${count(processedBase.get(queue)!.n)} in the baseline` : ''}`,
        ],
        score: score(35 + 10 * Math.log2(1 + growth / BACKLOG_RULES.minGrowth)),
        evidence,
        related: [],
        query,
        examples,
      });
    }
    if (f >= BACKLOG_RULES.minFailures && f / Math.max(p, 1) >= BACKLOG_RULES.minFailRate) {
      out.push({
        kind: 'backlog',
        subject: queue,
        title: `queue ${queue}: ${count(f)} of ${count(p)} jobs failed in ${W} (${pct(f / Math.max(p, 1))})`,
        details: [`consumer: ${consumer}`],
        score: score(35 + 30 * (f / Math.max(p, 1))),
        evidence,
        related: [],
        query: `sum(rate(${selector(CALLS, CONSUMER, eq(L.spanName, `process ${queue}`), FAILED)}[1m]))`,
        examples: {
          ...examples,
          exemplars: selector(DURATION, CONSUMER, eq(L.spanName, `process ${queue}`), FAILED),
          jaeger: { ...examples.jaeger, tags: { error: 'true' } },
        },
      });
    }
  }
  return out;
}

/** The backlog check: jobs added vs processed per queue, and failed jobs. */
export const backlog = defineCheck({
  name: 'backlog',
  kinds: KINDS,
  instant: INSTANT,
  range: NO_QUERIES,
  describe: () => 'background jobs added vs processed, failed jobs',
  hasData: (o) => o.instant.jobsAdded.length + o.instant.jobsProcessed.length > 0,
  rank: backlogFindings,
});
