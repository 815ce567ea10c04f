/**
 * partner: a stand-in for an external third-party API (exchange rates) with a little latency.
 * See README.md for its env vars.
 */
import http from 'node:http';
import { hostEnv, intEnv } from '../shared/env.ts';
import { close, listen, sleep } from '../shared/http.ts';
import { createLogger } from '../shared/log.ts';
import { onShutdown } from '../shared/shutdown.ts';

const log = createLogger('partner');
const PORT = intEnv('PORT', 8090, 1);
/** Mean response latency in ms; each response takes between 0.5× and 1.5× of it. */
const LATENCY_MS = intEnv('PARTNER_LATENCY_MS', 30);

function rateOf(symbol: string): number {
  let h = 0;
  for (const c of symbol) h = (h * 31 + c.charCodeAt(0)) % 10007;
  return 0.5 + (h % 1000) / 500;
}

const server = http.createServer(async (req, res) => {
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
  await sleep(LATENCY_MS * (0.5 + Math.random()));
  const symbol = m[1]!.toUpperCase();
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ symbol, rate: rateOf(symbol), ts: Date.now() }));
});

await listen(server, PORT, hostEnv());
log.info({ port: PORT, latencyMs: LATENCY_MS }, 'partner listening');
onShutdown(log, [() => close(server)]);
