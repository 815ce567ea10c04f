/**
 * The api's client for the partner API: undici, a per-attempt timeout, and retries with a short
 * backoff on timeouts, 5xx and 429.
 */
import { request } from 'undici';
import { sleep } from '../shared/http.ts';

/** Options of {@link createPartnerClient}. */
export interface PartnerOptions {
  /** Base URL, e.g. `http://127.0.0.1:8090`. */
  baseUrl: string;
  /** Per-attempt timeout in ms (headers and body). */
  timeoutMs: number;
  /** Retries after the first attempt. */
  retries: number;
}

/** Thrown when every attempt failed; `attempts` says how many were made. */
export class PartnerError extends Error {
  readonly attempts: number;
  constructor(message: string, attempts: number) {
    super(message);
    this.name = 'PartnerError';
    this.attempts = attempts;
  }
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** @returns `rate(symbol)`, resolving to the partner's rate or rejecting with {@link PartnerError}. */
export function createPartnerClient(opts: PartnerOptions): { rate(symbol: string): Promise<number> } {
  return {
    async rate(symbol: string): Promise<number> {
      let lastError = 'no attempt';
      for (let attempt = 0; attempt <= opts.retries; attempt++) {
        if (attempt > 0) await sleep(25 * 2 ** (attempt - 1));
        try {
          const res = await request(`${opts.baseUrl}/v1/rates/${encodeURIComponent(symbol)}`, {
            headersTimeout: opts.timeoutMs,
            bodyTimeout: opts.timeoutMs,
          });
          if (res.statusCode === 200) return ((await res.body.json()) as { rate: number }).rate;
          await res.body.dump();
          lastError = `HTTP ${res.statusCode}`;
          if (!RETRYABLE.has(res.statusCode)) break;
        } catch (err) {
          lastError = (err as Error).message;
        }
      }
      throw new PartnerError(`partner failed: ${lastError}`, opts.retries + 1);
    },
  };
}
