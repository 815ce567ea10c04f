/**
 * Secure defaults of docker-compose.yml (compose cannot run here, so the file is checked as data):
 * every port on 127.0.0.1, Grafana only with a password from the environment and no anonymous
 * access, the Collector's token overlay mounted.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';

const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as {
  services: Record<string, { ports?: string[]; environment?: Record<string, string>; volumes?: string[] }>;
};

describe('docker-compose.yml secure defaults', () => {
  it('publishes every port on 127.0.0.1 only', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const p of s.ports ?? []) assert.match(String(p), /^127\.0\.0\.1:\d+:\d+$/, `${name}: ${p}`);
    }
  });

  it('starts Grafana only with an admin password from the environment, and no anonymous access', () => {
    const env = compose.services['grafana']?.environment ?? {};
    assert.match(env['GF_SECURITY_ADMIN_PASSWORD'] ?? '', /^\$\{GRAFANA_ADMIN_PASSWORD:\?[^}]+\}$/, 'required, no default');
    assert.equal(env['GF_AUTH_ANONYMOUS_ENABLED'], 'false');
    assert.ok(
      (compose.services['grafana']?.volumes ?? []).every((v) => v.endsWith(':ro')),
      'provisioning read-only',
    );
  });

  it('mounts the Collector token overlay', () => {
    assert.ok((compose.services['collector']?.volumes ?? []).some((v) => v.startsWith('./collector/auth.yaml:')));
  });
});
