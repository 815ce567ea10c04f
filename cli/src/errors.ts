/** The one error `faultline incident` reports as "a source is missing": exit code 2. */

/** Prometheus or Jaeger cannot be reached, rejected a request, or has no data; names which and where. */
export class SourceError extends Error {
  /** `Prometheus` or `Jaeger`. */
  readonly source: 'Prometheus' | 'Jaeger';
  /** The base URL that was asked. */
  readonly url: string;
  constructor(source: 'Prometheus' | 'Jaeger', url: string, message: string) {
    super(message);
    this.name = 'SourceError';
    this.source = source;
    this.url = url;
  }
}

/** Why a fetch failed, in a few words (undici hides the reason in `cause`). */
export function reason(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'timed out';
  return e.cause?.code ?? e.cause?.message ?? e.message;
}
