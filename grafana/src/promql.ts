/**
 * PromQL shapes of the dashboards: the few expressions every panel uses, over the metric and label
 * names of `@faultline/signals` (which says how they reach Prometheus through the Collector).
 */
import { FAILED, M } from '@faultline/signals';

/** Span-metric call counter (one per span). */
export const CALLS: string = M.calls;
/** Span-metric duration histogram buckets, milliseconds. */
export const DURATION: string = M.durationBucket;
/** Grafana's rate window (at least 4 scrape intervals). */
export const RATE = '$__rate_interval';
/** The matcher of a failed call's span status. */
export const ERROR: string = FAILED;

/** `sum by (<by>) (rate(<metric>{<sel>}[$__rate_interval]))`. */
export function rateBy(by: string, metric: string, sel: string): string {
  return `sum by (${by}) (rate(${metric}{${sel}}[${RATE}]))`;
}

/**
 * `expr`, or `anchor * 0` for the label sets `expr` lacks: a counter that exists only once something
 * has gone wrong (errors, timeouts, failed jobs) reads 0, not "no data", while all is well.
 */
export function orZero(expr: string, anchor: string): string {
  return `${expr} or ${anchor} * 0`;
}

/** `part / whole` per label set, 0 (not absent) where `part` has no series yet. */
export function ratio(part: string, whole: string): string {
  return `(${orZero(part, whole)}) / ${whole}`;
}

/** The `q` quantile of histogram `bucket` per `by`, over `$__rate_interval`. */
export function quantile(q: number, by: string, bucket: string, sel: string): string {
  return `histogram_quantile(${q}, sum by (${by}, le) (rate(${bucket}{${sel}}[${RATE}])))`;
}
