/**
 * Graceful degradation of the api's cache: a Redis read or write that fails (Redis down, reset, or
 * slower than the cache's command timeout) does not fail the request; the read falls back to
 * PostgreSQL, the write is skipped. The request span says so: `cache.fallback=true` and an event
 * `cache.fallback` with the error (the Redis span itself has status ERROR and `error.type` from the
 * preload).
 */
import { trace } from '@opentelemetry/api';
import type { Logger } from 'pino';

/** Request-span attribute and event name: this request went without the cache. Demo addition. */
export const ATTR_CACHE_FALLBACK = 'cache.fallback';

/** Notes on the active span that the cache failed and the request goes on without it. */
function fellBack(err: unknown, op: string, log?: Logger): void {
  const span = trace.getActiveSpan();
  span?.setAttribute(ATTR_CACHE_FALLBACK, true);
  span?.addEvent(ATTR_CACHE_FALLBACK, { 'cache.operation': op, 'exception.message': (err as Error).message });
  log?.debug({ err: (err as Error).message, op }, 'cache unavailable, going without it');
}

/**
 * Runs the cache read `read`; if it fails, marks the fallback and resolves `miss` instead.
 * @param op - what was read, for the event (e.g. `get`).
 */
export async function readOrMiss<T>(read: () => Promise<T>, miss: T, op: string, log?: Logger): Promise<T> {
  try {
    return await read();
  } catch (err) {
    fellBack(err, op, log);
    return miss;
  }
}

/** Runs the cache write `write`; if it fails, marks the fallback and carries on. */
export async function writeOrSkip(write: () => Promise<unknown>, op: string, log?: Logger): Promise<void> {
  try {
    await write();
  } catch (err) {
    fellBack(err, op, log);
  }
}
