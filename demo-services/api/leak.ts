/**
 * Scenario `memory-leak`: while on, every request leaves `kbPerRequest` KiB on the V8 heap in a
 * "request log" that is never trimmed (the classic unbounded in-process cache). Switching it off
 * drops the log, so the next major GC gives the memory back.
 */
import type { ScenarioHandler } from '../shared/switchboard.ts';

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
