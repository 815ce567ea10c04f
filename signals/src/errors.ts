/** The error every client of this workspace throws when a source cannot answer. */

/** Which backend a {@link SourceError} is about. */
export type SourceName = 'Prometheus' | 'Jaeger' | 'Collector' | 'VictoriaLogs';

/**
 * A source cannot be reached, rejected a request, or answered with something that is not its API.
 * The message names the source and its URL and says what went wrong, in words a user can act on.
 */
export class SourceError extends Error {
  /** Which backend. */
  readonly source: SourceName;
  /** The base URL that was asked. */
  readonly url: string;
  constructor(source: SourceName, url: string, message: string) {
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
