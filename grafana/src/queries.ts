/**
 * Query builders for the panels: PromQL targets on faultline's Prometheus and the Jaeger dependency
 * graph, each with its datasource and refId set (Grafana needs both to run a saved query).
 */
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { JAEGER, PROMETHEUS } from './datasources.ts';

/** Options of {@link prom}. */
export interface PromOptions {
  /** Legend template, e.g. `{{instance}}`. */
  legend?: string;
  /** Query ref id. Default `A`. */
  refId?: string;
  /** Instant query shown as a table (top-N tables). Default: range query as time series. */
  table?: boolean;
  /** Ask for exemplars (latency histograms: trace IDs linked to Jaeger). */
  exemplar?: boolean;
}

/** A PromQL target on faultline's Prometheus. */
export function prom(expr: string, opts: PromOptions = {}): DataqueryBuilder {
  const q = new DataqueryBuilder()
    .datasource(PROMETHEUS)
    .refId(opts.refId ?? 'A')
    .expr(expr)
    .legendFormat(opts.legend ?? '__auto');
  if (opts.table) q.instant().format(PromQueryFormat.Table);
  else q.range();
  if (opts.exemplar) q.exemplar(true);
  return q;
}

/** Jaeger's service dependency graph (node graph frames), as the Jaeger datasource queries it. */
export function jaegerDependencyGraph(refId = 'A'): Builder<Dataquery> {
  return {
    build: () => ({ refId, datasource: JAEGER, queryType: 'dependencyGraph', _implementsDataqueryVariant() {} }) as Dataquery,
  };
}
