/**
 * Scenario `memory-leak`: while on, every request leaves `kbPerRequest` KiB on the V8 heap in a
 * "request log" that is never trimmed (the classic unbounded in-process cache). Switching it off
 * drops the log and runs a full garbage collection at once, standing in for the restart or fix that
 * ends a real leak: without it V8 may keep the dead log counted in the heap-used gauge (`v8js.memory.heap.used`)
 * until its next major GC, minutes later under light load, and the dashboards would still show
 * the leak after it was switched off.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ScenarioHandler } from '../shared/switchboard.ts';

/**
 * A full GC without starting the process with `--expose-gc`: the flag only applies to contexts
 * made after it is set, so a fresh context hands out `gc` (the same way jest's leak detector does).
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** The leak: `handler` for the switchboard, `onRequest` for every request, `retainedBytes` for logs. */
export function createLeak(kbPerRequest: number) {
  let on = false;
  const log: { at: number; payload: number[] }[] = [];
  const handler: ScenarioHandler = {
    start() {
      on = true;
    },
    stop() {
      on = false;
      log.length = 0;
      collectGarbage();
    },
  };
  return {
    handler,
    /** Called for every request: keeps `kbPerRequest` KiB of doubles (8 bytes each, on the V8 heap) while on. */
    onRequest(): void {
      if (on) log.push({ at: Date.now(), payload: new Array<number>(kbPerRequest * 128).fill(Math.random()) });
    },
    /** Bytes held by the leak. */
    retainedBytes(): number {
      return log.length * kbPerRequest * 1024;
    },
  };
}
