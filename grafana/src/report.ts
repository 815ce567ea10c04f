/**
 * `npm run dashboards:report [-- --prometheus URL] [--top N]`: for every panel (and annotation and
 * variable) of every dashboard, the query as sent and the current top values from the live Prometheus.
 * Default Prometheus: `$FAULTLINE_PROMETHEUS_URL`, else http://127.0.0.1:9090.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { renderDashboards } from './dashboards.ts';
import { EMPTY_WHILE_QUIET } from './alerts.ts';
import { dashboardRangeMs, evaluateDashboard, lastValue, type Evaluated } from './evaluate.ts';

/** Scrape interval of faultline's Prometheus (prometheus/prometheus.yml), ms. */
export const SCRAPE_MS = 5000;

function describeSeries(e: Evaluated, top: number): string[] {
  if (e.error) return [`    ERROR ${e.error}`];
  if (e.series.length === 0) return [EMPTY_WHILE_QUIET.has(e.query.expr ?? '') ? '    (none firing now)' : '    (no series)'];
  if (e.query.kind === 'variable') return [`    ${e.series.map((s) => Object.values(s.labels)[0]).join(', ')}`];
  const ranked = [...e.series].sort((a, b) => (lastValue(b) || 0) - (lastValue(a) || 0));
  const lines = ranked.slice(0, top).map((s) => {
    const labels =
      Object.entries(s.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ') || '(no labels)';
    const v = lastValue(s);
    return `    ${Number.isFinite(v) ? Number(v.toPrecision(4)) : v}  ${labels}`;
  });
  if (ranked.length > top) lines.push(`    … ${ranked.length - top} more`);
  return lines;
}

/** The report's text for Prometheus at `base`, evaluated at `now`. */
export async function report(base: string, top = 5, now = Date.now()): Promise<string> {
  const out: string[] = [];
  for (const [file, text] of Object.entries(renderDashboards())) {
    const d = JSON.parse(text) as Record<string, unknown>;
    out.push(`== ${d['title']} (${file})`);
    for (const e of await evaluateDashboard(base, d, { to: now, rangeMs: dashboardRangeMs(d), scrapeMs: SCRAPE_MS })) {
      out.push(
        `[${e.query.kind}] ${e.query.title} / ${e.query.refId}${e.query.instant ? ' (instant)' : ''}`,
        `    ${e.expr}`,
        ...describeSeries(e, top),
      );
    }
  }
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { prometheus: { type: 'string' }, top: { type: 'string' } } });
  const base = values.prometheus ?? process.env['FAULTLINE_PROMETHEUS_URL'] ?? 'http://127.0.0.1:9090';
  try {
    console.log(await report(base.replace(/\/$/, ''), Number(values.top ?? 5)));
  } catch (e) {
    console.error(`dashboards:report: cannot query Prometheus at ${base}: ${(e as Error).message}`);
    process.exit(2);
  }
}
