/**
 * The Zipkin bridge (collector/zipkin-bridge/): its config is checked by its own binary's `validate`,
 * its README lists every env var, and docker-compose.yml runs it (and the optional Zipkin) with the
 * same config, the versions built natively, and loopback-only ports.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readCompose, toMap } from '../src/fleet.ts';
import { binaries, COLLECTOR_CONFIG, REPO_ROOT, requireBinary, ZIPKIN_BRIDGE_CONFIG } from '../src/paths.ts';
import { runToEnd } from '../src/process.ts';
import { ZIPKIN_PORT } from '../src/zipkin.ts';

const services = readCompose().services as Record<string, Record<string, unknown>>;
const bridgeDir = join(REPO_ROOT, 'collector', 'zipkin-bridge');

describe('collector/zipkin-bridge', () => {
  it('its config is valid for the native run and with the values docker-compose.yml sets', async () => {
    const bin = requireBinary('the Zipkin bridge', binaries().zipkinBridge);
    for (const env of [{}, toMap(services['zipkin-bridge']!.environment as Record<string, unknown>)]) {
      const r = await runToEnd(bin, ['validate', `--config=${ZIPKIN_BRIDGE_CONFIG}`], { env, timeoutMs: 30_000 });
      assert.equal(r.code, 0, r.stdout + r.stderr);
    }
  });

  it('the README lists every env var of its config with its default', () => {
    const readme = readFileSync(join(bridgeDir, 'README.md'), 'utf8');
    const vars = [...readFileSync(ZIPKIN_BRIDGE_CONFIG, 'utf8').matchAll(/\$\{env:([A-Z0-9_]+):-([^}]*)\}/g)];
    assert.ok(vars.length >= 4);
    for (const [, name, def] of vars) assert.ok(readme.includes(`| \`${name}\` | \`${def}\` |`), `no row "| \`${name}\` | \`${def}\` |"`);
  });

  it('the main Collector sends to it by env var, and compose points that at the bridge service', () => {
    const port = /ZIPKIN_BRIDGE_OTLP_GRPC_PORT:-(\d+)/.exec(readFileSync(ZIPKIN_BRIDGE_CONFIG, 'utf8'))?.[1];
    assert.match(readFileSync(COLLECTOR_CONFIG, 'utf8'), new RegExp(`ZIPKIN_BRIDGE_OTLP_ENDPOINT:-127\\.0\\.0\\.1:${port}\\}`));
    const env = toMap(services['collector']!.environment as Record<string, unknown>);
    assert.equal(env['ZIPKIN_BRIDGE_OTLP_ENDPOINT'], `zipkin-bridge:${port}`);
  });

  it('compose runs the bridge in the contrib image of the version built natively, with the same config read-only', () => {
    const version = /^\s*version:\s*([\d.]+)/m.exec(readFileSync(join(bridgeDir, 'builder-config.yaml'), 'utf8'))?.[1];
    const bridge = services['zipkin-bridge']!;
    assert.equal(bridge['image'], `otel/opentelemetry-collector-contrib:${version}`);
    assert.ok((bridge['volumes'] as string[]).includes('./collector/zipkin-bridge/config.yaml:/etc/otelcol/config.yaml:ro'));
    const config = readFileSync(ZIPKIN_BRIDGE_CONFIG, 'utf8');
    for (const key of Object.keys(toMap(bridge['environment'] as Record<string, unknown>))) {
      assert.ok(config.includes(`\${env:${key}:-`), `zipkin-bridge sets ${key}, which its config does not read`);
    }
    assert.equal(toMap(bridge['environment'] as Record<string, unknown>)['ZIPKIN_ENDPOINT'], `http://zipkin:${ZIPKIN_PORT}`);
  });

  it('compose runs Zipkin only in the `zipkin` profile, pinned to the jar version, bounded, on loopback', () => {
    const zipkin = services['zipkin']!;
    const version = /^ZIPKIN_VERSION=([\d.]+)$/m.exec(readFileSync(join(REPO_ROOT, 'scripts', 'bootstrap.sh'), 'utf8'))?.[1];
    assert.equal(zipkin['image'], `openzipkin/zipkin:${version}`);
    assert.deepEqual(zipkin['profiles'], ['zipkin']);
    const env = toMap(zipkin['environment'] as Record<string, unknown>);
    assert.equal(env['STORAGE_TYPE'], 'mem');
    assert.ok(Number(env['MEM_MAX_SPANS']) > 0);
    assert.deepEqual(zipkin['ports'], [`127.0.0.1:${ZIPKIN_PORT}:${ZIPKIN_PORT}`]);
  });
});
