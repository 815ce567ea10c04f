/**
 * Draws a Vega-Lite chart without a browser: compiled to Vega (vega-lite), rendered to SVG by Vega's
 * headless view, and to PNG from that SVG by resvg (`@resvg/resvg-js`, a prebuilt binary).
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** The chart as an SVG document (no fonts or images fetched). */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * A PNG of an SVG document at `scale` (default 2, for a sharp image in a chat or document).
 * @throws Error when the SVG cannot be parsed.
 */
export function toPng(svg: string, scale = 2): Buffer {
  const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true }, background: 'white' })
    .render()
    .asPng();
  return Buffer.from(png);
}
