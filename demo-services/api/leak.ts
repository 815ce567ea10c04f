/**
 * Scenarios `memory-leak` and `memory-limit` (the same leak, bigger per request): while on, every request leaves `kbPerRequest` KiB on the V8 heap in a
 * "request log" that is never trimmed (the classic unbounded in-process cache). Switching it off
 * drops the log and runs a full garbage collection at once, standing in for the restart or fix that
 * ends a real leak: without it V8 may keep the dead log counted in the heap-used gauge (`v8js.memory.heap.used`)
 * until its next major GC, minutes later under light load, and the dashboards would still show
 * the leak after it was switched off.
 *
 * Under a heap limit (`--max-old-space-size`), the leak ends in V8's out-of-memory crash; the first
 * request that finds the heap past {@link NEAR_LIMIT_RATIO} of its limit logs one warning with both
 * figures (so the log store holds a line from before the crash, with its trace).
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Logger } from 'pino';
import type { ScenarioHandler } from '../shared/switchboard.ts';

/** Share of the heap limit ({@link heapLimitBytes}) past which a leaking request logs its one warning. */
export const NEAR_LIMIT_RATIO = 0.8;

/**
 * The heap limit the process runs with, bytes: `--max-old-space-size` (MiB; on the command line or in
 * `NODE_OPTIONS`, the last one wins), where V8 stops with "JavaScript heap out of memory"; without it,
 * V8's `heap_size_limit` (which also counts the young generation's reserve, ~192 MiB more on Node 24).
 */
export function heapLimitBytes(
  argv: readonly string[] = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)],
): number {
  const mb = argv.map((a) => /^--max[-_]old[-_]space[-_]size=(\d+)$/.exec(a)?.[1]).filter((x) => x !== undefined);
  return mb.length ? Number(mb.at(-1)) * 2 ** 20 : getHeapStatistics().heap_size_limit;
}

/**
 * A full GC without starting the process with `--expose-gc`: the flag only applies to contexts
 * made after it is set, so a fresh context hands out `gc` (the same way jest's leak detector does).
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * The leak: `handler` for the switchboard, `onRequest` for every request, `retainedBytes` for logs.
 * @param kbPerRequest - KiB kept per request while on.
 * @param log - where the heap-near-limit warning goes (once per switch-on); none without it.
 */
export function createLeak(kbPerRequest: number, log?: Logger) {
  let on = false;
  let warned = false;
  const limit = heapLimitBytes();
  const kept: { at: number; payload: number[] }[] = [];
  const handler: ScenarioHandler = {
    start() {
      on = true;
      warned = false;
    },
    stop() {
      on = false;
      kept.length = 0;
      collectGarbage();
    },
  };
  return {
    handler,
    /** Called for every request: keeps `kbPerRequest` KiB of doubles (8 bytes each, on the V8 heap) while on. */
    onRequest(): void {
      if (!on) return;
      kept.push({ at: Date.now(), payload: new Array<number>(kbPerRequest * 128).fill(Math.random()) });
      if (log && !warned) {
        const used = getHeapStatistics().used_heap_size;
        if (used >= NEAR_LIMIT_RATIO * limit) {
          warned = true;
          const mb = (b: number) => Math.round(b / 2 ** 20);
          log.warn(
            { heapUsedBytes: used, heapLimitBytes: limit, leakedBytes: kept.length * kbPerRequest * 1024 },
            `heap near its limit: ${mb(used)} of ${mb(limit)} MB in use`,
          );
        }
      }
    },
    /** Bytes held by the leak. */
    retainedBytes(): number {
      return kept.length * kbPerRequest * 1024;
    },
  };
}
