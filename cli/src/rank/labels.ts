/** PromQL label matchers built from values read back from Prometheus (pure). */

/** A PromQL string literal: `"..."` with `\` and `"` escaped. */
export function q(value: string): string {
  return JSON.stringify(value);
}

/** `{a="x",b="y"}` from pairs; empty values are matched as `""` (label absent). */
export function selector(metric: string, labels: Record<string, string>): string {
  return `${metric}{${Object.entries(labels).map(([k, v]) => `${k}=${q(v)}`).join(',')}}`;
}
