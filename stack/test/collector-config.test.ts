/** collector/config.yaml is checked by the real Collector binary, so the docs and the config cannot drift. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { validateCollectorConfig } from '../src/collector.ts';
import { COLLECTOR_CONFIG, REPO_ROOT } from '../src/paths.ts';

describe('collector/config.yaml', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-collector-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is valid for the native run (defaults)', async () => {
    const r = await validateCollectorConfig(COLLECTOR_CONFIG, { COLLECTOR_STORAGE_DIR: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('is valid with the values docker-compose.yml sets', async () => {
    const r = await validateCollectorConfig(COLLECTOR_CONFIG, {
      COLLECTOR_BIND: '0.0.0.0',
      JAEGER_OTLP_ENDPOINT: 'jaeger:14317',
      ZIPKIN_BRIDGE_OTLP_ENDPOINT: 'zipkin-bridge:9412',
      COLLECTOR_STORAGE_DIR: dir,
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('a deliberately broken copy fails validation, naming the problem', async () => {
    const broken = join(dir, 'broken.yaml');
    const text = readFileSync(COLLECTOR_CONFIG, 'utf8');
    assert.match(text, /exporters: \[forward\/sampled, forward\/span_metrics, service_graph\]/);
    writeFileSync(
      broken,
      text.replace(
        'exporters: [forward/sampled, forward/span_metrics, service_graph]',
        'exporters: [forward/sampled, forward/span_metrics, no_such_exporter]',
      ),
    );
    const r = await validateCollectorConfig(broken, { COLLECTOR_STORAGE_DIR: dir });
    assert.notEqual(r.code, 0);
    assert.match(r.stdout + r.stderr, /no_such_exporter/);
  });

  it('a copy with an unknown component type fails validation', async () => {
    const broken = join(dir, 'unknown-type.yaml');
    writeFileSync(broken, readFileSync(COLLECTOR_CONFIG, 'utf8').replace(/^ {2}span_metrics:$/m, '  span_metricz:'));
    const r = await validateCollectorConfig(broken, { COLLECTOR_STORAGE_DIR: dir });
    assert.notEqual(r.code, 0);
  });

  it('the README lists every env var of the config with its default', () => {
    const readme = readFileSync(join(REPO_ROOT, 'collector', 'README.md'), 'utf8');
    const vars = [...readFileSync(COLLECTOR_CONFIG, 'utf8').matchAll(/\$\{env:([A-Z0-9_]+):-([^}]*)\}/g)];
    assert.ok(vars.length > 5);
    for (const [, name, def] of vars) {
      assert.ok(readme.includes(`| \`${name}\` | \`${def}\` |`), `collector/README.md: no row "| \`${name}\` | \`${def}\` |"`);
    }
  });

  it('the README names every component of the config', () => {
    const readme = readFileSync(join(REPO_ROOT, 'collector', 'README.md'), 'utf8');
    for (const name of [
      'otlp',
      'memory_limiter',
      'batch',
      'transform/sdk_labels',
      'otlp_grpc/jaeger',
      'span_metrics',
      'service_graph',
      'prometheus',
      'file_storage',
      'health_check',
    ]) {
      assert.ok(readme.includes(name), `collector/README.md does not mention ${name}`);
    }
  });

  it('every tail_sampling policy has its own comment in the config and a row in the README', () => {
    const text = readFileSync(COLLECTOR_CONFIG, 'utf8');
    const readme = readFileSync(join(REPO_ROOT, 'collector', 'README.md'), 'utf8');
    const all = text.split('\n');
    const from = all.indexOf('  tail_sampling:');
    const to = all.findIndex((l, i) => i > from && /^ {2}\S/.test(l));
    const lines = all.slice(0, to);
    assert.ok(from > 0 && to > from);
    const policies = lines.flatMap((l, i) =>
      i > from && /^ {6}- name: (\S+)$/.test(l) ? [{ name: l.trim().slice('- name: '.length), i }] : [],
    );
    assert.ok(policies.length >= 9, `${policies.length} policies`);
    for (const { name, i } of policies) {
      assert.match(lines[i - 1]!, /^ {6}# /, `policy ${name}: no comment right above it`);
      assert.ok(readme.includes(`| \`${name}\` |`), `collector/README.md: no row for policy ${name}`);
    }
  });
});
