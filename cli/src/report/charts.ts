/**
 * The report's charts as Vega-Lite specifications (pure): requests per client (stacked, the culprits
 * in red, everyone else in greys), pool connections used against the maximum with the requests
 * waiting, and traffic per instance of the edge's upstream service; deploys, alerts and status
 * events (breaker transitions, ejections) as vertical rules on each.
 */
import { L, type Series } from '@faultline/signals';
import type { TopLevelSpec } from 'vega-lite';
import type { Observations } from '../observations.ts';
import type { TimelineEntry } from '../report-schema.ts';
import { iso } from '../window.ts';

/** One chart: its file name, title, the series it draws and its spec. */
export interface Chart {
  name: string;
  title: string;
  series: string[];
  spec: TopLevelSpec;
}

/** Size of every chart, px. */
export const CHART_SIZE = { width: 760, height: 220 } as const;
/** The culprits' colours, then the greys of everyone else. */
const CULPRIT_COLOURS = ['#d62728', '#ff7f0e', '#9467bd'];
/** The colour of each marker type. */
const MARKER_COLOURS = { deploy: '#2ca02c', alert: '#d62728', status: '#7f7f7f' } as const;

/** A vertical marker. */
export interface Marker {
  t: string;
  type: keyof typeof MARKER_COLOURS;
  label: string;
}

/** Deploys, alerts and status events (breaker transitions, ejections) of the timeline as markers. */
export function markers(entries: TimelineEntry[]): Marker[] {
  const type = (e: TimelineEntry): Marker['type'] | undefined =>
    e.kind === 'deploy'
      ? 'deploy'
      : e.kind === 'alert'
        ? 'alert'
        : e.kind === 'breaker-transition' || e.kind === 'ejection'
          ? 'status'
          : undefined;
  return entries.flatMap((e) => {
    const t = type(e);
    return t ? [{ t: e.time, type: t, label: e.subject }] : [];
  });
}

/** Rows `{t, series, value}` of range series, named by `name(labels)`. */
function rows(
  series: Series[],
  name: (l: Record<string, string>) => string,
  extra: Record<string, string> = {},
): Record<string, string | number>[] {
  return series.flatMap((s) =>
    s.points.filter(([, v]) => Number.isFinite(v)).map(([t, v]) => ({ t: iso(t), series: name(s.labels), value: +v.toFixed(3), ...extra })),
  );
}

/** The layers every chart shares: its time axis (UTC) and the markers as rules with their labels. */
function withMarkers(main: Record<string, unknown>, ms: Marker[], title: string, yTitle: string): TopLevelSpec {
  const rules = ms.length
    ? [
        {
          data: { values: ms },
          mark: { type: 'rule', strokeWidth: 1.5, strokeDash: [4, 3] },
          encoding: {
            x: { field: 't', type: 'temporal' },
            color: {
              field: 'type',
              type: 'nominal',
              scale: { domain: Object.keys(MARKER_COLOURS), range: Object.values(MARKER_COLOURS) },
              legend: null,
            },
          },
        },
        {
          data: { values: ms },
          mark: { type: 'text', angle: 270, align: 'right', baseline: 'bottom', dx: -4, dy: -2, fontSize: 9, y: 0 },
          encoding: { x: { field: 't', type: 'temporal' }, text: { field: 'label' } },
        },
      ]
    : [];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    ...CHART_SIZE,
    background: 'white',
    layer: [main, ...rules],
    resolve: { scale: { color: 'independent' } },
    config: { axisX: { title: null }, axisY: { title: yTitle } },
  } as TopLevelSpec;
}

const X = { field: 't', type: 'temporal', scale: { type: 'utc' }, axis: { format: '%H:%M:%S' } };

/** Requests per second per client at the edge, stacked; `culprits` (largest first) stand out in red. */
export function requestsChart(o: Observations, culprits: string[], ms: Marker[]): Chart {
  const data = rows(o.range.clientRate, (l) => l[L.clientId] ?? '');
  const totals = new Map<string, number>();
  for (const r of data) totals.set(r['series'] as string, (totals.get(r['series'] as string) ?? 0) + (r['value'] as number));
  const marked = culprits.filter((c) => totals.has(c)).slice(0, CULPRIT_COLOURS.length);
  const others = [...totals]
    .filter(([c]) => !marked.includes(c))
    .sort((a, b) => b[1] - a[1])
    .map(([c]) => c);
  const greys = others.map((_, i) => `hsl(210, 12%, ${48 + Math.round((40 * i) / Math.max(1, others.length - 1))}%)`);
  const domain = [...marked, ...others];
  const main = {
    data: { values: data },
    mark: { type: 'area', interpolate: 'step-after' },
    encoding: {
      x: X,
      y: { field: 'value', type: 'quantitative', stack: 'zero' },
      color: {
        field: 'series',
        type: 'nominal',
        title: 'client',
        scale: { domain, range: [...CULPRIT_COLOURS.slice(0, marked.length), ...greys] },
        legend: { values: domain.slice(0, 8), symbolLimit: 8 },
      },
      order: { field: 'rank', type: 'quantitative' },
    },
    transform: [{ calculate: `indexof(${JSON.stringify(domain)}, datum.series)`, as: 'rank' }],
  };
  const title = marked.length ? `requests per client at ${o.edge} (${marked.join(', ')} in colour)` : `requests per client at ${o.edge}`;
  return { name: 'requests-by-client', title, series: domain, spec: withMarkers(main, ms, title, 'requests/s') };
}

