import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withTelemetry } from '../src/instrumentations/bullmq.ts';
import { replaceExports } from '../src/instrumentations/module-exports.ts';

describe('replaceExports', () => {
  it('assigns in place when the export is writable', () => {
    const ns = { A: 1, B: 2 };
    const out = replaceExports(ns, { A: 10 });
    assert.equal(out, ns);
    assert.equal(ns.A, 10);
  });
  it('returns a copy when the exports are getters (CommonJS re-exports)', () => {
    const cjs = {};
    Object.defineProperty(cjs, 'A', { enumerable: true, get: () => 1 });
    Object.defineProperty(cjs, 'B', { enumerable: true, get: () => 2 });
    const out = replaceExports(cjs, { A: 10, Missing: 3 }) as Record<string, number>;
    assert.notEqual(out, cjs);
    assert.equal(out['A'], 10);
    assert.equal(out['B'], 2);
    assert.equal('Missing' in out, false);
  });
});

describe('withTelemetry', () => {
  const make = () => 'otel';
  it('adds telemetry to the options argument without mutating it', () => {
    const opts = { connection: { port: 1 } };
    const out = withTelemetry(['q', opts], 1, make);
    assert.deepEqual(out[1], { connection: { port: 1 }, telemetry: 'otel' });
    assert.deepEqual(opts, { connection: { port: 1 } });
  });
  it("keeps the app's own telemetry", () => {
    const args = ['q', { telemetry: 'mine' }];
    assert.equal(withTelemetry(args, 1, make), args);
  });
  it('fills a missing options argument', () => {
    assert.deepEqual(withTelemetry(['q', () => {}], 2, make)[2], { telemetry: 'otel' });
  });
  it('leaves odd arguments alone and survives a failing factory', () => {
    const args = ['q', 'not-options'];
    assert.equal(withTelemetry(args, 1, make), args);
    const args2 = ['q', {}];
    assert.equal(
      withTelemetry(args2, 1, () => {
        throw new Error('x');
      }),
      args2,
    );
  });
});
