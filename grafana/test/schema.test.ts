/**
 * Every generated dashboard is valid for Grafana 12+ as the Grafana Foundation SDK types it: each JSON
 * file is type-checked by tsc against `DashboardJson` (grafana/src/schema.ts) as an object literal, so
 * unknown fields, wrong enum values and wrong option shapes fail. A broken copy proves the check bites.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DASHBOARDS } from '../src/dashboards.ts';
import { DASHBOARDS_DIR } from '../src/generate.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DIR = join(REPO, '.cache', 'grafana-typecheck');

/** tsc's verdict on `sources` (name → dashboard JSON text): exit code and diagnostics. */
function typecheck(sources: Record<string, string>): { code: number | null; out: string } {
  mkdirSync(DIR, { recursive: true });
  const files = Object.entries(sources).map(([name, json]) => {
    const file = join(DIR, `${name}.ts`);
    writeFileSync(
      file,
      `import type { DashboardJson } from '../../grafana/src/schema.ts';\nexport const dashboard = ${json.trim()} satisfies DashboardJson;\n`,
    );
    return file;
  });
  const r = spawnSync(
    process.execPath,
    [
      join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'),
      '--noEmit',
      '--strict',
      '--target',
      'es2023',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--allowImportingTsExtensions',
      '--skipLibCheck',
      '--types',
      'node',
      ...files,
    ],
    { encoding: 'utf8', cwd: REPO },
  );
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('dashboard JSON against the Foundation SDK types', () => {
  it('every generated dashboard type-checks as a Grafana 12+ dashboard (schemaVersion ≥ 41)', () => {
    const sources: Record<string, string> = {};
    for (const file of Object.keys(DASHBOARDS)) {
      const text = readFileSync(join(DASHBOARDS_DIR, file), 'utf8');
      assert.ok((JSON.parse(text) as { schemaVersion: number }).schemaVersion >= 41, file);
      sources[file.replace(/\.json$/, '')] = text;
    }
    const r = typecheck(sources);
    assert.equal(r.code, 0, r.out);
  });

  it('rejects a dashboard with a wrong enum value, an unknown field and a wrong option', () => {
    const d = JSON.parse(readFileSync(join(DASHBOARDS_DIR, 'clients.json'), 'utf8'));
    d.graphTooltip = 7;
    d.panels[4].noSuchField = true;
    d.panels[1].options.legend.displayMode = 'fancy';
    const r = typecheck({ broken: JSON.stringify(d) });
    assert.notEqual(r.code, 0);
    for (const what of ["Type '7'", 'noSuchField', 'Type \'"fancy"\'']) assert.match(r.out, new RegExp(what), r.out);
  });
});
