/**
 * partner: a stand-in for an external third-party API (exchange rates) with a little latency.
 * Scenario `partner-throttle` (admin endpoint): slow answers, 429 and 503. See README.md for its env vars.
 */
import http from 'node:http';
import { adminHandler } from '../shared/admin.ts';
import { hostEnv, intEnv } from '../shared/env.ts';
import { close, listen, sleep } from '../shared/http.ts';
import { createLogger } from '../shared/log.ts';
import { onShutdown } from '../shared/shutdown.ts';
import { Switchboard } from '../shared/switchboard.ts';
import { throttleFate } from './throttle.ts';

const log = createLogger('partner');
const PORT = intEnv('PORT', 8090, 1);
/** Mean response latency in ms; each response takes between 0.5× and 1.5× of it. */
const LATENCY_MS = intEnv('PARTNER_LATENCY_MS', 30);
const THROTTLE = { okPercent: intEnv('SCENARIO_THROTTLE_OK_PERCENT', 10), slowMs: intEnv('SCENARIO_THROTTLE_SLOW_MS', 1500) };
const board = new Switchboard('partner', { 'partner-throttle': {} });
const admin = adminHandler(board, log);

function rateOf(symbol: string): number {
  let h = 0;
  for (const c of symbol) h = (h * 31 + c.charCodeAt(0)) % 10007;
  return 0.5 + (h % 1000) / 500;
}

const server = http.createServer(async (req, res) => {
  if (admin(req, res)) return;
  const url = new URL(req.url ?? '/', 'http://partner');
  if (url.pathname === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  const m = /^\/v1\/rates\/([A-Za-z0-9_-]{1,16})$/.exec(url.pathname);
  if (req.method !== 'GET' || !m) {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    return;
  }
  const fate = board.isOn('partner-throttle') ? throttleFate(THROTTLE, Math.random()) : { kind: 'ok' as const };
  if (fate.kind === 'status') {
    await sleep(LATENCY_MS * 0.5);
    const headers = { 'content-type': 'application/json', ...(fate.status === 429 ? { 'retry-after': '1' } : {}) };
    res.writeHead(fate.status, headers).end(JSON.stringify({ error: fate.status === 429 ? 'rate limited' : 'overloaded' }));
    return;
  }
  await sleep(fate.kind === 'slow' ? fate.delayMs : LATENCY_MS * (0.5 + Math.random()));
  if (res.destroyed) return;
  const symbol = m[1]!.toUpperCase();
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ symbol, rate: rateOf(symbol), ts: Date.now() }));
});

await listen(server, PORT, hostEnv());
log.info({ port: PORT, latencyMs: LATENCY_MS }, 'partner listening');
onShutdown(log, [() => close(server)]);
