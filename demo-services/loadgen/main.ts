/**
 * loadgen: drives traffic through the load balancer from many clients at uneven rates, for a
 * duration or until stopped. It stands for the outside world, so it runs WITHOUT the preload.
 * See README.md for its env vars.
 */
import { Agent, request } from 'undici';
import { intEnv, numEnv, strEnv } from '../shared/env.ts';
import { clientIds, planner, zipfWeights } from './mix.ts';

const TARGET = strEnv('TARGET_URL', 'http://127.0.0.1:8080');
const RATE = numEnv('LOADGEN_RATE', 40);
const CLIENTS = clientIds(intEnv('LOADGEN_CLIENTS', 24, 1));
const DURATION_S = intEnv('LOADGEN_DURATION_S', 0);
const MAX_IN_FLIGHT = intEnv('LOADGEN_MAX_IN_FLIGHT', 64, 1);
const next = planner(CLIENTS, zipfWeights(CLIENTS.length, numEnv('LOADGEN_SKEW', 1)), intEnv('LOADGEN_SEED', 1));
const agent = new Agent({ connections: MAX_IN_FLIGHT, keepAliveTimeout: 10_000 });

const stats = { sent: 0, ok: 0, errors: 0, dropped: 0, byStatus: {} as Record<string, number>, perClient: {} as Record<string, number> };
let inFlight = 0;

async function fire(): Promise<void> {
  const p = next();
  if (inFlight >= MAX_IN_FLIGHT) {
    stats.dropped++;
    return;
  }
  inFlight++;
  stats.sent++;
  stats.perClient[p.client] = (stats.perClient[p.client] ?? 0) + 1;
  try {
    const res = await request(TARGET + p.path, {
      method: p.method,
      headers: { 'x-client-id': p.client, ...(p.body ? { 'content-type': 'application/json' } : {}) },
      body: p.body,
      dispatcher: agent,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    await res.body.dump();
    const key = String(res.statusCode);
    stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
    if (res.statusCode < 400) stats.ok++;
    else stats.errors++;
  } catch (err) {
    const key = (err as { code?: string }).code ?? 'error';
    stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
    stats.errors++;
  } finally {
    inFlight--;
  }
}

const TICK_MS = 50;
let budget = 0;
const ticker = setInterval(() => {
  budget += (RATE * TICK_MS) / 1000;
  while (budget >= 1) {
    budget--;
    void fire();
  }
}, TICK_MS);

function top3(): string {
  return Object.entries(stats.perClient).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([c, n]) => `${c}=${n}`).join(' ');
}
const reporter = setInterval(() => {
  process.stdout.write(`loadgen sent=${stats.sent} ok=${stats.ok} errors=${stats.errors} dropped=${stats.dropped} in_flight=${inFlight} status=${JSON.stringify(stats.byStatus)} top=${top3()}\n`);
}, 5000);

let finished = false;
async function finish(): Promise<void> {
  if (finished) return;
  finished = true;
  clearInterval(ticker);
  clearInterval(reporter);
  const deadline = Date.now() + 3000;
  while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  process.stdout.write(`loadgen summary ${JSON.stringify({ total: stats.sent, ...stats })}\n`);
  await agent.close().catch(() => undefined);
  process.exit(0);
}
process.on('SIGTERM', () => void finish());
process.on('SIGINT', () => void finish());
if (DURATION_S > 0) setTimeout(() => void finish(), DURATION_S * 1000);
process.stdout.write(`loadgen target=${TARGET} rate=${RATE}/s clients=${CLIENTS.length} duration=${DURATION_S || 'until stopped'}\n`);
