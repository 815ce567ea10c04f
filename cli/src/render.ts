/**
 * Text output of `faultline incident`: at most 100 columns (URLs longer than that stay whole), ANSI
 * colour only when the caller says so (a TTY without NO_COLOR).
 */
import type { CheckResult, Finding, IncidentReport } from './report-schema.ts';
import { clock, formatDuration } from './window.ts';
import { wrap } from './wrap.ts';
import { styleText } from 'node:util';
import { logLines, recordedDeployLines, type Paint } from './render-logs.ts';

/** Width of the text output. */
export const WIDTH = 100;

function finding(f: Finding, n: number, paint: Paint): string[] {
  const head = `${String(n).padStart(2)}. [${f.kind}] `;
  const indent = ' '.repeat(4);
  const colour = f.score >= 70 ? 'red' : f.score >= 50 ? 'yellow' : 'cyan';
  const [first = '', ...rest] = wrap(`${head}${f.title}`, WIDTH, indent);
  const lines = [paint(['bold', colour], first), ...rest.map((l) => paint('bold', l))];
  const when = f.since
    ? `since ${clock(Date.parse(f.since) / 1000)}${f.until && f.until !== f.since ? `, last ${clock(Date.parse(f.until) / 1000)}` : ''}`
    : '';
  for (const d of [...(when && !f.details.some((x) => x.includes(clock(Date.parse(f.since!) / 1000))) ? [when] : []), ...f.details])
    lines.push(...wrap(`${indent}${d}`, WIDTH, indent + '  '));
  for (const u of f.traces.urls) lines.push(paint('dim', `${indent}trace ${u}`));
  if (f.traces.urls.length === 0) lines.push(paint('dim', `${indent}no example trace found: search Jaeger (--json: traces.search)`));
  lines.push(...logLines(f, indent, paint));
  return lines;
}

function checkLine(c: CheckResult): string {
  const mark = !c.hasData ? '–' : c.findings > 0 ? '!' : '✓';
  const note = !c.hasData ? ' (no data)' : c.findings > 0 ? ` (${c.findings})` : '';
  return `  ${mark} ${c.name.padEnd(10)} ${c.description}${note}`;
}

/** Colour when stdout is a TTY and `NO_COLOR` is unset or empty (https://no-color.org). */
export function useColour(isTTY: boolean, env: Record<string, string | undefined>): boolean {
  return isTTY && !env['NO_COLOR'];
}

/** How the header names the edge and, unless `--edge` named it, how it was found. */
function edgeText(r: IncidentReport): string {
  switch (r.edgeFrom) {
    case 'marked':
      return `edge ${r.edge} (marked faultline.edge)`;
    case 'traffic':
      return `edge ${r.edge} (most client requests)`;
    case 'none':
      return 'no edge (no request carries a client ID)';
    default:
      return `edge ${r.edge}`;
  }
}

/**
 * The window as the header names it: `last 15m (to 14:50:55 UTC)` when it ends when the report was
 * made, else `2026-11-22 14:00:00–15:00:00 UTC (1h)`.
 */
export function windowText(r: Pick<IncidentReport, 'window' | 'generatedAt'>): string {
  const start = Date.parse(r.window.start) / 1000;
  const end = Date.parse(r.window.end) / 1000;
  if (Date.parse(r.generatedAt) / 1000 - end < 10) return `last ${formatDuration(r.window.seconds)} (to ${clock(end)} UTC)`;
  const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);
  return `${day(start)} ${clock(start)}–${day(end) === day(start) ? '' : `${day(end)} `}${clock(end)} UTC (${formatDuration(r.window.seconds)})`;
}

/** `alerts that fired: PoolSaturated (instance=api-1, …) 12:01:05–12:02:10; …`, one line per alert. */
function alertLines(r: IncidentReport): string[] {
  const fired = r.alerts ?? [];
  if (fired.length === 0) return [];
  const at = (t: string) => clock(Date.parse(t) / 1000);
  const labels = (l: Record<string, string>) =>
    Object.entries(l)
      .filter(([k]) => k !== 'severity')
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
  return [
    `alerts that fired in the window (${fired.length}):`,
    ...fired.flatMap((a) => wrap(`  ${a.name} (${labels(a.labels)}) ${at(a.start)}–${at(a.end)}`, WIDTH, '    ')),
  ];
}

/** @param colour - use ANSI colour (the caller decides from isTTY and NO_COLOR). */
export function renderText(r: IncidentReport, colour: boolean): string {
  // Node's styleText writes the escape codes; whether to colour at all is the caller's decision (a TTY
  // without NO_COLOR), so the stream check styleText would make is not repeated here.
  const paint: Paint = (style, s) => (colour ? styleText(style, s, { validateStream: false }) : s);
  const summary = r.findings.length === 0 ? 'no anomaly found' : `${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}`;
  const lines = wrap(
    `faultline incident: ${windowText(r)} vs the ${formatDuration(r.baseline.seconds)} before, ${edgeText(r)}: ${summary} (${(r.tookMs / 1000).toFixed(1)} s)`,
    WIDTH,
    '  ',
  ).map((l) => paint('bold', l));
  for (const n of r.notes ?? []) lines.push(...wrap(`  ${n}`, WIDTH, '    ').map((l) => paint('yellow', l)));
  const also = (r.alsoSeen ?? []).flatMap((a) => wrap(`also seen: ${a.title}`, WIDTH, '  '));
  const alerts = alertLines(r);
  if (r.findings.length === 0) {
    if (alerts.length) lines.push('', ...alerts);
    if (also.length) lines.push('', ...also);
    lines.push('', 'no anomaly found. Checked:');
    for (const c of r.checks) lines.push(...wrap(checkLine(c), WIDTH, ' '.repeat(15)));
    lines.push(...recordedDeployLines(r, paint));
    return lines.join('\n');
  }
  r.findings.forEach((f, i) => lines.push('', ...finding(f, i + 1, paint)));
  if (alerts.length) lines.push('', ...alerts);
  if (also.length) lines.push('', ...also);
  const clean = r.checks.filter((c) => c.hasData && c.findings === 0).map((c) => c.name);
  const noData = r.checks.filter((c) => !c.hasData).map((c) => c.name);
  lines.push(
    '',
    ...wrap(
      `also checked, nothing found: ${clean.join(', ') || '—'}${noData.length ? `; no data for: ${noData.join(', ')}` : ''}`,
      WIDTH,
      '  ',
    ).map((l) => paint('dim', l)),
  );
  lines.push(...recordedDeployLines(r, paint));
  return lines.join('\n');
}
