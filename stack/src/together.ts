/**
 * Starting several pieces at once without leaking the ones that came up when another did not. With a
 * bare `Promise.all`, a failed start rejects at once and the pieces that did start are never assigned,
 * so nothing stops them: their child processes keep a test file's event loop alive until CI's deadline
 * (one CI run lost 80 minutes to a Kafka that failed to format while RabbitMQ was already running).
 */

/** A started piece: every `start*` instance has `stop()`; a Playwright browser has `close()`. */
export type Stoppable = { stop(): Promise<unknown> } | { close(): Promise<unknown> };

/**
 * Awaits every start in `starts` (already running in parallel) and resolves with their results in order,
 * like `Promise.all`. If any start rejects, waits for the others to settle, stops each one that did start
 * (in parallel; a failing stop is ignored, the start's error matters more), then rejects.
 * @param starts promises of started pieces (`startPostgres(...)`, `launchChromium()`, ...): each should
 *   resolve to a {@link Stoppable}; one that does not is not stopped.
 * @returns the started pieces, in the order of `starts`.
 * @throws the first rejection in `starts` order; an `AggregateError` of all of them when more than one
 *   start failed (its message lists each).
 */
export async function startTogether<T extends readonly unknown[] | []>(starts: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled: PromiseSettledResult<unknown>[] = await Promise.allSettled(starts as readonly unknown[]);
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value as unknown] : []));
  if (failures.length === 0) return started as { -readonly [K in keyof T]: Awaited<T[K]> };
  await Promise.all(started.map((piece) => stopOne(piece).catch(() => undefined)));
  if (failures.length === 1) throw failures[0];
  const text = failures.map((f) => (f instanceof Error ? f.message : String(f))).join('\n---\n');
  throw new AggregateError(failures, `${failures.length} starts failed:\n${text}`);
}

/** Stops a started piece by its `stop()` or `close()`; a piece with neither is left as it is. */
async function stopOne(piece: unknown): Promise<unknown> {
  const p = piece as Partial<{ stop(): Promise<unknown>; close(): Promise<unknown> }> | null;
  if (typeof p?.stop === 'function') return p.stop();
  if (typeof p?.close === 'function') return p.close();
  return undefined;
}
