import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { createLeak, heapLimitBytes, NEAR_LIMIT_RATIO } from '../api/leak.ts';

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

describe('memory-limit scenario: the same leak under a heap limit', () => {
  it('reads the heap limit from --max-old-space-size (command line or NODE_OPTIONS, the last wins)', () => {
    assert.equal(heapLimitBytes(['--max-old-space-size=256']), 256 * 2 ** 20);
    assert.equal(heapLimitBytes(['--max_old_space_size=64', '--import', 'x', '--max-old-space-size=96']), 96 * 2 ** 20);
    assert.ok(heapLimitBytes([]) > 256 * 2 ** 20, "without the flag: V8's own limit");
  });

  it('warns once near the limit, then V8 runs out of memory: the crash is the leak’s, with the warning logged before it', () => {
    const leak = new URL('../api/leak.ts', import.meta.url).href;
    const code = `import pino from 'pino'; import { createLeak } from ${JSON.stringify(leak)};
      const l = createLeak(256, pino()); await l.handler.start(); for (;;) l.onRequest();`;
    const r = spawnSync(process.execPath, ['--max-old-space-size=48', '--input-type=module', '-e', code], {
      cwd: new URL('..', import.meta.url),
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.signal, 'SIGABRT', `${r.status} ${r.stderr.slice(0, 400)}`);
    assert.match(r.stderr, /JavaScript heap out of memory/);
    const warnings = r.stdout.split('\n').filter((l) => l.includes('heap near its limit'));
    assert.equal(warnings.length, 1, r.stdout.slice(0, 400));
    const w = JSON.parse(warnings[0]!) as { level: number; heapUsedBytes: number; heapLimitBytes: number };
    assert.equal(w.level, 40, 'a pino warning');
    assert.equal(w.heapLimitBytes, 48 * 2 ** 20);
    assert.ok(w.heapUsedBytes >= NEAR_LIMIT_RATIO * w.heapLimitBytes);
  });
});
