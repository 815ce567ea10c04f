/** Waiting for something that arrives later (a trace in Jaeger, a series in Prometheus). */

/**
 * Calls `probe` every `intervalMs` until it returns something other than `undefined`; a probe that
 * throws counts as not yet (the last error is quoted if time runs out).
 * @param what - what is awaited, for the error.
 * @param timeoutMs - default 60000. @param intervalMs - default 1000.
 * @returns the first value other than `undefined`.
 * @throws Error `timed out after <timeoutMs> ms waiting for <what>[: <last error>]`.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 1000): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
