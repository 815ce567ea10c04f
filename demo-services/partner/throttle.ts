/**
 * The `partner-throttle` scenario's answer plan: while it is on, most answers are slow (past the
 * api's per-attempt timeout) or refused with 429/503; a few still succeed, as a struggling real API's do.
 */

/** How one answer goes. */
export type Fate = { kind: 'ok' } | { kind: 'slow'; delayMs: number } | { kind: 'status'; status: 429 | 503 };

/** Knobs of {@link throttleFate}. */
export interface ThrottleOptions {
  /** Percentage of answers that still succeed normally (0–100). */
  okPercent: number;
  /** Delay of a slow answer, ms. */
  slowMs: number;
}

/**
 * @param u - a uniform random number in [0, 1).
 * @returns `ok` for `okPercent`% of `u`, the rest split evenly: slow, 429, 503.
 */
export function throttleFate(opts: ThrottleOptions, u: number): Fate {
  const ok = Math.min(100, Math.max(0, opts.okPercent)) / 100;
  if (u < ok) return { kind: 'ok' };
  const r = (u - ok) / (1 - ok || 1);
  if (r < 1 / 3) return { kind: 'slow', delayMs: opts.slowMs };
  return { kind: 'status', status: r < 2 / 3 ? 429 : 503 };
}
