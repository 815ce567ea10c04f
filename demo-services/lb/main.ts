/**
 * lb: the fleet's edge. An HTTP load balancer in front of the api replicas: round robin over the
 * healthy ones, active health checks (`GET /healthz` with a timeout) that eject and re-admit
 * replicas, `x-request-start` on every forwarded request. See README.md for its env vars.
 */
import http from 'node:http';
import { Agent, request } from 'undici';
import { hostEnv, intEnv, listEnv } from '../shared/env.ts';
import { close, listen } from '../shared/http.ts';
import { createLogger } from '../shared/log.ts';
import { onShutdown } from '../shared/shutdown.ts';
import { BackendSet } from './health.ts';
import { forward, nowMicros } from './proxy.ts';
import { createLbTelemetry } from './telemetry.ts';

const log = createLogger('lb');
const backends = new BackendSet(listEnv('BACKENDS', ['http://127.0.0.1:8081', 'http://127.0.0.1:8082']), {
  unhealthyThreshold: intEnv('UNHEALTHY_THRESHOLD', 2, 1),
  healthyThreshold: intEnv('HEALTHY_THRESHOLD', 2, 1),
});
const HEALTH_INTERVAL_MS = intEnv('HEALTH_INTERVAL_MS', 1000, 50);
const HEALTH_TIMEOUT_MS = intEnv('HEALTH_TIMEOUT_MS', 500, 1);
const PROXY_TIMEOUT_MS = intEnv('PROXY_TIMEOUT_MS', 5000, 1);
const agent = new Agent({ keepAliveTimeout: 10_000, connections: 128 });
const telemetry = createLbTelemetry(backends);

async function probe(url: string): Promise<{ ok: boolean; reason?: string }> {
  try {
    const res = await request(`${url}/healthz`, { dispatcher: agent, headersTimeout: HEALTH_TIMEOUT_MS, bodyTimeout: HEALTH_TIMEOUT_MS });
    await res.body.dump();
    return res.statusCode === 200 ? { ok: true } : { ok: false, reason: `HTTP ${res.statusCode}` };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}

async function check(url: string): Promise<void> {
  let reason: string | undefined;
  const change = await telemetry.healthCheck(
    url,
    () => probe(url),
    (ok, why) => {
      reason = why;
      return backends.record(url, ok, why);
    },
  );
  if (change === 'ejected') log.warn({ backend: url, reason }, 'backend ejected');
  if (change === 'readmitted') log.info({ backend: url }, 'backend re-admitted');
}

const healthTimer = setInterval(() => {
  for (const url of backends.urls()) void check(url);
}, HEALTH_INTERVAL_MS);

const server = http.createServer(async (req, res) => {
  const arrived = nowMicros();
  if (req.url === '/lb/status') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(backends.status()));
    return;
  }
  const backend = backends.next();
  if (!backend) {
    res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"no healthy backend"}');
    return;
  }
  telemetry.forwarded(backend.url);
  try {
    await forward(agent, backend.url, req, res, arrived, PROXY_TIMEOUT_MS);
  } catch (err) {
    const timeout = /timeout/i.test((err as Error).name + (err as Error).message);
    if (!res.headersSent) res.writeHead(timeout ? 504 : 502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: (err as Error).message, backend: backend.url }));
  }
});

const PORT = intEnv('PORT', 8080, 1);
await listen(server, PORT, hostEnv());
log.info({ port: PORT, backends: backends.urls() }, 'lb listening');
onShutdown(log, [async () => clearInterval(healthTimer), () => close(server), () => agent.close()]);
