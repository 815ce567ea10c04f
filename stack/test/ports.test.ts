/**
 * Picking free ports: `freePortsExcept` never returns a port the caller already chose (the kernel can hand a
 * just-closed port out again), and gives up with a clear error instead of looping forever.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freePort, freePortsExcept, isPortFree } from '../src/ports.ts';

/** A picker that answers with `seq`'s entries in turn, counting its calls. */
function sequence(seq: number[][]): { pick: (n: number) => Promise<number[]>; calls: () => number } {
  let i = 0;
  return { pick: async () => seq[Math.min(i++, seq.length - 1)]!, calls: () => i };
}

describe('freePortsExcept', () => {
  it('picks again while a candidate is a taken port', async () => {
    const one = sequence([[40001], [40001], [40002]]);
    assert.deepEqual(await freePortsExcept(1, [40001], one.pick), [40002]);
    assert.equal(one.calls(), 3);
    const two = sequence([
      [40010, 40003],
      [40011, 40012],
    ]);
    assert.deepEqual(await freePortsExcept(2, [40003], two.pick), [40011, 40012]);
    assert.equal(two.calls(), 2);
  });

  it('gives up after 100 picks that all hit a taken port', async () => {
    const stuck = sequence([[40020]]);
    await assert.rejects(freePortsExcept(1, [40020], stuck.pick), /no 1 free port\(s\) other than 40020 in 100 picks/);
    assert.equal(stuck.calls(), 100);
  });

  it('on the real kernel: distinct free ports, none of them the one chosen before', async () => {
    const chosen = await freePort();
    const ports = await freePortsExcept(3, [chosen]);
    assert.equal(new Set(ports).size, 3);
    assert.ok(!ports.includes(chosen), `${ports.join(',')} contains ${chosen}`);
    for (const p of ports) assert.equal(await isPortFree(p), true, `port ${p}`);
  });
});
