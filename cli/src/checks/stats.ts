/** Small statistics and series helpers for the ranking (pure). */
import type { Sample, Series } from '@faultline/signals';

/**
 * How unlikely a change in a count is by chance: `now` events in the window, `before` in the
 * baseline, `ratio` = window length / baseline length. Counts are treated as Poisson:
 * z = (now − before·ratio) / √(now + before·ratio² + 1).
 */
export function poissonZ(now: number, before: number, ratio = 1): number {
  const expected = before * ratio;
  return (now - expected) / Math.sqrt(now + before * ratio * ratio + 1);
}

/** Two-proportion z score of `k1/n1` against `k0/n0` (positive when the first is larger). */
export function proportionZ(k1: number, n1: number, k0: number, n0: number): number {
  if (n1 <= 0 || n0 <= 0) return 0;
  const p = (k1 + k0) / (n1 + n0);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n0));
  return se > 0 ? (k1 / n1 - k0 / n0) / se : 0;
}

/** Samples by one label's value (the last one wins if several share it). */
export function byLabel(samples: Sample[], label: string): Map<string, number> {
  return new Map(samples.map((s) => [s.labels[label] ?? '', s.value]));
}

/** Samples by several labels joined with `/`. */
export function byKey(samples: Sample[], labels: string[]): Map<string, Sample> {
  return new Map(samples.map((s) => [key(s.labels, labels), s]));
}

/** The labels' values joined with `/`. */
export function key(l: Record<string, string>, labels: string[]): string {
  return labels.map((x) => l[x] ?? '').join('/');
}

/** A finite number or `undefined` (histogram_quantile gives NaN without data). */
export function finite(x: number | undefined): number | undefined {
  return x !== undefined && Number.isFinite(x) ? x : undefined;
}

/** Runs of consecutive points (no gap longer than `step`) at or after `from` where `test` holds. */
export function runs(
  series: Series,
  from: number,
  step: number,
  test: (v: number) => boolean,
): { start: number; end: number; points: number }[] {
  const out: { start: number; end: number; points: number }[] = [];
  let cur: { start: number; end: number; points: number } | undefined;
  for (const [t, v] of series.points) {
    if (t < from) continue;
    if (test(v) && cur && t - cur.end <= step * 1.5) {
      cur.end = t;
      cur.points++;
    } else if (test(v)) {
      cur = { start: t, end: t, points: 1 };
      out.push(cur);
    } else cur = undefined;
  }
  return out;
}

/** `1234` → `1,234`; `12.3` → `12`; `0.42` → `0.42`: counts as a person reads them. */
export function count(n: number): string {
  return n >= 10 || Number.isInteger(n) ? Math.round(n).toLocaleString('en-US') : n.toFixed(1);
}

/** `0.153` → `15%`. */
export function pct(x: number): string {
  return `${x < 0.1 && x > 0 ? (100 * x).toFixed(1) : Math.round(100 * x)}%`;
}

/** Milliseconds as a person reads them: `850 ms`, `1.4 s`. */
export function ms(x: number): string {
  return x >= 1000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`;
}
