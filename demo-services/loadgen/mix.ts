/**
 * The load generator's traffic model, pure and deterministic: Zipf-skewed client weights (the
 * first client busiest, a long tail of quiet ones, like real API consumers) and a fixed endpoint mix.
 */

/** Seeded PRNG (mulberry32): the same seed gives the same sequence. @returns numbers in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Client IDs `team-01` … `team-NN` (two digits at least). */
export function clientIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `team-${String(i + 1).padStart(2, '0')}`);
}

/**
 * Zipf weights: client i (0-based) gets weight ∝ 1/(i+1)^skew, normalised to sum to 1.
 * @param n - number of clients (≥ 1). @param skew - exponent; 0 = uniform.
 */
export function zipfWeights(n: number, skew: number): number[] {
  const raw = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** skew);
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w / sum);
}

/** Index picked by `weights` (summing to 1) for a uniform `u` in [0, 1). */
export function pick(weights: readonly number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]!;
    if (u < acc) return i;
  }
  return weights.length - 1;
}

/** One request to send. */
export interface Planned {
  client: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

const SYMBOLS = ['EUR', 'GBP', 'JPY', 'CHF', 'SEK', 'NOK'];

/** Items in each client's price list (`GET /v1/prices/1..PRICE_IDS`): small enough to stay cached. */
export const PRICE_IDS = 20;

/**
 * Plans requests: 30% `GET /v1/items/<id>` (a fifth of them on 20 hot ids), 30%
 * `GET /v1/prices/<1..PRICE_IDS>` (the client's own price list), 25% `GET /v1/quote/<symbol>`,
 * 15% `POST /v1/orders`.
 */
export function planner(clients: readonly string[], weights: readonly number[], seed: number): () => Planned {
  const r = rng(seed);
  return () => {
    const client = clients[pick(weights, r())]!;
    const kind = r();
    if (kind < 0.3) {
      const id = r() < 0.2 ? 1 + Math.floor(r() * 20) : 1 + Math.floor(r() * 1000);
      return { client, method: 'GET', path: `/v1/items/${id}` };
    }
    if (kind < 0.6) return { client, method: 'GET', path: `/v1/prices/${1 + Math.floor(r() * PRICE_IDS)}` };
    if (kind < 0.85) return { client, method: 'GET', path: `/v1/quote/${SYMBOLS[Math.floor(r() * SYMBOLS.length)]}` };
    const itemId = 1 + Math.floor(r() * 1000);
    return { client, method: 'POST', path: '/v1/orders', body: JSON.stringify({ itemId, qty: 1 + Math.floor(r() * 3) }) };
  };
}
