/**
 * Grafana's template substitution for Prometheus queries, for running saved queries outside Grafana:
 * `$__interval`, `$__rate_interval`, `$__range` (and `_s`, `_ms`) from the time range, the scrape
 * interval and the panel's max data points; dashboard variables from their saved `current` value
 * (`All` → `allValue`; values regex-escaped and `(a|b)`-joined for multi-value variables, as the
 * Prometheus datasource does).
 */

/** The time range and datasource settings a panel is rendered with. */
export interface RenderContext {
  /** Range end, ms since the epoch. */
  to: number;
  /** Range length, ms. */
  rangeMs: number;
  /** The datasource's `timeInterval` (scrape interval), ms. Provisioning: 5 s. */
  scrapeMs: number;
  /** Data points a panel asks for (its width in pixels). Default 1000. */
  maxDataPoints?: number;
  /** Variable values overriding the saved ones, e.g. `{ client: ['team-03'] }`. */
  values?: Record<string, string[]>;
}

/** A dashboard variable as saved in the JSON. */
export interface SavedVariable {
  name: string;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
  current?: { value?: string | string[] };
}

const NICE_MS = [
  10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_200_000,
  1_800_000, 3_600_000,
];

/** `$__interval` in ms: range / max data points, rounded up to a nice step, never below the scrape interval. */
export function intervalMs(ctx: RenderContext): number {
  const raw = ctx.rangeMs / (ctx.maxDataPoints ?? 1000);
  const nice = NICE_MS.find((n) => n >= raw) ?? raw;
  return Math.max(ctx.scrapeMs, nice);
}

/** `$__rate_interval` in ms: max($__interval + scrape interval, 4 × scrape interval). */
export function rateIntervalMs(ctx: RenderContext): number {
  return Math.max(intervalMs(ctx) + ctx.scrapeMs, 4 * ctx.scrapeMs);
}

/** Milliseconds as a PromQL duration (`20s`, `1500ms`). */
export function promDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}

/** Escapes regex metacharacters as Grafana's Prometheus datasource does for multi-value variables. */
function regexEscape(v: string): string {
  return v.replace(/[\\^$*+?.()|{}[\]]/g, '\\$&');
}

/** The text a variable stands for in a query. */
export function variableText(v: SavedVariable, override?: string[]): string {
  const raw = override ?? v.current?.value ?? [];
  const values = Array.isArray(raw) ? raw : [raw];
  if (values.includes('$__all'))
    return (
      v.allValue ??
      values
        .filter((x) => x !== '$__all')
        .map(regexEscape)
        .join('|')
    );
  if (!v.multi && !v.includeAll) return values[0] ?? '';
  const escaped = values.map(regexEscape);
  return escaped.length === 1 ? escaped[0]! : `(${escaped.join('|')})`;
}

/** `expr` with every built-in and dashboard variable replaced. */
export function interpolate(expr: string, variables: SavedVariable[], ctx: RenderContext): string {
  const rangeS = Math.round(ctx.rangeMs / 1000);
  const builtins: Record<string, string> = {
    __rate_interval: promDuration(rateIntervalMs(ctx)),
    __interval: promDuration(intervalMs(ctx)),
    __interval_ms: String(intervalMs(ctx)),
    __range: `${rangeS}s`,
    __range_s: String(rangeS),
    __range_ms: String(ctx.rangeMs),
  };
  for (const v of variables) builtins[v.name] = variableText(v, ctx.values?.[v.name]);
  return expr.replace(/\$\{(\w+)\}|\[\[(\w+)\]\]|\$(\w+)/g, (whole, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c!;
    return name in builtins ? builtins[name]! : whole;
  });
}
