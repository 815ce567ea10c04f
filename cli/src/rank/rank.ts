/**
 * The ranking (pure): every finding from {@link Observations}, deploys lined up with the changes that
 * start with them, sorted by score; and the list of checks with whether each had data.
 */
import type { Check } from '../model.ts';
import type { Observations } from '../observations.ts';
import { clock, formatDuration } from '../window.ts';
import { backlogFindings } from './backlog.ts';
import { breakerFindings } from './breakers.ts';
import { cacheFindings } from './cache.ts';
import { baselineCoverage, clientFindings, edgeDataStart, MIN_BASELINE } from './clients.ts';
import { deployFindings } from './deploys.ts';
import { score, type Draft } from './draft.ts';
import { ejectionFindings } from './ejections.ts';
import { healthFindings } from './health.ts';
import { latencyFindings } from './latency.ts';
import { poolFindings } from './pools.ts';

/** How a deploy's score grows when other findings start with it. */
const ALIGNED_BONUS = 25;

/**
 * Marks findings that start within a short time after a deploy (from 1 minute before to 2 minutes
 * after, or 3 and 6 range steps for long windows) as related to it, both ways.
 */
export function alignDeploys(drafts: Draft[], step: number): void {
  const before = Math.max(60, 3 * step);
  const after = Math.max(120, 6 * step);
  for (const d of drafts.filter((x) => x.kind === 'deploy' && x.since !== undefined)) {
    const aligned = drafts.filter((x) => x !== d && x.kind !== 'deploy' && x.since !== undefined && x.since >= d.since! - before && x.since <= d.since! + after);
    if (aligned.length === 0) continue;
    for (const x of aligned) {
      x.related.push(d.subject);
      x.details.push(`starts with the deploy of ${d.subject} at ${clock(d.since!)}`);
    }
    d.related.push(...aligned.map((x) => x.subject));
    d.details.push(`lines up with: ${aligned.map((x) => `${x.subject} (${x.kind})`).join(', ')}`);
    d.score = score(d.score + ALIGNED_BONUS);
  }
}

/** Findings, highest score first (ties: in the order the checks run). */
export function rank(o: Observations): Draft[] {
  const drafts = [
    ...clientFindings(o),
    ...deployFindings(o),
    ...poolFindings(o),
    ...ejectionFindings(o),
    ...healthFindings(o),
    ...breakerFindings(o),
    ...latencyFindings(o),
    ...cacheFindings(o),
    ...backlogFindings(o),
  ];
  alignDeploys(drafts, o.step);
  return drafts.map((d, i) => ({ d, i })).sort((a, b) => b.d.score - a.d.score || a.i - b.i).map(({ d }) => d);
}

/** What was checked, whether the data for it exists, and how many findings each check gave. */
export function checks(o: Observations, findings: Draft[]): Check[] {
  const i = o.instant;
  const W = formatDuration(o.window.seconds);
  const B = formatDuration(o.window.baselineSeconds);
  const n = (...kinds: string[]) => findings.filter((f) => kinds.includes(f.kind)).length;
  const perService = new Map<string, number>();
  for (const s of o.range.instanceRate) perService.set(s.labels['service_name'] ?? '?', (perService.get(s.labels['service_name'] ?? '?') ?? 0) + 1);
  const replicated = [...perService].filter(([, k]) => k > 1).map(([svc, k]) => `${svc} ×${k}`);
  const covered = baselineCoverage(o);
  const enough = covered >= Math.max(MIN_BASELINE.seconds, MIN_BASELINE.share * o.window.baselineSeconds);
  const start = edgeDataStart(o);
  const partial = !enough ? ` (no baseline: data at ${o.edge} starts ${start !== undefined ? clock(start) : 'nowhere'})` : covered < o.window.baselineSeconds - o.step ? ` (baseline: ${formatDuration(covered)} of data)` : '';
  return [
    { name: 'clients', description: `requests, errors and p95 latency per client at ${o.edge}, last ${W} vs the ${B} before${partial}`, hasData: i.requests.length > 0 && enough, findings: n('client-requests', 'client-errors', 'client-latency') },
    { name: 'latency', description: `p95 latency at ${o.edge} for everyone`, hasData: Number.isFinite(i.p95All[0]?.value ?? NaN), findings: n('latency') },
    { name: 'deploys', description: 'service versions (target_info, service_version) that appeared in the window', hasData: o.range.versions.length > 0, findings: n('deploy') },
    { name: 'pools', description: 'connection pools: used vs max, waiting requests, timeouts, p99 wait', hasData: i.poolMax.length + i.poolPending.length > 0, findings: n('pool') },
    { name: 'ejections', description: `instances left without traffic while their peers served (${replicated.join(', ') || 'no service has several instances'})`, hasData: replicated.length > 0, findings: n('ejection') },
    { name: 'health', description: 'failed health checks (/healthz, /ready, …) per instance', hasData: i.healthChecks.length > 0, findings: n('health') },
    { name: 'breakers', description: 'circuit breakers open or half-open', hasData: i.breakerState.length > 0, findings: n('breaker') },
    {
      name: 'cache',
      description: o.cache.source === 'jaeger' ? 'cache hit ratio, overall and per client (sampled from Jaeger)' : 'cache hit ratio, overall and per client',
      hasData: o.cache.source !== 'none',
      findings: n('cache'),
    },
    { name: 'backlog', description: 'background jobs added vs processed, failed jobs', hasData: i.jobsAdded.length + i.jobsProcessed.length > 0, findings: n('backlog') },
  ];
}
