/**
 * The log side of the text output: a finding's log lines (time, severity, service, pool state, message,
 * trace link) and the deploy events recorded in the window. Nothing at all without a log store.
 */
import type { styleText } from 'node:util';
import type { Finding, IncidentReport } from './report-schema.ts';
import { clock } from './window.ts';
import { wrap } from './wrap.ts';

/** Paints `s` with a style of Node's `util.styleText` (or returns it as it is when colour is off). */
export type Paint = (style: Parameters<typeof styleText>[0], s: string) => string;
const WIDTH = 100;

/** The lines under a finding: `log HH:MM:SS warn api [pool 50/50, 7 waiting] DB connection timeout (12 like it)`, then its trace. */
export function logLines(f: Finding, indent: string, paint: Paint): string[] {
  const out: string[] = [];
  for (const l of f.logs ?? []) {
    const pool = l.pool ? ` [pool ${l.pool.used}/${l.pool.max}${l.pool.pending ? `, ${l.pool.pending} waiting` : ''}]` : '';
    const more = l.count && l.count > 1 ? ` (${l.count} like it)` : '';
    out.push(
      ...wrap(
        `${indent}log ${clock(Date.parse(l.time) / 1000)} ${l.severity} ${l.service}${pool} ${l.message}${more}`,
        WIDTH,
        indent + '  ',
      ),
    );
    if (l.traceUrl) out.push(paint('dim', `${indent}    trace ${l.traceUrl}`));
  }
  return out;
}

/** "recorded deploys" and one line per deploy event, when the report has any. */
export function recordedDeployLines(r: IncidentReport, paint: Paint): string[] {
  const out: string[] = [];
  if (r.logs?.deploys.length) {
    out.push('', 'recorded deploys (faultline deploy / curl):');
    for (const d of r.logs.deploys) out.push(...wrap(`  ${clock(Date.parse(d.time) / 1000)} ${d.text}`, WIDTH, '    '));
  }
  if (r.logs?.error) out.push(paint('dim', `log store not used: ${r.logs.error}`));
  return out;
}
