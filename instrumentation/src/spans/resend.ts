/**
 * `http.request.resend_count` for retries done by the app's own code: an HTTP client span whose
 * method and URL repeat an earlier client span under the same parent span is a resend, numbered
 * 1, 2, … (semantic conventions: the ordinal number of the resending attempt).
 */
import { SpanKind, trace, type Context, type Span as ApiSpan } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_RESEND_COUNT } from '../semconv.ts';

const URL_FULL = 'url.full';
const METHOD = 'http.request.method';

/** Counts client requests per parent span; holds parents weakly. */
export class ResendCountProcessor implements SpanProcessor {
  readonly #seen = new WeakMap<ApiSpan, Map<string, number>>();

  onStart(span: Span, parentContext: Context): void {
    if (span.kind !== SpanKind.CLIENT) return;
    const url = span.attributes[URL_FULL];
    if (typeof url !== 'string') return;
    const parent = trace.getSpan(parentContext);
    if (parent === undefined) return;
    try {
      let perParent = this.#seen.get(parent);
      if (perParent === undefined) {
        perParent = new Map();
        this.#seen.set(parent, perParent);
      }
      const key = `${String(span.attributes[METHOD] ?? '')} ${url}`;
      const sent = perParent.get(key) ?? 0;
      perParent.set(key, sent + 1);
      if (sent > 0) span.setAttribute(ATTR_RESEND_COUNT, sent);
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
