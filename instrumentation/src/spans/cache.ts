/**
 * Cache hits and misses with no code change: an ioredis `responseHook` that sets `cache.hit` on the
 * span of every read command, from the reply (a value → hit; nil or empty → miss).
 */
import type { Span } from '@opentelemetry/api';
import { ATTR_CACHE_HIT } from '../semconv.ts';

/** Redis read commands whose reply says whether the key was there (lower case, as ioredis names them). */
export const CACHE_READ_COMMANDS: ReadonlySet<string> = new Set(['get', 'getex', 'getdel', 'hget', 'hgetall', 'mget', 'hmget', 'json.get']);

/**
 * Whether a read command's reply is a hit: a non-null value; for multi-key reads, every value
 * present; for `HGETALL`, a non-empty hash.
 */
export function isHit(reply: unknown): boolean {
  if (reply === null || reply === undefined) return false;
  if (Array.isArray(reply)) return reply.length > 0 && reply.every((v) => v !== null && v !== undefined);
  if (typeof reply === 'object' && !Buffer.isBuffer(reply)) return Object.keys(reply).length > 0;
  return true;
}

/** The ioredis instrumentation's `responseHook`: stamps `cache.hit` on read commands. Never throws. */
export function cacheResponseHook(span: Span, cmdName: string, _cmdArgs: unknown, response: unknown): void {
  try {
    if (CACHE_READ_COMMANDS.has(cmdName.toLowerCase())) span.setAttribute(ATTR_CACHE_HIT, isHit(response));
  } catch {
    // never in the app's way
  }
}
