/** Reading the Collector's own counters (its `:8888` Prometheus endpoint). */

/**
 * Sum of every series of `otelcol_receiver_accepted_spans` (or another counter) at `metricsUrl`.
 * @returns the total, 0 when the counter is absent.
 */
export async function counter(metricsUrl: string, name = 'otelcol_receiver_accepted_spans'): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:_total)?(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'gm'))) sum += Number(m[1]);
  return sum;
}