/**
 * A step-line layer of `data` rows (`time`, `value`, `series`), coloured by series under `colourTitle`;
 * `extra` adds encodings (e.g. a stroke dash per measure).
 */
function stepLines(data: Record<string, unknown>[], colourTitle: string, extra: Record<string, unknown> = {}) {
  return {
    data: { values: data },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: X,
      y: { field: 'value', type: 'quantitative' },
      color: { field: 'series', type: 'nominal', title: colourTitle },
      ...extra,
    },
  };
}

/** Pool connections used per instance against its maximum (dotted), and the requests waiting (dashed). */
export function poolChart(o: Observations, ms: Marker[]): Chart | undefined {
  if (o.range.poolUsed.length === 0 && o.range.poolPending.length === 0) return undefined;
  const where = (l: Record<string, string>) => l[L.instance] ?? l[L.service] ?? '?';
  const max = new Map(o.instant.poolMax.map((s) => [where(s.labels), s.value]));
  const first = o.range.poolUsed[0]?.points[0]?.[0] ?? o.window.end - o.window.seconds - o.window.baselineSeconds;
  const maxRows = [...max]
    .map(([instance, v]) => [first, o.window.end].map((t) => ({ t: iso(t), series: `${instance} max`, value: v, measure: 'max' })))
    .flat();
  const data = [
    ...rows(o.range.poolUsed, (l) => `${where(l)} used`, { measure: 'used' }),
    ...rows(o.range.poolPending, (l) => `${where(l)} waiting`, { measure: 'waiting' }),
    ...maxRows,
  ];
  const main = stepLines(data, 'pool', {
    strokeDash: {
      field: 'measure',
      type: 'nominal',
      scale: {
        domain: ['used', 'waiting', 'max'],
        range: [
          [1, 0],
          [6, 3],
          [2, 2],
        ],
      },
      title: null,
    },
  });
  const series = [...new Set(data.map((r) => r['series'] as string))];
  return {
    name: 'pool',
    title: 'pool connections used (max dotted) and requests waiting',
    series,
    spec: withMarkers(main, ms, 'pool connections used (max dotted) and requests waiting', 'connections / requests'),
  };
}

/**
 * The service behind the edge (its load balancer's backends): the one the edge calls most in the
 * service graph, else the busiest service with several instances other than the edge.
 */
export function upstreamService(o: Observations, graph: { labels: Record<string, string>; value: number }[]): string | undefined {
  const perService = new Map<string, Set<string>>();
  for (const s of o.range.instanceRate) {
    const svc = s.labels[L.service];
    if (svc) perService.set(svc, (perService.get(svc) ?? new Set()).add(s.labels[L.instance] ?? ''));
  }
  const called = [...graph]
    .sort((a, b) => b.value - a.value)
    .map((s) => s.labels[L.graphServer])
    .find((svc) => svc && perService.has(svc));
  if (called) return called;
  const busy = (svc: string) =>
    o.range.instanceRate.filter((s) => s.labels[L.service] === svc).reduce((a, s) => a + s.points.reduce((b, p) => b + p[1], 0), 0);
  return [...perService].filter(([svc, inst]) => svc !== o.edge && inst.size > 1).sort((a, b) => busy(b[0]) - busy(a[0]))[0]?.[0];
}

/** Requests per second per instance of the edge's upstream service (the load balancer's backends). */
export function backendsChart(o: Observations, upstream: string | undefined, ms: Marker[]): Chart | undefined {
  if (!upstream) return undefined;
  const data = rows(
    o.range.instanceRate.filter((s) => s.labels[L.service] === upstream),
    (l) => l[L.instance] ?? upstream,
  );
  const main = stepLines(data, `${upstream} instance`);
  const title = `traffic per ${o.edge} backend (instances of ${upstream}, health checks excluded)`;
  return {
    name: 'backends',
    title,
    series: [...new Set(data.map((r) => r['series'] as string))],
    spec: withMarkers(main, ms, title, 'requests/s'),
  };
}
