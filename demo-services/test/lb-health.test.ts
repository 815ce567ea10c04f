import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackendSet } from '../lb/health.ts';

const A = 'http://a:1';
const B = 'http://b:2';

describe('BackendSet', () => {
  it('round-robins over healthy backends', () => {
    const s = new BackendSet([A, B], { unhealthyThreshold: 2, healthyThreshold: 2 });
    assert.deepEqual([s.next()?.url, s.next()?.url, s.next()?.url], [A, B, A]);
  });

  it('ejects after N consecutive failures, not before, and skips the ejected backend', () => {
    const s = new BackendSet([A, B], { unhealthyThreshold: 2, healthyThreshold: 2 });
    assert.equal(s.record(A, false, 'timeout'), undefined);
    assert.equal(s.record(A, true), undefined, 'a success resets the count');
    assert.equal(s.record(A, false, 'timeout'), undefined);
    assert.equal(s.record(A, false, 'timeout'), 'ejected');
    assert.deepEqual([s.next()?.url, s.next()?.url], [B, B]);
    assert.equal(s.status().find((b) => b.url === A)?.ejections, 1);
    assert.equal(s.status().find((b) => b.url === A)?.lastError, 'timeout');
  });

  it('re-admits after M consecutive successes', () => {
    const s = new BackendSet([A, B], { unhealthyThreshold: 1, healthyThreshold: 3 });
    assert.equal(s.record(A, false), 'ejected');
    assert.equal(s.record(A, true), undefined);
    assert.equal(s.record(A, true), undefined);
    assert.equal(s.record(A, true), 'readmitted');
    assert.ok(s.status().every((b) => b.healthy));
  });

  it('has no backend to offer when all are ejected', () => {
    const s = new BackendSet([A], { unhealthyThreshold: 1, healthyThreshold: 1 });
    s.record(A, false);
    assert.equal(s.next(), undefined);
  });

  it('rejects an empty set and unknown backends', () => {
    assert.throws(() => new BackendSet([], { unhealthyThreshold: 1, healthyThreshold: 1 }));
    assert.throws(() => new BackendSet([A], { unhealthyThreshold: 1, healthyThreshold: 1 }).record(B, true));
  });
});
