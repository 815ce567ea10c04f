/**
 * PromQL pieces several checks share, built from @faultline/signals' names and matchers: the edge's
 * server spans, window and baseline ranges, and label selectors from values read back.
 */
import { eq, L, M, SERVER, selector } from '@faultline/signals';
import type { Window } from '../window.ts';

/** The span-metric call counter. */
export const CALLS = M.calls;
/** The span-metric duration histogram's buckets (ms; exemplars hang on them). */
export const DURATION = M.durationBucket;

/** Matchers of the edge's server spans (one per client request), plus `extra`. */
export function edgeMatchers(edge: string, ...extra: string[]): string[] {
  return [eq(L.service, edge), SERVER, ...extra];
}

/** `metric{<service is the edge>,<server spans>,…}`: the edge's server spans. */
export function edgeSelector(metric: string, edge: string, ...extra: string[]): string {
  return selector(metric, ...edgeMatchers(edge, ...extra));
}

/** `metric{a="x",b="y"}` from label/value pairs read back from Prometheus (values escaped). */
export function labelSelector(metric: string, labels: Record<string, string>): string {
  return selector(metric, ...Object.entries(labels).map(([k, v]) => eq(k, v)));
}

/** The window's range selector, `60s`, to close with `]`. */
export function windowRange(w: Window): string {
  return `${w.seconds}s`;
}

/** The baseline's range selector and offset, `60s] offset 60s`: `[${baselineRange(w)}` reads the baseline. */
export function baselineRange(w: Window): string {
  return `${w.baselineSeconds}s] offset ${w.seconds}s`;
}

/** A query over the window and the same over the baseline: `f('60s]')`, `f('60s] offset 60s')`. */
export function windowAndBaseline(w: Window, f: (range: string) => string): [string, string] {
  return [f(`${windowRange(w)}]`), f(baselineRange(w))];
}

/** `by (a, b)` label lists. */
export function by(...labels: string[]): string {
  return labels.join(', ');
}
