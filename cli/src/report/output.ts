/**
 * Writes `faultline report` in the asked format: to stdout, and with `--out DIR` into DIR as
 * `report.<md|json|html>` with every chart as `<name>.svg` and `<name>.png`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuiltReport } from './build.ts';
import { toPng, toSvg } from './draw.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';

/** Report formats. */
export type ReportFormat = 'md' | 'json' | 'html';

/**
 * The report as text in `format`; with `outDir`, also the files there (created if missing).
 * @returns what goes to stdout: the report, or with `outDir` the list of files written.
 */
export async function writeReport(b: BuiltReport, format: ReportFormat, outDir?: string): Promise<string> {
  const needSvg = format === 'html' || outDir !== undefined;
  const svgs: Record<string, string> = {};
  if (needSvg) for (const c of b.charts) svgs[c.name] = await toSvg(c.spec);
  const files: Record<string, string> = outDir ? Object.fromEntries(b.charts.map((c) => [c.name, `${c.name}.png`])) : {};
  const text =
    format === 'json'
      ? `${JSON.stringify(b.report, null, 2)}\n`
      : format === 'html'
        ? renderHtml(b.report, svgs)
        : renderMarkdown(b.report, files);
  if (!outDir) return text;
  mkdirSync(outDir, { recursive: true });
  const written = [`report.${format}`];
  writeFileSync(join(outDir, `report.${format}`), text);
  for (const c of b.charts) {
    writeFileSync(join(outDir, `${c.name}.svg`), svgs[c.name]!);
    writeFileSync(join(outDir, `${c.name}.png`), toPng(svgs[c.name]!));
    written.push(`${c.name}.svg`, `${c.name}.png`);
  }
  return `${written.map((f) => join(outDir, f)).join('\n')}\n`;
}
