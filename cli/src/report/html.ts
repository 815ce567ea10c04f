/**
 * `faultline report --format html` (pure): one self-contained page — the charts as inline SVG, the
 * timeline as a table; no script, no external resource.
 */
import type { TimelineReport } from '../report-schema.ts';
import { entryTime, windowTitle } from './markdown.ts';

/** HTML-escaped text. */
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** An SVG document without its XML prolog, for inlining. */
function inline(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, '');
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:6px;vertical-align:top;text-align:left}
td.t{white-space:nowrap;font-variant-numeric:tabular-nums}code{font-size:12px;word-break:break-all;color:#555}
.note{background:#fff6e0;padding:6px 10px;border-left:3px solid #e0a000}figure{margin:16px 0}figcaption{font-weight:600}`;

/**
 * The page.
 * @param svgs - each chart's SVG, by chart name (draw.ts).
 */
export function renderHtml(r: TimelineReport, svgs: Record<string, string>): string {
  const rows = r.entries
    .map(
      (e) =>
        `<tr data-kind="${esc(e.kind)}"><td class="t">${esc(entryTime(e))}</td><td><b>${esc(e.title)}</b>${e.details.map((d) => `<br>${esc(d)}`).join('')}</td>` +
        `<td>${e.trace ? `<a href="${esc(e.trace)}">trace</a> ` : ''}${e.search ? `<a href="${esc(e.search)}">more</a><br>` : ''}<code>${esc(e.query)}</code></td></tr>`,
    )
    .join('\n');
  const charts = r.charts
    .map(
      (c) =>
        `<figure class="chart" data-chart="${esc(c.name)}"><figcaption>${esc(c.title)}</figcaption>${inline(svgs[c.name] ?? '')}</figure>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Incident timeline ${esc(windowTitle(r))}</title><style>${STYLE}</style></head>
<body>
<h1>Incident timeline: ${esc(windowTitle(r))}</h1>
<p>Compared with the window before; edge <b>${esc(r.edge || 'none')}</b>. Prometheus ${esc(r.sources.prometheus)}, Jaeger ${esc(r.sources.jaeger)}.</p>
${r.notes.map((n) => `<p class="note">${esc(n)}</p>`).join('\n')}
${charts}
<h2>Timeline</h2>
${r.entries.length ? `<table><thead><tr><th>time (UTC)</th><th>what</th><th>evidence</th></tr></thead><tbody>\n${rows}\n</tbody></table>` : '<p>Nothing found in the window.</p>'}
${r.alsoSeen.length ? `<h2>Also seen</h2><ul>${r.alsoSeen.map((a) => `<li>${esc(a.title)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
