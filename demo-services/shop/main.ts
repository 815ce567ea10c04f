/**
 * shop: team-05's own backend, standing for one client team of the API (run by loadgen, with the
 * preload, as service `shop`). Every request it gets is passed on to the API through the lb with the
 * team's client ID and `user-agent: shop/<version>`. With `SHOP_BUGGY=true` (the scenario
 * `buggy-deploy`'s version) it also fetches `GET /v1/quote/<symbol>` for each of {@link QUOTE_SYMBOLS} on
 * every request although it never uses the answers: team-05's calls to the API about quadruple (one extra
 * call per request only doubled them, the factor at which `faultline incident` starts to count a rise).
 * Its calls to the API are not traced (another organisation's backend: the API's traces start at the lb,
 * as for every other client). When started by loadgen with an IPC channel it
 * reports its port, and exits when loadgen goes away.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { hostEnv, intEnv, strEnv } from '../shared/env.ts';
import { close, listen } from '../shared/http.ts';
import { createLogger } from '../shared/log.ts';
import { untraced } from '../shared/otel.ts';
import { onShutdown } from '../shared/shutdown.ts';

const log = createLogger('shop');
const TARGET = strEnv('TARGET_URL', 'http://127.0.0.1:8080');
const CLIENT = strEnv('SHOP_CLIENT', 'team-05');
const VERSION = strEnv('SHOP_VERSION', '0.1.0');
const BUGGY = ['true', '1', 'yes', 'on'].includes(strEnv('SHOP_BUGGY', 'false').toLowerCase());
/** The currencies the buggy version refreshes on every request. */
const QUOTE_SYMBOLS = ['EUR', 'GBP', 'JPY'];
const agent = new Agent({ connections: 32, keepAliveTimeout: 10_000 });
const headers = { 'x-client-id': CLIENT, 'user-agent': `shop/${VERSION}` };

async function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body === '' ? undefined : body;
}

async function api(method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  const res = await untraced(() =>
    request(TARGET + path, {
      method: method as 'GET',
      headers: body ? { ...headers, 'content-type': 'application/json' } : headers,
      body,
      dispatcher: agent,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    }),
  );
  return { status: res.statusCode, body: await res.body.text() };
}

const server = http.createServer(async (req, res) => {
  if (req.url === '/healthz')
    return void res.writeHead(200, { 'content-type': 'application/json' }).end(`{"status":"ok","version":"${VERSION}"}`);
  try {
    const answer = await api(req.method ?? 'GET', req.url ?? '/', await readBody(req));
    // The bug: a rate refresh nobody asked for, on every request.
    if (BUGGY) await Promise.all(QUOTE_SYMBOLS.map((symbol) => api('GET', `/v1/quote/${symbol}`)));
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  } catch (err) {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: (err as Error).message }));
  }
});

await listen(server, intEnv('PORT', 8093), hostEnv());
const port = (server.address() as AddressInfo).port;
log.info({ port, client: CLIENT, version: VERSION, buggy: BUGGY }, 'shop listening');
if (process.send) {
  process.send({ ready: port });
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
onShutdown(log, [() => close(server), () => agent.close()]);
