/**
 * loadgen: drives traffic through the load balancer from many clients at uneven rates, for a
 * duration or until stopped. It stands for the outside world, so it runs WITHOUT the preload (its one
 * client team with a backend of its own, the shop, runs as its child WITH the preload). Scenarios
 * `client-flood` and `buggy-deploy` are switched on its admin port; `LOADGEN_SCHEDULE` switches any
 * scenario at set times. See README.md for its env vars.
 */
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { createLogger } from '../shared/log.ts';
import { adminHandler } from '../shared/admin.ts';
import { hostEnv, intEnv, numEnv, strEnv } from '../shared/env.ts';
import { close, listen } from '../shared/http.ts';
import { findScenario } from '../shared/scenarios.ts';
import { Switchboard } from '../shared/switchboard.ts';
import { defaultAdminUrls, parseAdminUrls, switchScenario, type AdminUrls } from '../scenario/client.ts';
import { createFlood } from './flood.ts';
import { clientIds, planner, zipfWeights, type Planned } from './mix.ts';
import { parseSchedule, runSchedule } from './schedule.ts';
import { createShop } from './shop-process.ts';

const log = createLogger('loadgen');
const say = (line: string) => process.stdout.write(`loadgen ${line}\n`);
const TARGET = strEnv('TARGET_URL', 'http://127.0.0.1:8080');
const RATE = numEnv('LOADGEN_RATE', 40);
const CLIENTS = clientIds(intEnv('LOADGEN_CLIENTS', 24, 1));
const WEIGHTS = zipfWeights(CLIENTS.length, numEnv('LOADGEN_SKEW', 1));
const SEED = intEnv('LOADGEN_SEED', 1);
const DURATION_S = intEnv('LOADGEN_DURATION_S', 0);
const MAX_IN_FLIGHT = intEnv('LOADGEN_MAX_IN_FLIGHT', 64, 1);
const next = planner(CLIENTS, WEIGHTS, SEED);
const agent = new Agent({ connections: MAX_IN_FLIGHT, keepAliveTimeout: 10_000 });

/** Usual rate of `client`, requests/s (an unknown client counts as an average one). */
function baseRate(client: string): number {
  const i = CLIENTS.indexOf(client);
  return RATE * (i >= 0 ? WEIGHTS[i]! : 1 / CLIENTS.length);
}

const flood = createFlood({
  client: strEnv('LOADGEN_FLOOD_CLIENT', 'team-07'),
  factor: numEnv('LOADGEN_FLOOD_FACTOR', 6, 1),
  baseRate: baseRate(strEnv('LOADGEN_FLOOD_CLIENT', 'team-07')),
});
const nextFlood = planner([flood.client], [1], SEED + 1);
const SHOP_CLIENT = strEnv('LOADGEN_SHOP_CLIENT', 'team-05');
const shop =
  SHOP_CLIENT === 'off'
    ? undefined
    : createShop({
        script: fileURLToPath(new URL('../shop/main.js', import.meta.url)),
        port: intEnv('LOADGEN_SHOP_PORT', 0),
        client: SHOP_CLIENT,
        target: TARGET,
        baseVersion: strEnv('LOADGEN_SHOP_VERSION', '0.1.0'),
        deployVersion: strEnv('SCENARIO_DEPLOY_VERSION', '2.0.0'),
        log: say,
      });
const board = new Switchboard('loadgen', { 'client-flood': flood.handler, ...(shop ? { 'buggy-deploy': shop.handler } : {}) });

const stats = { sent: 0, ok: 0, errors: 0, dropped: 0, byStatus: {} as Record<string, number>, perClient: {} as Record<string, number> };
let inFlight = 0;

async function fire(p: Planned): Promise<void> {
  if (inFlight >= MAX_IN_FLIGHT) {
    stats.dropped++;
    return;
  }
  inFlight++;
  stats.sent++;
  stats.perClient[p.client] = (stats.perClient[p.client] ?? 0) + 1;
  const base = (p.client === shop?.client && shop.url()) || TARGET;
  try {
    const res = await request(base + p.path, {
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
let floodBudget = 0;
const ticker = setInterval(() => {
  budget += (RATE * TICK_MS) / 1000;
  floodBudget += (flood.extraRate() * TICK_MS) / 1000;
  while (budget >= 1) {
    budget--;
    void fire(next());
  }
  while (floodBudget >= 1) {
    floodBudget--;
    void fire(nextFlood());
  }
}, TICK_MS);

function top3(): string {
  return Object.entries(stats.perClient)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([c, n]) => `${c}=${n}`)
    .join(' ');
}
const reporter = setInterval(() => {
  say(
    `sent=${stats.sent} ok=${stats.ok} errors=${stats.errors} dropped=${stats.dropped} in_flight=${inFlight} status=${JSON.stringify(stats.byStatus)} top=${top3()}`,
  );
}, 5000);

// Scenario switches: this process's own, and the schedule's for everyone.
const adminUrls: AdminUrls = (() => {
  try {
    return { ...defaultAdminUrls(), ...parseAdminUrls(strEnv('FLEET_ADMIN_URLS', '')) };
  } catch (err) {
    process.stderr.write(`[demo] FLEET_ADMIN_URLS: ${(err as Error).message}; using the native defaults.\n`);
    return defaultAdminUrls();
  }
})();
const admin = adminHandler(board, log);
const adminServer = http.createServer((req, res) => {
  if (!admin(req, res)) res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
});
const schedule = parseSchedule(strEnv('LOADGEN_SCHEDULE', ''));
for (const e of schedule.errors) process.stderr.write(`[demo] LOADGEN_SCHEDULE: ${e}; skipped.\n`);
const cancelSchedule = runSchedule(schedule.entries, async (e) => {
  const local = findScenario(e.name)!.services.includes('loadgen');
  if (local) await board.set(e.name, e.on);
  const remote = await switchScenario(e.name, e.on, Object.fromEntries(Object.entries(adminUrls).filter(([s]) => s !== 'loadgen')));
  const failed = remote.filter((r) => !r.ok && r.service !== 'loadgen');
  say(
    `schedule: ${e.name} ${e.on ? 'on' : 'off'}${failed.length ? ` (failed: ${failed.map((f) => `${f.service} ${JSON.stringify(f.body)}`).join('; ')})` : ''}`,
  );
});

let finished = false;
async function finish(): Promise<void> {
  if (finished) return;
  finished = true;
  clearInterval(ticker);
  clearInterval(reporter);
  cancelSchedule();
  const deadline = Date.now() + 3000;
  while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  say(`summary ${JSON.stringify({ total: stats.sent, ...stats })}`);
  await Promise.allSettled([agent.close(), close(adminServer), shop?.stop()]);
  process.exit(0);
}
process.on('SIGTERM', () => void finish());
process.on('SIGINT', () => void finish());
if (DURATION_S > 0) setTimeout(() => void finish(), DURATION_S * 1000);

await listen(adminServer, intEnv('PORT', 8092), hostEnv());
say(
  `target=${TARGET} rate=${RATE}/s clients=${CLIENTS.length} duration=${DURATION_S || 'until stopped'} admin=:${intEnv('PORT', 8092)}${schedule.entries.length ? ` schedule=${schedule.entries.length} switches` : ''}`,
);
await shop?.start().catch((err: Error) => say(`shop not started: ${err.message}; ${SHOP_CLIENT} goes straight to the lb`));
