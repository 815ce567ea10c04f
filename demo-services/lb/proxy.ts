/**
 * Forwarding one request to a backend with undici: method, path, headers (minus hop-by-hop ones)
 * and body are passed through; `x-request-start` (New Relic's convention, `t=<microseconds>`) and
 * `x-forwarded-for` are added.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, request } from 'undici';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

/** Microseconds since the epoch, as `x-request-start` carries them. */
export function nowMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/**
 * @param agent - undici dispatcher (keep-alive connections to the backends).
 * @param backend - base URL of the chosen backend.
 * @param arrivedMicros - when the request reached the load balancer.
 * @param timeoutMs - headers/body timeout towards the backend.
 * @throws on a connection error or timeout (the caller answers 502/504).
 */
export async function forward(
  agent: Agent,
  backend: string,
  req: IncomingMessage,
  res: ServerResponse,
  arrivedMicros: number,
  timeoutMs: number,
): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
  }
  headers['x-request-start'] = `t=${arrivedMicros}`;
  const peer = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${req.headers['x-forwarded-for']}, ${peer}` : peer;
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const upstream = await request(backend + (req.url ?? '/'), {
    method: (req.method ?? 'GET') as 'GET',
    headers,
    body: hasBody ? req : null,
    dispatcher: agent,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(upstream.headers)) {
    if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  }
  res.writeHead(upstream.statusCode, out);
  for await (const chunk of upstream.body) res.write(chunk);
  res.end();
}
