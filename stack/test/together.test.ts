/**
 * startTogether: what came up is stopped when another start fails, so no child process outlives a failed
 * `before` hook (a bare Promise.all left RabbitMQ running and the test file hanging until CI's deadline).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTogether } from '../src/together.ts';

/** A piece that starts after `ms` and records its stop; `fail` makes the start reject. */
function piece(name: string, ms: number, log: string[], fail = false) {
  return new Promise<{ name: string; stop(): Promise<void> }>((resolve, reject) =>
    setTimeout(() => {
      if (fail) reject(new Error(`${name} failed`));
      else resolve({ name, stop: async () => void log.push(`stop ${name}`) });
    }, ms),
  );
}

describe('startTogether', () => {
  it('resolves with every piece in order and stops none when all start', async () => {
    const log: string[] = [];
    const [a, b] = await startTogether([piece('a', 20, log), piece('b', 1, log)]);
    assert.deepEqual([a.name, b.name], ['a', 'b']);
    assert.deepEqual(log, []);
  });

  it('stops the pieces that started, including one slower than the failure, and rethrows the failure', async () => {
    const log: string[] = [];
    const browser = new Promise<{ close(): Promise<void> }>((r) =>
      setTimeout(() => r({ close: async () => void log.push('close browser') }), 30),
    );
    await assert.rejects(startTogether([piece('rabbit', 1, log), piece('kafka', 5, log, true), browser]), /^Error: kafka failed$/);
    assert.deepEqual(log.sort(), ['close browser', 'stop rabbit']);
  });

  it('names every failure when several starts fail', async () => {
    const log: string[] = [];
    await assert.rejects(startTogether([piece('a', 1, log, true), piece('b', 2, log), piece('c', 3, log, true)]), (e: unknown) => {
      assert.ok(e instanceof AggregateError);
      assert.match(e.message, /2 starts failed:\na failed\n---\nc failed/);
      return true;
    });
    assert.deepEqual(log, ['stop b']);
  });
});
