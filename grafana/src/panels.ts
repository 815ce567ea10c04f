/** Panel builders with faultline's defaults: legends as tables, units, sizes that fill a 24-wide row. */
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import {
  LegendDisplayMode,
  LegendPlacement,
  SortOrder,
  StackingConfigBuilder,
  StackingMode,
  TooltipDisplayMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { MappingType, type DataTransformerConfig } from '@grafana/grafana-foundation-sdk/dashboard';
import * as nodegraph from '@grafana/grafana-foundation-sdk/nodegraph';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** Common panel options. */
export interface PanelOptions {
  /** Grid width out of 24. Default 12. */
  span?: number;
  /** Grid height. Default 8. */
  height?: number;
  /** Grafana unit id (`reqps`, `ms`, `s`, `percentunit`, `short`, ...). */
  unit?: string;
  /** Stack the series (shares of a total). */
  stacked?: boolean;
  min?: number;
  max?: number;
}

const legend = () =>
  new VizLegendOptionsBuilder()
    .showLegend(true)
    .displayMode(LegendDisplayMode.Table)
    .placement(LegendPlacement.Right)
    .calcs(['lastNotNull', 'max']);

/** A time series panel over `targets`. */
export function graph(title: string, description: string, targets: Builder<Dataquery>[], o: PanelOptions = {}): timeseries.PanelBuilder {
  const p = new timeseries.PanelBuilder()
    .title(title)
    .description(description)
    .span(o.span ?? 12)
    .height(o.height ?? 8)
    .targets(targets)
    .legend(legend())
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending))
    .fillOpacity(o.stacked ? 60 : 10)
    .lineWidth(1);
  if (o.unit) p.unit(o.unit);
  if (o.min !== undefined) p.min(o.min);
  if (o.max !== undefined) p.max(o.max);
  if (o.stacked) p.stacking(new StackingConfigBuilder().mode(StackingMode.Normal).group('A'));
  return p;
}

/**
 * A table of instant queries merged on their labels (one row per label set), with `columns` renaming
 * the `Value #<refId>` fields; sorted by the first column, descending.
 */
export function mergedTable(
  title: string,
  description: string,
  targets: Builder<Dataquery>[],
  columns: Record<string, string>,
  o: PanelOptions = {},
): table.PanelBuilder {
  const renames: Record<string, string> = {};
  for (const [refId, name] of Object.entries(columns)) renames[`Value #${refId}`] = name;
  const transformations: DataTransformerConfig[] = [
    { id: 'merge', options: {} },
    { id: 'organize', options: { excludeByName: { Time: true }, renameByName: renames } },
    { id: 'sortBy', options: { sort: [{ field: Object.values(columns)[0], desc: true }] } },
  ];
  const p = new table.PanelBuilder()
    .title(title)
    .description(description)
    .span(o.span ?? 12)
    .height(o.height ?? 8)
    .targets(targets)
    .transformations(transformations);
  if (o.unit) p.unit(o.unit);
  return p;
}

/** A state timeline of a circuit breaker's state gauge (0 closed, 1 half-open, 2 open). */
export function breakerStates(
  title: string,
  description: string,
  targets: Builder<Dataquery>[],
  o: PanelOptions = {},
): statetimeline.PanelBuilder {
  const state = (text: string, color: string) => ({ text, color });
  return new statetimeline.PanelBuilder()
    .title(title)
    .description(description)
    .span(o.span ?? 12)
    .height(o.height ?? 8)
    .targets(targets)
    .mappings([
      {
        type: MappingType.ValueToText,
        options: { '0': state('closed', 'green'), '1': state('half-open', 'yellow'), '2': state('open', 'red') },
      },
    ]);
}

/** A node graph (service dependencies). */
export function dependencyGraph(
  title: string,
  description: string,
  targets: Builder<Dataquery>[],
  o: PanelOptions = {},
): nodegraph.PanelBuilder {
  return new nodegraph.PanelBuilder()
    .title(title)
    .description(description)
    .span(o.span ?? 12)
    .height(o.height ?? 10)
    .targets(targets);
}
