/** A finding as the ranking makes it: no traces or links yet (incident.ts adds those). */
import type { JaegerSearch } from '@faultline/signals';

/** Where the example traces of a finding come from. */
export interface ExampleSpec {
  /** A series selector over span-metric duration buckets whose exemplars are examples. */
  exemplars?: string;
  /** Prefer the slowest exemplars (latency, pool waits) or the newest. */
  prefer: 'slowest' | 'newest';
  /** Fallback (and "more like this"): a Jaeger search. */
  jaeger: JaegerSearch;
  /** Trace IDs already known (e.g. from the cache sample). */
  traceIds?: string[];
}

/**
 * A ranked finding before traces and links are attached.
 * @typeParam K - its kind (a check's own kinds; the report's `findings[].kind`).
 */
export interface Draft<K extends string = string> {
  kind: K;
  subject: string;
  title: string;
  details: string[];
  score: number;
  /** Unix seconds. */
  since?: number;
  /** Unix seconds. */
  until?: number;
  evidence: Record<string, number | string | boolean | null>;
  related: string[];
  query: string;
  examples: ExampleSpec;
}

/** Clamps a score to 0–99 and rounds it to one decimal. */
export function score(x: number): number {
  return Math.round(Math.min(99, Math.max(0, x)) * 10) / 10;
}

/**
 * Context too small to be a finding, listed on one "also seen" line (e.g. a dozen new clients at 2 %
 * of traffic each).
 */
export interface AlsoSeenDraft<K extends string = string> {
  /** The finding kind it would have been. */
  kind: K;
  /** What it is about (client IDs, …). */
  subjects: string[];
  /** The one line a person reads. */
  title: string;
}
