/**
 * The wait for a pooled connection, carried to the query that used the connection: the pool's
 * discovery runs the acquire's callback in a context holding the wait, and the stamping processor
 * puts it on the first database span started there (`pg-pool`'s `query()` runs its `client.query()`
 * in that callback), as {@link ATTR_CONNECTION_WAIT_TIME}. One-shot: a later span of the same async
 * chain (the app's own callback) does not get it.
 *
 * Precedent: dd-trace-js records the pool wait on the query span (PR 8914) instead of a span per acquire.
 */
import { createContextKey, type Context } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/sdk-trace';
import { ATTR_CONNECTION_WAIT_TIME, ATTR_DB_SYSTEM_NAME } from '../semconv.ts';

const KEY = createContextKey('faultline.pool.acquire_wait');

/** A wait not yet put on a span. */
interface Pending {
  readonly seconds: number;
  taken: boolean;
}

/**
 * @param ctx - the context the acquire's callback runs in.
 * @param seconds - how long the acquire waited, seconds (≥ 0).
 * @returns `ctx` holding the wait for the next database span started in it.
 */
export function withAcquireWait(ctx: Context, seconds: number): Context {
  const pending: Pending = { seconds, taken: false };
  return ctx.setValue(KEY, pending);
}

/**
 * Puts the wait held by `parent` (if any, and not yet taken) on `span` when `span` is a database
 * client span (it has `db.system.name`, or the older `db.system`). Never throws.
 */
export function stampAcquireWait(span: Span, parent: Context): void {
  const pending = parent.getValue(KEY) as Pending | undefined;
  if (pending === undefined || pending.taken) return;
  const a = span.attributes;
  if (a[ATTR_DB_SYSTEM_NAME] === undefined && a['db.system'] === undefined) return;
  pending.taken = true;
  span.setAttribute(ATTR_CONNECTION_WAIT_TIME, pending.seconds);
}
