/**
 * Every query a dashboard JSON makes: panel targets (rows' nested panels included), annotation
 * queries and query variables, each with where it comes from.
 */

/** One query of a dashboard. */
export interface DashboardQuery {
  /** `panel`, `annotation` or `variable`. */
  kind: 'panel' | 'annotation' | 'variable';
  /** Panel title, annotation name or variable name. */
  title: string;
  /** Panel type (`timeseries`, `table`, ...), `annotation` or `variable`. */
  panelType: string;
  refId: string;
  /** Datasource UID of the query (or of its panel). */
  datasourceUid?: string;
  /** Datasource type: `prometheus`, `jaeger`. */
  datasourceType?: string;
  /** PromQL (Prometheus) or `label_values(...)` (variables); absent for other datasources. */
  expr?: string;
  /** Instant query (tables) rather than a range query. */
  instant: boolean;
  /** The raw target, for other datasources. */
  raw: Record<string, unknown>;
}

type Json = Record<string, unknown>;
type Ref = { uid?: string; type?: string } | undefined;

function panelsOf(d: Json): Json[] {
  const out: Json[] = [];
  for (const p of (d['panels'] as Json[] | undefined) ?? []) {
    out.push(p);
    if (p['type'] === 'row') out.push(...((p['panels'] as Json[] | undefined) ?? []));
  }
  return out;
}

/** Every query of dashboard JSON `d`, panels first (in layout order), then annotations, then variables. */
export function dashboardQueries(d: Json): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const p of panelsOf(d)) {
    if (p['type'] === 'row') continue;
    for (const t of (p['targets'] as Json[] | undefined) ?? []) {
      const ds = (t['datasource'] ?? p['datasource']) as Ref;
      out.push({
        kind: 'panel',
        title: String(p['title']),
        panelType: String(p['type']),
        refId: String(t['refId']),
        datasourceUid: ds?.uid,
        datasourceType: ds?.type,
        expr: t['expr'] as string | undefined,
        instant: t['instant'] === true,
        raw: t,
      });
    }
  }
  for (const a of ((d['annotations'] as Json | undefined)?.['list'] as Json[] | undefined) ?? []) {
    const ds = a['datasource'] as Ref;
    out.push({
      kind: 'annotation',
      title: String(a['name']),
      panelType: 'annotation',
      refId: 'Anno',
      datasourceUid: ds?.uid,
      datasourceType: ds?.type,
      expr: a['expr'] as string | undefined,
      instant: false,
      raw: a,
    });
  }
  for (const v of ((d['templating'] as Json | undefined)?.['list'] as Json[] | undefined) ?? []) {
    if (v['type'] !== 'query') continue;
    const ds = v['datasource'] as Ref;
    const q = v['query'];
    const expr = typeof q === 'string' ? q : String((q as Json)['query']);
    out.push({
      kind: 'variable',
      title: String(v['name']),
      panelType: 'variable',
      refId: 'Var',
      datasourceUid: ds?.uid,
      datasourceType: ds?.type,
      expr,
      instant: true,
      raw: v,
    });
  }
  return out;
}

/** One panel of a dashboard (rows' nested panels included, rows themselves not) and what it reads. */
export interface DashboardPanel {
  title: string;
  /** Panel type: `timeseries`, `table`, `logs`, `alertlist`, … */
  panelType: string;
  /** The datasource type of each target (the panel's own when a target names none); empty for panels without targets. */
  datasourceTypes: string[];
  /** The rule source an `alertlist` panel reads (its `options.datasource`: a datasource name); undefined otherwise. */
  ruleSource?: string;
}

/** Every panel of dashboard JSON `d`, in layout order. */
export function dashboardPanels(d: Json): DashboardPanel[] {
  return panelsOf(d)
    .filter((p) => p['type'] !== 'row')
    .map((p) => {
      const options = p['options'] as Json | undefined;
      const ruleSource = p['type'] === 'alertlist' ? (options?.['datasource'] as string | undefined) : undefined;
      return {
        title: String(p['title']),
        panelType: String(p['type']),
        datasourceTypes: ((p['targets'] as Json[] | undefined) ?? []).map((t) =>
          String(((t['datasource'] ?? p['datasource']) as Ref)?.type),
        ),
        ...(ruleSource !== undefined ? { ruleSource } : {}),
      };
    });
}
