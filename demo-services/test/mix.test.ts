import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientIds, pick, planner, rng, zipfWeights } from '../loadgen/mix.ts';

describe('load mix', () => {
  it('gives at least 20 distinct client IDs by default-sized fleets', () => {
    const ids = clientIds(24);
    assert.equal(new Set(ids).size, 24);
    assert.equal(ids[0], 'team-01');
    assert.equal(ids[23], 'team-24');
  });

  it('weights sum to 1 and fall with rank (uneven rates)', () => {
    const w = zipfWeights(24, 1);
    assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    for (let i = 1; i < w.length; i++) assert.ok(w[i]! < w[i - 1]!);
    assert.ok(w[0]! > 5 * w[23]!);
  });

  it('team-01 gets the most requests and the same seed replays the same sequence', () => {
    const ids = clientIds(24);
    const a = planner(ids, zipfWeights(24, 1), 7);
    const b = planner(ids, zipfWeights(24, 1), 7);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 5000; i++) {
      const x = a();
      assert.deepEqual(x, b());
      counts[x.client] = (counts[x.client] ?? 0) + 1;
    }
    const top = Object.entries(counts).sort((p, q) => q[1] - p[1])[0]![0];
    assert.equal(top, 'team-01');
  });

  it('pick respects the weights', () => {
    assert.equal(pick([0.5, 0.5], 0.49), 0);
    assert.equal(pick([0.5, 0.5], 0.5), 1);
    assert.equal(pick([0.5, 0.5], 0.999999), 1);
    const r = rng(1);
    for (let i = 0; i < 1000; i++) {
      const u = r();
      assert.ok(u >= 0 && u < 1);
    }
  });
});
