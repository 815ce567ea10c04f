import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULTS, readConfig } from '../src/config.ts';
import { checkOtelEnv } from '../src/otel-env.ts';
import { captureWarnings } from './support/warnings.ts';

describe('readConfig', () => {
  const lines = captureWarnings();

  it('gives the documented defaults for an empty environment', () => {
    assert.deepEqual({ ...readConfig({}) }, { ...DEFAULTS });
    assert.equal(lines.length, 0);
  });

  it('reads every FAULTLINE_* option', () => {
    const c = readConfig({
      FAULTLINE_ENABLED: 'yes',
      FAULTLINE_EDGE: 'false',
      FAULTLINE_CLIENT_ID_HEADER: 'X-Tenant',
      FAULTLINE_CLIENT_ID_MAX_LENGTH: '12',
      FAULTLINE_METRICS_CLIENT_LIMIT: '50',
      FAULTLINE_POOL: ' db:5432/app ',
      FAULTLINE_POOL_CONNECT_SPAN_MIN_MS: '0',
      FAULTLINE_BULLMQ: '0',
      FAULTLINE_SHUTDOWN_TIMEOUT_MS: '250',
      OTEL_METRIC_EXPORT_INTERVAL: '15000',
    });
    // Every option but `enabled` (whose only other value disables everything) differs from its default.
    for (const k of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) if (k !== 'enabled') assert.notEqual(c[k], DEFAULTS[k], k);
    assert.equal(c.enabled, true);
    assert.equal(c.edge, false);
    assert.equal(c.clientIdHeader, 'x-tenant');
    assert.equal(c.clientIdMaxLength, 12);
    assert.equal(c.metricsClientLimit, 50);
    assert.equal(c.poolName, 'db:5432/app');
    assert.equal(c.poolConnectSpanMinMs, 0);
    assert.equal(c.bullmq, false);
    assert.equal(c.shutdownTimeoutMs, 250);
    assert.equal(c.metricExportIntervalMs, 15000);
    assert.equal(lines.length, 0);
  });

  it('replaces each bad value by its default with one warning naming the variable and the value used', () => {
    const c = readConfig({
      FAULTLINE_EDGE: 'maybe',
      FAULTLINE_CLIENT_ID_HEADER: 'bad header:',
      FAULTLINE_CLIENT_ID_MAX_LENGTH: '100000',
      FAULTLINE_SHUTDOWN_TIMEOUT_MS: '1.5',
      OTEL_METRIC_EXPORT_INTERVAL: 'soon',
    });
    assert.equal(c.edge, DEFAULTS.edge);
    assert.equal(c.clientIdHeader, DEFAULTS.clientIdHeader);
    assert.equal(c.clientIdMaxLength, DEFAULTS.clientIdMaxLength);
    assert.equal(c.shutdownTimeoutMs, DEFAULTS.shutdownTimeoutMs);
    assert.equal(c.metricExportIntervalMs, DEFAULTS.metricExportIntervalMs);
    assert.equal(lines.length, 5);
    assert.match(lines[0]!, /^\[faultline\] FAULTLINE_EDGE="maybe" is not a boolean .*; using true\.\n$/);
    assert.match(lines.join(''), /FAULTLINE_CLIENT_ID_MAX_LENGTH="100000" is not an integer from 1 to 256; using 64/);
    assert.match(lines.join(''), /OTEL_METRIC_EXPORT_INTERVAL="soon" .* using 5000/);
  });

  it('warns once per variable however often the config is read', () => {
    readConfig({ FAULTLINE_EDGE: 'maybe' });
    readConfig({ FAULTLINE_EDGE: 'maybe' });
    assert.equal(lines.length, 1);
  });
});

describe('checkOtelEnv', () => {
  const lines = captureWarnings();

  it('is quiet for good values', () => {
    const reported = checkOtelEnv({
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
      OTEL_BSP_MAX_QUEUE_SIZE: '4096',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_RESOURCE_ATTRIBUTES: 'service.version=1.2.3,deployment.environment.name=prod',
    });
    assert.deepEqual(reported, []);
    assert.equal(lines.length, 0);
  });

  it('names each bad variable, its value and what is used instead', () => {
    const reported = checkOtelEnv({
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_BSP_MAX_QUEUE_SIZE: 'big',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_RESOURCE_ATTRIBUTES: 'service.version',
    });
    assert.deepEqual(reported.sort(), [
      'OTEL_BSP_MAX_QUEUE_SIZE',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_EXPORTER_OTLP_PROTOCOL',
      'OTEL_RESOURCE_ATTRIBUTES',
      'OTEL_TRACES_SAMPLER',
    ]);
    const text = lines.join('');
    assert.match(text, /OTEL_TRACES_SAMPLER="sometimes" is not one of .*; using parentbased_always_on\./);
    assert.match(text, /OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318" is not an http\(s\) URL; using http:\/\/localhost:4318\./);
    assert.match(text, /OTEL_BSP_MAX_QUEUE_SIZE="big" is not a non-negative integer; using 2048\./);
  });

  it('checks the sampler argument only for ratio samplers', () => {
    assert.deepEqual(checkOtelEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' }), ['OTEL_TRACES_SAMPLER_ARG']);
    assert.deepEqual(checkOtelEnv({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: '2' }), []);
  });
});
