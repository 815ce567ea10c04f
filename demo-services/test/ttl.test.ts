import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spreadTtl, TTL_SPREAD } from '../api/ttl.ts';

describe('spreadTtl', () => {
  it('spreads a lifetime over ttl × [1 − spread, 1 + spread], whole seconds, at least 1', () => {
    assert.equal(
      spreadTtl(300, () => 0),
      300 * (1 - TTL_SPREAD),
    );
    assert.equal(
      spreadTtl(300, () => 0.5),
      300,
    );
    assert.equal(
      spreadTtl(300, () => 0.999999),
      300 * (1 + TTL_SPREAD),
    );
    assert.equal(
      spreadTtl(1, () => 0),
      1,
    );
  });
  it('entries cached at one moment expire over the whole range, not together', () => {
    const ttls = Array.from({ length: 2000 }, () => spreadTtl(300));
    assert.ok(Math.min(...ttls) >= 150 && Math.max(...ttls) <= 450);
    const buckets = new Set(ttls.map((t) => Math.floor(t / 30)));
    assert.ok(buckets.size >= 10, `expiries in ${buckets.size} of the 30 s buckets from 150 to 450 s`);
  });
});
