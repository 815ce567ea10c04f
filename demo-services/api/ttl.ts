/**
 * Cache lifetimes spread around their setting, as caches in production set them: entries cached
 * together (a cold start fills the whole price cache within a minute) would otherwise all expire
 * together, one TTL later, and every client's hit ratio would dip at the same moment: a miss wave that
 * repeats each TTL and looks like an eviction.
 */

/** Share of the TTL each entry's lifetime may differ by, either way. */
export const TTL_SPREAD = 0.5;

/**
 * @param ttlS - the configured lifetime, seconds (≥ 1).
 * @param random - a number in [0, 1), `Math.random` by default (a test passes its own).
 * @returns a lifetime in whole seconds, uniform in ttlS × [1 − TTL_SPREAD, 1 + TTL_SPREAD], at least 1.
 */
export function spreadTtl(ttlS: number, random: () => number = Math.random): number {
  return Math.max(1, Math.round(ttlS * (1 - TTL_SPREAD + 2 * TTL_SPREAD * random())));
}
