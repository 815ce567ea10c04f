import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentile } from '../src/percentile.ts';
import { eventually } from '../src/eventually.ts';

describe('testkit', () => {
  it('percentile is nearest-rank', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(v, 0.5), 50);
    assert.equal(percentile(v, 0.99), 99);
    assert.equal(percentile(v, 1), 100);
    assert.equal(percentile(v, 0), 1);
    assert.equal(percentile([7], 0.99), 7);
    assert.ok(Number.isNaN(percentile([], 0.5)));
  });

  it('eventually returns the first value, or names what it waited for', async () => {
    let n = 0;
    assert.equal(await eventually('three calls', async () => (++n >= 3 ? n : undefined), 1000, 1), 3);
    await assert.rejects(
      eventually(
        'nothing',
        async () => {
          throw new Error('boom');
        },
        20,
        5,
      ),
      /timed out after 20 ms waiting for nothing: Error: boom/,
    );
  });
});
