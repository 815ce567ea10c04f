/**
 * Scenario `cache-eviction` (seed incident 2's root cause): a bulk workload ("bulk-import") fills the
 * shared Redis. On switch-on Redis gets a memory limit just above what it holds (`maxmemory`, policy
 * `volatile-lru`, so BullMQ's keys, which have no TTL, are never evicted) and the filler writes
 * `filler:<n>` keys (with a TTL) at a steady rate. Every tick it also TOUCHes every other key except
 * one client's price list `price:<victim>:*`, as that workload's reads would: the victim's entries
 * are always the least recently used, so LRU evicts exactly them, and that client's reads miss and
 * go to PostgreSQL. Off: the limit and policy are restored and the filler keys deleted.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { asClient, tracer } from '../shared/otel.ts';
import type { ScenarioHandler } from '../shared/switchboard.ts';

/** Knobs of {@link cacheFiller}. */
export interface CacheFillerOptions {
  /** Client whose price list is left untouched, hence evicted. */
  victim: string;
  /** Memory limit above what Redis holds at switch-on, MiB. */
  headroomMb: number;
  /** Filler write rate, MiB/s. */
  fillMbPerS: number;
  /** Tick interval (touch + write), ms. */
  tickMs: number;
}

const CHUNK = 64 * 1024;
const FILLER_TTL_S = 120;
// TOUCH every key but the victim's and the filler's own, server-side (one command per tick).
const TOUCH_ALL_BUT = `local cursor = '0'
local touched = 0
repeat
  local r = redis.call('SCAN', cursor, 'COUNT', 1000)
  cursor = r[1]
  for _, k in ipairs(r[2]) do
    if string.sub(k, 1, #ARGV[1]) ~= ARGV[1] and string.sub(k, 1, #ARGV[2]) ~= ARGV[2] then
      redis.call('TOUCH', k)
      touched = touched + 1
    end
  end
until cursor == '0'
return touched`;

/** `used_memory` from `INFO memory`. */
export function usedMemory(info: string): number {
  const m = /^used_memory:(\d+)/m.exec(info);
  if (!m) throw new Error('INFO memory has no used_memory');
  return Number(m[1]);
}

/** The scenario's handler over `redis` (a client of its own: it runs CONFIG and EVAL). */
export function cacheFiller(redis: Redis, opts: CacheFillerOptions, log: Logger): ScenarioHandler {
  const t = tracer('worker');
  let timer: NodeJS.Timeout | undefined;
  let saved: Record<string, string> = {};
  let seq = 0;
  let busy = false;
  const value = 'x'.repeat(CHUNK);
  const perTick = Math.max(1, Math.round((opts.fillMbPerS * 1024 * 1024 * opts.tickMs) / 1000 / CHUNK));

  const tick = () => {
    if (busy) return;
    busy = true;
    void asClient('bulk-import', () =>
      t.startActiveSpan('cache-filler', { attributes: { 'cache.victim': opts.victim } }, async (span) => {
        try {
          const touched = await redis.eval(TOUCH_ALL_BUT, 0, `price:${opts.victim}:`, 'filler:');
          const p = redis.pipeline();
          for (let i = 0; i < perTick; i++) p.set(`filler:${seq++}`, value, 'EX', FILLER_TTL_S);
          await p.exec();
          span.setAttribute('cache.touched_keys', Number(touched));
        } catch (err) {
          span.recordException(err as Error);
          log.warn({ err: (err as Error).message }, 'cache-filler tick failed');
        } finally {
          span.end();
          busy = false;
        }
      }),
    );
  };

  return {
    async start() {
      const get = async (k: string) => ((await redis.config('GET', k)) as string[])[1] ?? '';
      saved = {
        maxmemory: await get('maxmemory'),
        'maxmemory-policy': await get('maxmemory-policy'),
        'maxmemory-samples': await get('maxmemory-samples'),
      };
      const limit = usedMemory(await redis.info('memory')) + opts.headroomMb * 1024 * 1024;
      await redis.config('SET', 'maxmemory-policy', 'volatile-lru');
      await redis.config('SET', 'maxmemory-samples', '10');
      await redis.config('SET', 'maxmemory', String(limit));
      log.warn({ victim: opts.victim, maxmemory: limit, perTick }, 'cache-eviction: Redis limited, filler started');
      timer = setInterval(tick, opts.tickMs);
    },
    async stop() {
      clearInterval(timer);
      for (const [k, v] of Object.entries(saved)) if (v !== '') await redis.config('SET', k, v);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', 'filler:*', 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.unlink(...keys);
      } while (cursor !== '0');
      log.warn('cache-eviction: Redis limit restored, filler keys deleted');
    },
  };
}
