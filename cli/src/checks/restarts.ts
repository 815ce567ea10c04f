/**
 * Restarts (pure): a process whose start time changed inside the window while its service, instance
 * and version stayed the same — it exited (a crash, an out-of-memory kill, a stop) and was started
 * again. A new version is a deploy (deploys.ts), not a restart. The start time is the SDKs' start
 * marker (`M.processStart`, one series per service, instance and version).
 */
import { eq, L, M, selector } from '@faultline/signals';
import { clock, windowStart } from '../window.ts';
import type { CheckData } from './check.ts';
import { score, type Draft } from './draft.ts';
import { DURATION } from './promql.ts';

/** The restart finding kind. */
export const RESTART_KINDS = { restart: 'a process was started again (same service, instance and version) inside the window' } as const;

/** The start marker per process: its value is the start time, unix s. */
export const RESTART_RANGE = {
  starts: () => `max by (${L.service}, ${L.instance}, ${L.serviceVersion}) (${M.processStart})`,
};

/** A start time that moved by more than this is a new process, s (the marker is exact; this absorbs float noise). */
const MIN_MOVE_S = 1;

/** What the restart signal reads. */
export type RestartData = CheckData<never, keyof typeof RESTART_RANGE>;

/** Restarts in the window, one finding per process (instance) with how many times it started again. */
export function restartFindings(o: RestartData): Draft<'restart'>[] {
  const from = windowStart(o.window);
  const out: Draft<'restart'>[] = [];
  // Observations recorded before this signal existed have no `starts`.
  for (const s of (o.range.starts as RestartData['range']['starts'] | undefined) ?? []) {
    const service = s.labels[L.service];
    const instance = s.labels[L.instance];
    if (!service || !instance) continue;
    // Each start time the series moved to inside the window (the previous one ran before it).
    const starts: { previous: number; start: number }[] = [];
    s.points.forEach(([, v], i) => {
      const previous = s.points[i - 1]?.[1];
      if (previous !== undefined && Math.abs(v - previous) > MIN_MOVE_S && v >= from) starts.push({ previous, start: v });
    });
    if (starts.length === 0) continue;
    const first = starts[0]!;
    const last = starts.at(-1)!;
    const version = s.labels[L.serviceVersion] ?? '';
    out.push({
      kind: 'restart',
      subject: `${service}/${instance}`,
      title: `${service}/${instance} restarted at ${clock(last.start)}${starts.length > 1 ? ` (${starts.length} times)` : ''}, same version${version ? ` ${version}` : ''}`,
      details: [
        `process start time ${clock(first.previous)} → ${starts.map((x) => clock(x.start)).join(' → ')}: it exited (crash, out of memory or stop) and was started again`,
      ],
      score: score(60 + Math.min(15, 5 * (starts.length - 1))),
      since: first.start,
      until: last.start,
      evidence: { service, instance, version, restarts: starts.length, previousStart: first.previous, start: last.start },
      related: [],
      query: `max by (${L.instance}) (${selector(M.processStart, eq(L.service, service))})`,
      examples: {
        exemplars: selector(DURATION, eq(L.service, service), eq(L.instance, instance)),
        prefer: 'newest',
        jaeger: { service, tags: { 'service.instance.id': instance } },
      },
    });
  }
  return out;
}
