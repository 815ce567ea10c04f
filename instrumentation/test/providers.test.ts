/**
 * The providers built from the standard OTEL_* variables without @opentelemetry/sdk-node (src/export/providers.ts):
 * the same sampler, span limits and log limits NodeSDK 0.300 would build from the same environment.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { logRecordLimitsFromEnv, samplerFromEnv, spanLimitsFromEnv } from '../src/export/providers.ts';

const touched = new Set<string>();
function env(vars: Record<string, string>): void {
  for (const [k, v] of Object.entries(vars)) {
    touched.add(k);
    process.env[k] = v;
  }
}
afterEach(() => {
  for (const k of touched) delete process.env[k];
  touched.clear();
});

describe('samplerFromEnv', () => {
  it('builds each sampler the specification names, with its ratio', () => {
    assert.equal(samplerFromEnv(), undefined, 'unset: the provider default (parentbased_always_on)');
    const cases: [string, string, RegExp][] = [
      ['always_on', '', /^AlwaysOnSampler$/],
      ['always_off', '', /^AlwaysOffSampler$/],
      ['parentbased_always_on', '', /^ParentBased\{root=AlwaysOnSampler/],
      ['parentbased_always_off', '', /^ParentBased\{root=AlwaysOffSampler/],
      ['traceidratio', '0.25', /^TraceIdRatioBased\{0\.25\}$/],
      ['parentbased_traceidratio', '0.1', /^ParentBased\{root=TraceIdRatioBased\{0\.1\}/],
      ['traceidratio', '7', /^TraceIdRatioBased\{1\}$/],
      ['traceidratio', '', /^TraceIdRatioBased\{1\}$/],
    ];
    for (const [name, arg, expected] of cases) {
      env({ OTEL_TRACES_SAMPLER: name, OTEL_TRACES_SAMPLER_ARG: arg });
      assert.match(String(samplerFromEnv()), expected, `${name} ${arg}`);
    }
    env({ OTEL_TRACES_SAMPLER: 'sometimes' });
    assert.equal(samplerFromEnv(), undefined, 'unknown: the default (checkOtelEnv warns)');
  });
});

describe('limits', () => {
  it('reads the span and log record limits, the specific variable before the general one', () => {
    assert.deepEqual(
      Object.values(spanLimitsFromEnv()).filter((v) => v !== undefined),
      [],
    );
    env({
      OTEL_ATTRIBUTE_COUNT_LIMIT: '64',
      OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '512',
      OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '100',
      OTEL_SPAN_EVENT_COUNT_LIMIT: '16',
      OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT: '32',
    });
    const s = spanLimitsFromEnv();
    assert.equal(s.attributeCountLimit, 64);
    assert.equal(s.attributeValueLengthLimit, 512);
    assert.equal(s.eventCountLimit, 16);
    assert.deepEqual(logRecordLimitsFromEnv(), { attributeCountLimit: 32, attributeValueLengthLimit: 100 });
  });
});
