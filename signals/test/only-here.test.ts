/**
 * The reading side's promise: every Prometheus metric name and every faultline label name is spelled
 * in one non-test source file, here. Generated files (dashboard JSON, rule files), docs, configs and
 * tests may spell them; no other TypeScript or JavaScript may.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { L, M, SPAN_KIND, STATUS } from '../src/index.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Names worth checking: every metric, and labels and values specific enough to grep for. */
function names(): string[] {
  const labels = Object.values(L).filter((l) => l.includes('_'));
  return [...new Set([...Object.values(M), ...labels, ...Object.values(SPAN_KIND), ...Object.values(STATUS)])];
}

/**
 * Non-test source files (tracked or new) that spell `name` as a word of its own, outside signals/src.
 * A dot next to it makes it part of another name (`faultline.client_id.overflow` is an attribute).
 */
function spelledElsewhere(name: string): string[] {
  let out: string;
  try {
    out = execFileSync(
      'git',
      [
        'grep',
        '-l',
        '-E',
        '--untracked',
        '-e',
        `(^|[^A-Za-z0-9_.])${name}([^A-Za-z0-9_.]|$)`,
        '--',
        '*.ts',
        '*.mjs',
        '*.js',
        '*.cjs',
        '*.sh',
        ':!signals/src/**',
        ':!**/test/**',
        ':!test/**',
        ':!**/*.test.ts',
        ':!bench/results/**',
      ],
      {
        cwd: REPO,
        encoding: 'utf8',
      },
    );
  } catch (err) {
    if ((err as { status?: number }).status === 1) return []; // git grep: no match
    throw err;
  }
  return out.split('\n').filter(Boolean);
}

describe('names are spelled only in signals/src', () => {
  it('checks a meaningful list', () => {
    assert.ok(names().length > 40, `only ${names().length} names`);
    assert.ok(names().includes(M.calls) && names().includes(L.clientId));
  });

  it('no other source file spells a metric or label name', () => {
    const found = Object.fromEntries(
      names()
        .map((n) => [n, spelledElsewhere(n)])
        .filter(([, files]) => files!.length > 0),
    );
    assert.deepEqual(found, {}, `spelled outside signals/src (use M.*, L.* from @faultline/signals):\n${JSON.stringify(found, null, 2)}`);
  });
});
