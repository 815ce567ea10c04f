/**
 * The api's client for the partner API: undici, a per-attempt timeout, retries with a short backoff
 * on timeouts, 5xx and 429, all behind an opossum circuit breaker named `partner` that fails fast
 * while the partner keeps failing.
 */
import CircuitBreaker from 'opossum';
import { Agent, request } from 'undici';
import { sleep } from '../shared/http.ts';

/** Options of {@link createPartnerClient}. */
export interface PartnerOptions {
  /** Base URL, e.g. `http://127.0.0.1:8090`. */
  baseUrl: string;
  /** Connect timeout per attempt, ms (undici `connect.timeout`; `error.type` UND_ERR_CONNECT_TIMEOUT). Default 10000 (undici's). */
  connectTimeoutMs?: number;
  /** Per-attempt timeout in ms (headers and body; `error.type` UND_ERR_HEADERS_TIMEOUT / UND_ERR_BODY_TIMEOUT). */
  timeoutMs: number;
  /** Retries after the first attempt. */
  retries: number;
  /** Failure percentage (over the breaker's rolling window) that opens the breaker. */
  breakerErrorPercent: number;
  /** Time the breaker stays open before letting one trial call through (half-open), ms. */
  breakerResetMs: number;
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
export function createPartnerClient(opts: PartnerOptions): { rate(symbol: string): Promise<number>; breaker: CircuitBreaker } {
  const dispatcher = new Agent({ connect: { timeout: opts.connectTimeoutMs ?? 10_000 } });
  const breaker = new CircuitBreaker((symbol: string) => attempts(opts, dispatcher, symbol), {
    name: 'partner',
    timeout: false, // each attempt has its own timeout
    errorThresholdPercentage: opts.breakerErrorPercent,
    resetTimeout: opts.breakerResetMs,
    rollingCountTimeout: 10_000,
    volumeThreshold: 5,
  });
  return {
    breaker,
    async rate(symbol: string): Promise<number> {
      try {
        return (await breaker.fire(symbol)) as number;
      } catch (err) {
        if (err instanceof PartnerError) throw err;
        throw new PartnerError(`partner unavailable: ${(err as Error).message}`, 0);
      }
    },
  };
}

async function attempts(opts: PartnerOptions, dispatcher: Agent, symbol: string): Promise<number> {
  let lastError = 'no attempt';
  for (let attempt = 0; attempt <= opts.retries; attempt++) {
    if (attempt > 0) await sleep(25 * 2 ** (attempt - 1));
    try {
      const res = await request(`${opts.baseUrl}/v1/rates/${encodeURIComponent(symbol)}`, {
        dispatcher,
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
}
