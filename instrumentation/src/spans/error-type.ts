/**
 * `error.type` on failed spans that have none: semantic conventions ask every failed operation for a
 * low-cardinality `error.type`, but the pg, pg-pool and ioredis instrumentations set only the status
 * and an exception event. As a failed span ends, this names the error from what it recorded: a known
 * client timeout (its own name, so the timeout that fired is visible), else the exception's
 * `exception.type` (the error's code or class), else `_OTHER` (the conventions' fallback).
 */
import { SpanStatusCode, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_ERROR_TYPE, ERROR_TYPE_TIMEOUTS } from '../semconv.ts';

const TIMEOUT_MESSAGES: ReadonlyArray<readonly [RegExp, string]> = [
  [/timeout exceeded when trying to connect/i, ERROR_TYPE_TIMEOUTS.poolAcquire],
  [/connection terminated due to connection timeout/i, ERROR_TYPE_TIMEOUTS.connect],
  [/query read timeout/i, ERROR_TYPE_TIMEOUTS.query],
  [/canceling statement due to statement timeout/i, ERROR_TYPE_TIMEOUTS.statement],
  [/command timed out/i, ERROR_TYPE_TIMEOUTS.redisCommand],
];

/**
 * The `error.type` for an error with `message` and `exceptionType` (the exception event's
 * `exception.type`; either may be missing).
 */
export function errorTypeOf(message: string | undefined, exceptionType: string | undefined): string {
  for (const [pattern, type] of TIMEOUT_MESSAGES) if (message && pattern.test(message)) return type;
  return exceptionType || '_OTHER';
}

/** Sets `error.type` on ending spans with status ERROR and no `error.type` yet. Holds no state. */
export class ErrorTypeProcessor implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    if (span.status.code !== SpanStatusCode.ERROR || span.attributes[ATTR_ERROR_TYPE] !== undefined) return;
    try {
      const exception = [...span.events].reverse().find((e) => e.name === 'exception')?.attributes;
      const message = span.status.message ?? String(exception?.['exception.message'] ?? '');
      const type = exception?.['exception.type'];
      span.setAttribute(ATTR_ERROR_TYPE, errorTypeOf(message, typeof type === 'string' ? type : undefined));
    } catch {
      // never in the app's way
    }
  }

  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
