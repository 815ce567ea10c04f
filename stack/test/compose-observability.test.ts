/**
 * docker-compose.yml's Prometheus and Grafana, checked as data (no Docker here): pinned major versions,
 * read-only configs shared with the native run, loopback ports, exemplar storage, a Grafana admin
 * password that must come from the environment, and Jaeger's Monitor tab pointed at Prometheus.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCompose, toMap } from '../src/fleet.ts';
import { PROMETHEUS_PORT } from '../src/prometheus.ts';

const services = readCompose().services as Record<string, Record<string, unknown>>;
const prometheus = services['prometheus']!;
const grafana = services['grafana']!;

describe('docker-compose.yml: Prometheus, Grafana, Jaeger SPM', () => {
  it('runs prom/prometheus v3.x with the shared prometheus.yml read-only and exemplar storage on', () => {
    assert.match(String(prometheus['image']), /^prom\/prometheus:v3\.\d+\.\d+$/);
    assert.ok((prometheus['volumes'] as string[]).includes('./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro'));
    const command = (prometheus['command'] as string[]).join(' ');
    assert.match(command, /--config\.file=\/etc\/prometheus\/prometheus\.yml/);
    assert.match(command, /--enable-feature=exemplar-storage/);
    assert.deepEqual(prometheus['ports'], [`127.0.0.1:${PROMETHEUS_PORT}:${PROMETHEUS_PORT}`]);
  });

  it('runs grafana/grafana 13.x with provisioning and dashboards read-only on 127.0.0.1:3000', () => {
    assert.match(String(grafana['image']), /^grafana\/grafana:13\.\d+\.\d+$/);
    const volumes = grafana['volumes'] as string[];
    assert.ok(volumes.includes('./grafana/provisioning:/etc/grafana/provisioning:ro'));
    assert.ok(volumes.some((v) => v.startsWith('./grafana/dashboards:') && v.endsWith(':ro')));
    assert.deepEqual(grafana['ports'], ['127.0.0.1:3000:3000']);
  });

  it('takes the Grafana admin password from the environment with no default, and allows no anonymous access', () => {
    const env = toMap(grafana['environment'] as Record<string, unknown>);
    assert.match(
      env['GF_SECURITY_ADMIN_PASSWORD'] ?? '',
      /^\$\{[A-Z_]+:\?[^}]+\}$/,
      'must be ${VAR:?message}: compose refuses to start without it',
    );
    assert.equal(env['GF_AUTH_ANONYMOUS_ENABLED'], 'false');
  });

  it("points Jaeger's metrics backend (Monitor tab) at compose's Prometheus", () => {
    const env = toMap(services['jaeger']!['environment'] as Record<string, unknown>);
    assert.equal(env['JAEGER_PROMETHEUS_URL'], `http://prometheus:${PROMETHEUS_PORT}`);
  });
});
