/**
 * `npm run dashboards`: writes every dashboard's JSON to grafana/dashboards/ (committed; Grafana
 * provisions it from there). `--check` writes nothing and exits 1 if a committed file differs.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderDashboards } from './dashboards.ts';

/** `grafana/dashboards/`. */
export const DASHBOARDS_DIR: string = fileURLToPath(new URL('../dashboards/', import.meta.url));

/** Names of files whose committed content differs from the generated one (missing and stale included). */
export function staleDashboards(dir: string = DASHBOARDS_DIR): string[] {
  const want = renderDashboards();
  const stale = Object.entries(want)
    .filter(([f, text]) => !existsSync(join(dir, f)) || readFileSync(join(dir, f), 'utf8') !== text)
    .map(([f]) => f);
  const extra = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json') && !(f in want)) : [];
  return [...stale, ...extra];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const stale = staleDashboards();
    if (stale.length) {
      console.error(`out of date: ${stale.join(', ')} (run npm run dashboards)`);
      process.exit(1);
    }
    console.log('dashboards up to date');
  } else {
    mkdirSync(DASHBOARDS_DIR, { recursive: true });
    for (const [file, text] of Object.entries(renderDashboards())) {
      writeFileSync(join(DASHBOARDS_DIR, file), text);
      console.log(`wrote grafana/dashboards/${file}`);
    }
  }
}
