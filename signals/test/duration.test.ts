import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDurationMs, parseDurationSeconds } from '../src/duration.ts';

describe('durations', () => {
  it('reads every unit, a bare number as seconds', () => {
    assert.equal(parseDurationMs('1500ms'), 1500);
    assert.equal(parseDurationMs('300s'), 300_000);
    assert.equal(parseDurationMs('5m'), 300_000);
    assert.equal(parseDurationMs('1h'), 3_600_000);
    assert.equal(parseDurationMs('2d'), 172_800_000);
    assert.equal(parseDurationMs('90'), 90_000);
    assert.equal(parseDurationSeconds('15m'), 900);
    assert.equal(parseDurationSeconds('1500ms'), 2);
  });

  it('names what it was reading in its error, and refuses zero', () => {
    assert.throws(() => parseDurationMs('5 minutes', '--duration'), /--duration takes a duration like 30s.*"5 minutes" is not a duration/);
    assert.throws(() => parseDurationSeconds('0s', '--since'), /--since takes a duration/);
    assert.throws(() => parseDurationMs(''), /is not a duration/);
  });
});
