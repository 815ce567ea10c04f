/**
 * Debian's Prometheus 2.42 serves only the classic web UI, from `/usr/share/prometheus/web/`
 * (`--web.local-assets`), and that UI loads `static/popper.js/popper.min.js` as a classic script. In
 * Debian's layout that file is Popper's ES module build (it ends in `export{Popper as default}`), so
 * every classic UI page throws "Unexpected token 'export'" and Bootstrap's tooltips and dropdowns lose
 * Popper; the UMD build the UI was written for sits next to it, at `popper.js/umd/popper.min.js`.
 *
 * {@link classicUiAssets} builds, in the run dir, a copy of the assets directory made of symlinks to
 * Debian's files, in which `popper.js/popper.min.js` is the UMD build. Nothing is copied or changed in
 * the system's files. Any other layout (another Prometheus build) is used as it is.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's default `--web.local-assets`. */
export const DEBIAN_WEB_ASSETS = '/usr/share/prometheus/web';

/**
 * The assets directory to pass as `--web.local-assets`, or `undefined` to keep Prometheus' default:
 * when `source` holds Popper's ES module build where the classic UI expects a plain script and the UMD
 * build beside it, a symlink copy of `source` under `dir` with the UMD build in its place.
 * @param dir - a directory this function may empty and fill (e.g. `<runDir>/prometheus/web`).
 * @param source - the assets directory to mirror. Default {@link DEBIAN_WEB_ASSETS}.
 */
export function classicUiAssets(dir: string, source: string = DEBIAN_WEB_ASSETS): string | undefined {
  const popper = join(source, 'static', 'popper.js');
  const esm = join(popper, 'popper.min.js');
  const umd = join(popper, 'umd', 'popper.min.js');
  if (!existsSync(esm) || !existsSync(umd) || !/\bexport\s*\{/.test(readFileSync(esm, 'utf8'))) return undefined;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'static', 'popper.js'), { recursive: true });
  for (const entry of readdirSync(source)) {
    if (entry !== 'static') symlinkSync(realpathSync(join(source, entry)), join(dir, entry));
  }
  for (const entry of readdirSync(join(source, 'static'))) {
    if (entry !== 'popper.js') symlinkSync(realpathSync(join(source, 'static', entry)), join(dir, 'static', entry));
  }
  for (const entry of readdirSync(popper)) {
    const target = entry === 'popper.min.js' ? umd : join(popper, entry);
    symlinkSync(realpathSync(target), join(dir, 'static', 'popper.js', entry));
  }
  return dir;
}
