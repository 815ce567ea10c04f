/** `faultline report` as Markdown, to paste into an incident document (pure). */
import type { TimelineEntry, TimelineReport } from '../report-schema.ts';
import { clock, formatDuration } from '../window.ts';

/** `14:05:10` or `14:05:10–14:06:40`. */
export function entryTime(e: Pick<TimelineEntry, 'time' | 'until'>): string {
  const from = clock(Date.parse(e.time) / 1000);
  const to = e.until ? clock(Date.parse(e.until) / 1000) : from;
  return to === from ? from : `${from}–${to}`;
}

/** Markdown-safe inline text (pipes and backticks in titles would break a table or code span). */
function text(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** The window as the heading names it: `2026-11-22 14:00:00–14:30:00 UTC (30m)`. */
export function windowTitle(r: Pick<TimelineReport, 'window'>): string {
  const day = r.window.start.slice(0, 10);
  return `${day} ${clock(Date.parse(r.window.start) / 1000)}–${clock(Date.parse(r.window.end) / 1000)} UTC (${formatDuration(r.window.seconds)})`;
}

/** The whole report; `chartFiles` (name → relative path) adds the charts as images (`--out DIR`). */
export function renderMarkdown(r: TimelineReport, chartFiles: Record<string, string> = {}): string {
  const lines = [`# Incident timeline: ${windowTitle(r)}`, ''];
  lines.push(
    `Compared with the ${formatDuration(r.baseline.seconds)} before; edge \`${r.edge || 'none'}\`; Prometheus ${r.sources.prometheus}, Jaeger ${r.sources.jaeger}.`,
  );
  for (const n of r.notes) lines.push('', `> ${text(n)}`);
  lines.push('', '## Timeline', '');
  if (r.entries.length === 0) lines.push('Nothing found in the window.');
  else {
    lines.push('| time (UTC) | what | numbers | evidence |', '|---|---|---|---|');
    for (const e of r.entries) {
      const numbers = Object.entries(e.evidence)
        .filter(([, v]) => typeof v === 'number')
        .slice(0, 5)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      const evidence = [e.trace ? `[trace](${e.trace})` : '', e.search ? `[more](${e.search})` : '', `\`${text(e.query)}\``]
        .filter(Boolean)
        .join(' ');
      const what = [`**${text(e.title)}**`, ...e.details.map(text)].join('<br>');
      lines.push(`| ${entryTime(e)} | ${what} | ${numbers} | ${evidence} |`);
    }
  }
  if (r.alsoSeen.length) lines.push('', '## Also seen', '', ...r.alsoSeen.map((a) => `- ${text(a.title)}`));
  if (r.charts.length) {
    lines.push('', '## Charts', '');
    for (const c of r.charts)
      lines.push(
        chartFiles[c.name] ? `![${c.title}](${chartFiles[c.name]})` : `- ${c.title} (\`--format html\` or \`--out DIR\` draws it)`,
      );
  }
  return `${lines.join('\n')}\n`;
}
