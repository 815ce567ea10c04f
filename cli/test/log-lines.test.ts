import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messageKind, mostTelling } from '../src/log-lines.ts';
import type { FindingLogLine } from '../src/report-schema.ts';

/** A warn line of api at second `s` (newer lines have larger `s`). */
const line = (s: number, message: string, pool?: [number, number]): FindingLogLine => ({
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString(),
  severity: 'warn',
  service: 'api',
  message,
  ...(pool ? { pool: { used: pool[0], max: pool[1], pending: 3 } } : {}),
});

describe("a finding's most telling log lines", () => {
  it('masks numbers, so one message with other figures is one kind', () => {
    assert.equal(messageKind('no connection free after 2003 ms (1.5 s)'), messageKind('no connection free after 11 ms (0.25 s)'));
    assert.notEqual(messageKind('request failed'), messageKind('redis error'));
  });

  it('shows the most frequent kinds first, one line each with its count, not the newest three of a flood', () => {
    // Newest first: two recent "request failed" lines hide nothing, the older timeout flood leads.
    const newestFirst = [
      line(59, 'request failed'),
      line(58, 'request failed'),
      line(57, 'redis error'),
      ...Array.from({ length: 6 }, (_, i) => line(50 - i, `timeout after ${2000 + i} ms`, [10, 10])),
      line(40, 'slow reports started'),
    ];
    const shown = mostTelling(newestFirst, 3);
    assert.deepEqual(
      shown.map((l) => [l.message, l.count]),
      [
        ['timeout after 2000 ms', 6],
        ['request failed', 2],
        ['redis error', 1],
      ],
    );
  });

  it('picks, of a kind, the newest line taken at a full pool (used == max) when there is one', () => {
    const newestFirst = [
      line(9, 'timeout after 5 ms', [9, 10]),
      line(8, 'timeout after 7 ms', [10, 10]),
      line(7, 'timeout after 9 ms', [10, 10]),
    ];
    const [only] = mostTelling(newestFirst, 3);
    assert.equal(only!.message, 'timeout after 7 ms');
    assert.equal(only!.count, 3);
  });

  it('keeps the newest of a kind when no line was at a full pool, and gives nothing for nothing', () => {
    assert.equal(mostTelling([line(3, 'a 1', [1, 10]), line(2, 'a 2')], 3)[0]!.message, 'a 1');
    assert.deepEqual(mostTelling([], 3), []);
  });
});
