/**
 * One copy of each OpenTelemetry package in the lockfile: two copies of `@opentelemetry/api` or of the
 * SDK mean two globals and silently lost spans, the classic way an OpenTelemetry setup breaks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

describe('package-lock.json', () => {
  it('holds exactly one version of every @opentelemetry package', () => {
    const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };
    const versions = new Map<string, Set<string>>();
    for (const [path, meta] of Object.entries(lock.packages)) {
      const m = /(?:^|\/)node_modules\/(@opentelemetry\/[^/]+)$/.exec(path);
      if (!m || !meta.version) continue;
      versions.set(m[1]!, (versions.get(m[1]!) ?? new Set()).add(meta.version));
    }
    assert.ok(versions.has('@opentelemetry/api') && versions.has('@opentelemetry/sdk-node'));
    const dupes = [...versions].filter(([, v]) => v.size > 1).map(([n, v]) => `${n}: ${[...v].join(', ')}`);
    assert.deepEqual(dupes, []);
  });
});
