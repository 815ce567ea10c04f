import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DEFAULTS, readConfig } from '../src/config.ts';
import { resetWarnings, setWarningSink } from '../src/warn.ts';

describe('readConfig', () => {
  let lines: string[] = [];
  let restore: (line: string) => void;
  beforeEach(() => {
    lines = [];
    resetWarnings();
    restore = setWarningSink((l) => lines.push(l));
  });
  afterEach(() => setWarningSink(restore));

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
      FAULTLINE_POOL: ' db:5432/app ',
      FAULTLINE_BULLMQ: '0',
      FAULTLINE_SHUTDOWN_TIMEOUT_MS: '250',
      OTEL_METRIC_EXPORT_INTERVAL: '15000',
    });
    assert.equal(c.enabled, true);
    assert.equal(c.edge, false);
    assert.equal(c.clientIdHeader, 'x-tenant');
    assert.equal(c.clientIdMaxLength, 12);
    assert.equal(c.poolName, 'db:5432/app');
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
