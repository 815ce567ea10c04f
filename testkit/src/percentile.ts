/** The one percentile of faultline's measurements (tests and bench). */

/**
 * Nearest-rank percentile: the smallest value with at least `q` of the values at or below it.
 * @param sorted - values in ascending order (any unit).
 * @param q - the quantile, 0..1 (0.99 for p99).
 * @returns the value, or NaN when there is none.
 */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
