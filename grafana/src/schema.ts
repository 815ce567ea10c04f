/**
 * The dashboard JSON schema as the Grafana Foundation SDK types it (schemaVersion 42, Grafana 12+),
 * turned into plain-JSON types: enums become their literal values, methods disappear, panel options
 * and field config are typed per panel plugin, and targets are Prometheus, Jaeger or VictoriaLogs queries.
 * `grafana/test/schema.test.ts` type-checks every generated file against {@link DashboardJson}.
 */
import type * as common from '@grafana/grafana-foundation-sdk/common';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type * as logs from '@grafana/grafana-foundation-sdk/logs';
import type * as nodegraph from '@grafana/grafana-foundation-sdk/nodegraph';
import type * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import type * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import type * as table from '@grafana/grafana-foundation-sdk/table';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

type IsAny<T> = 0 extends 1 & T ? true : false;
type Fn = (...args: never[]) => unknown;

/** `T` as it appears in JSON: enum members as their values, no methods. */
export type Json<T> =
  IsAny<T> extends true
    ? unknown
    : T extends Fn
      ? never
      : T extends string
        ? `${T}`
        : T extends number
          ? `${T}` extends `${infer N extends number}`
            ? N
            : number
          : T extends boolean
            ? boolean
            : T extends readonly (infer U)[]
              ? Json<U>[]
              : T extends object
                ? { [K in keyof T as T[K] extends Fn ? never : K]: Json<T[K]> }
                : T;

/** A Jaeger datasource query (the SDK has no Jaeger types): the dependency graph. */
export interface JaegerQueryJson {
  refId: string;
  datasource: Json<common.DataSourceRef>;
  queryType: 'dependencyGraph' | 'search';
}

/** A VictoriaLogs datasource query (the plugin `victoriametrics-logs-datasource`; the SDK has no types for it). */
export interface VictoriaLogsQueryJson {
  refId: string;
  datasource: Json<common.DataSourceRef>;
  editorMode?: 'code' | 'builder';
  /** `instant`: log records (`/select/logsql/query`); `stats`, `statsRange`, `hits`: numbers. */
  queryType: 'instant' | 'stats' | 'statsRange' | 'hits';
  /** LogsQL. */
  expr: string;
  maxLines?: number;
}

/**
 * Options of Grafana's Alert list panel (`alertlist`, unified alerting; the SDK has no types for it), as
 * Grafana's own panel declares them (public/app/plugins/panel/alertlist/types.ts, UnifiedAlertListOptions).
 */
export interface AlertListOptionsJson {
  viewMode: 'list' | 'stat';
  groupMode: 'default' | 'custom';
  groupBy: string[];
  maxItems: number;
  /** Grafana's SortOrder: 1 A–Z, 2 Z–A, 3 importance, 4 oldest first, 5 newest first. */
  sortOrder: 1 | 2 | 3 | 4 | 5;
  /** Only the alerts of this dashboard. */
  dashboardAlerts: boolean;
  alertName: string;
  alertInstanceLabelFilter: string;
  /** The rule source: a datasource name (`grafana` for Grafana's own rules). */
  datasource?: string;
  folder?: { uid: string; title: string };
  showInstances: boolean;
  stateFilter: { firing: boolean; pending: boolean; noData: boolean; normal: boolean; error: boolean; recovering?: boolean };
}

type FieldConfigJson<Custom> = Omit<Json<dashboard.FieldConfigSource>, 'defaults'> & {
  defaults: Omit<Json<dashboard.FieldConfig>, 'custom'> & { custom?: Json<Custom> };
};
type Plugin<Type extends string, Options, Custom> = { type: Type; options?: Json<Options>; fieldConfig?: FieldConfigJson<Custom> };

/** Panel plugins the dashboards use, with their options and field config. */
type PluginJson =
  | Plugin<'timeseries', timeseries.Options, timeseries.FieldConfig>
  | Plugin<'table', table.Options, table.FieldConfig>
  | Plugin<'state-timeline', statetimeline.Options, statetimeline.FieldConfig>
  | Plugin<'nodeGraph', nodegraph.Options, Record<string, never>>
  | Plugin<'logs', logs.Options, Record<string, never>>
  | Plugin<'alertlist', AlertListOptionsJson, Record<string, never>>;

/** A panel: the SDK's Panel with typed plugin options and Prometheus/Jaeger/VictoriaLogs targets. */
export type PanelJson = Omit<Json<dashboard.Panel>, 'type' | 'options' | 'fieldConfig' | 'targets'> &
  PluginJson & {
    targets?: (Json<prometheus.Dataquery> | JaegerQueryJson | VictoriaLogsQueryJson)[];
  };

/** An annotation query whose target is a Prometheus or VictoriaLogs query. */
export type AnnotationJson = Omit<Json<dashboard.AnnotationQuery>, 'target'> & {
  target?: Json<prometheus.Dataquery> | VictoriaLogsQueryJson;
};

/** A whole dashboard as Grafana 12+ loads it from a provisioned file. */
export type DashboardJson = Omit<Json<dashboard.Dashboard>, 'panels' | 'annotations'> & {
  panels?: (PanelJson | (Omit<Json<dashboard.RowPanel>, 'panels' | 'id'> & { id?: number; panels: PanelJson[] }))[];
  annotations: { list?: AnnotationJson[] };
};
