import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLeak } from '../api/leak.ts';

describe('memory-leak scenario', () => {
  it('holds memory while on and gives it back as soon as it is switched off', async () => {
    const leak = createLeak(256);
    await leak.handler.start!();
    for (let i = 0; i < 400; i++) leak.onRequest();
    const held = process.memoryUsage().heapUsed;
    assert.equal(leak.retainedBytes(), 400 * 256 * 1024);
    await leak.handler.stop!();
    const after = process.memoryUsage().heapUsed;
    assert.equal(leak.retainedBytes(), 0);
    // 100 MiB were held; the switch-off collects them without waiting for V8's next major GC.
    assert.ok(held - after > 80 * 2 ** 20, `freed ${((held - after) / 2 ** 20).toFixed(0)} MiB`);
    leak.onRequest();
    assert.equal(leak.retainedBytes(), 0, 'nothing kept once off');
  });
});
