/** Time windows for the readers' `start, end` parameters (`@faultline/signals`' Jaeger and Prometheus clients). */

/**
 * The last `seconds` up to now, as `[start, end]` in unix seconds: spread it into a call,
 * `jaeger.findTraces(base, search, ...lookback(300), 20)` (Jaeger's `lookback=5m`).
 */
export function lookback(seconds: number): [number, number] {
  const now = Date.now() / 1000;
  return [now - seconds, now];
}
