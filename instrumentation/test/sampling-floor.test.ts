/** The per-client sampling floor: the first trace root per client per interval is marked, nothing else. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOT_CONTEXT, trace, TraceFlags, type Context } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/sdk-trace';
import { withClientId } from '../src/client-id.ts';
import { SamplingFloorProcessor } from '../src/spans/sampling-floor.ts';
import { ATTR_SAMPLING_FLOOR } from '../src/semconv.ts';

/** A span stand-in that records its attributes. */
function span(): Span & { attrs: Record<string, unknown> } {
  const attrs: Record<string, unknown> = {};
  return { attrs, setAttribute: (k: string, v: unknown) => void (attrs[k] = v) } as unknown as Span & { attrs: Record<string, unknown> };
}

const root = (client: string): Context => withClientId(ROOT_CONTEXT, client);
const child = (client: string): Context =>
  trace.setSpanContext(root(client), { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED, isRemote: true });

describe('SamplingFloorProcessor', () => {
  it('marks the first root span per client per interval', () => {
    let now = 1_000_000;
    const p = new SamplingFloorProcessor(60_000, 10, () => now);
    const marked = (ctx: Context) => {
      const s = span();
      p.onStart(s, ctx);
      return s.attrs[ATTR_SAMPLING_FLOOR] === true;
    };
    assert.equal(marked(root('team-01')), true, 'first trace of team-01');
    assert.equal(marked(root('team-01')), false, 'second trace of team-01 in the same minute');
    assert.equal(marked(root('team-02')), true, 'another client has its own floor');
    now += 59_999;
    assert.equal(marked(root('team-01')), false);
    now += 1;
    assert.equal(marked(root('team-01')), true, 'a minute later, again');
  });

  it('never marks a span that continues a trace', () => {
    const p = new SamplingFloorProcessor(60_000, 10);
    const s = span();
    p.onStart(s, child('team-03'));
    assert.deepEqual(s.attrs, {});
  });

  it('remembers at most clientLimit clients', () => {
    const p = new SamplingFloorProcessor(60_000, 2);
    const marks = ['a', 'b', 'c'].map((c) => {
      const s = span();
      p.onStart(s, root(c));
      return s.attrs[ATTR_SAMPLING_FLOOR] === true;
    });
    assert.deepEqual(marks, [true, true, false]);
  });
});
