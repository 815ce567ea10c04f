/**
 * Runs a dashboard's Prometheus queries as Grafana would: variables and intervals substituted
 * (interpolate.ts), tables as instant queries at the range's end, graphs and annotations as range
 * queries over the range, variables as `label_values()`. Prometheus is asked through the one client
 * of `@faultline/signals`.
 */
import { prometheus, type Series } from '@faultline/signals';
import { interpolate, intervalMs, type RenderContext, type SavedVariable } from './interpolate.ts';
import { dashboardQueries, type DashboardQuery } from './targets.ts';

/** A query's outcome. */
export interface Evaluated {
  query: DashboardQuery;
  /** The PromQL sent, after substitution. */
  expr: string;
  /**
   * What came back, as series: a range query's as they are, an instant query's samples as one point
   * each (at the range's end), a variable's values as one series each with that label and no points.
   */
  series: Series[];
  /** Prometheus' error (or why it could not be asked), if it rejected the query. */
  error?: string;
}

/** The saved variables of dashboard JSON `d`. */
export function savedVariables(d: Record<string, unknown>): SavedVariable[] {
  return ((d['templating'] as Record<string, unknown> | undefined)?.['list'] as SavedVariable[] | undefined) ?? [];
}

/** Runs one query of dashboard `d` against Prometheus at `base`. */
export async function evaluate(base: string, d: Record<string, unknown>, q: DashboardQuery, ctx: RenderContext): Promise<Evaluated> {
  const expr = interpolate(q.expr ?? '', savedVariables(d), ctx);
  const end = ctx.to / 1000;
  const start = (ctx.to - ctx.rangeMs) / 1000;
  try {
    if (q.kind === 'variable') {
      const m = /^label_values\((.*),\s*(\w+)\)$/s.exec(expr);
      if (!m) throw new Error(`not a label_values() query: ${expr}`);
      const values = await prometheus.labelValues(base, m[2]!, m[1]!, start, end);
      return { query: q, expr, series: values.map((v) => ({ labels: { [m[2]!]: v }, points: [] })) };
    }
    const series = q.instant
      ? (await prometheus.instant(base, expr, end)).map((s) => ({ labels: s.labels, points: [[end, s.value] as [number, number]] }))
      : await prometheus.range(base, expr, start, end, intervalMs(ctx) / 1000);
    return { query: q, expr, series };
  } catch (e) {
    return { query: q, expr, series: [], error: (e as Error).message };
  }
}

/** Every Prometheus query of dashboard `d` (other datasources' queries are left out). */
export async function evaluateDashboard(base: string, d: Record<string, unknown>, ctx: RenderContext): Promise<Evaluated[]> {
  const out: Evaluated[] = [];
  for (const q of dashboardQueries(d)) if (q.datasourceType === 'prometheus') out.push(await evaluate(base, d, q, ctx));
  return out;
}

/** The latest value of a series (NaN if it has none). */
export function lastValue(s: Series): number {
  const last = s.points[s.points.length - 1];
  return last ? last[1] : Number.NaN;
}

/** The length of the dashboard's saved time range (`now-1h` → 3 600 000 ms). Default 1 h. */
export function dashboardRangeMs(d: Record<string, unknown>): number {
  const from = String((d['time'] as { from?: string } | undefined)?.from ?? 'now-1h');
  const m = /^now-(\d+)([smhd])$/.exec(from);
  if (!m) return 3_600_000;
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}
