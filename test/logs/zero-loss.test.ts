/**
 * No log record the Collector accepted is lost, as for spans: (a) VictoriaLogs stopped for
 * FAULT_OUTAGE_S seconds (default 60) while records flow — the Collector keeps them in its file_storage
 * queue and delivers them when the store returns; (b) the Collector restarted (SIGTERM, started again on
 * the same storage) while records wait in its queue for a log store that is down. A record counts as
 * accepted when the Collector answered its OTLP/HTTP request with 200.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { logs } from '@faultline/signals';
import { eventually } from '@faultline/testkit';
import {
  freePorts,
  startCollector,
  startVictoriaLogs,
  type CollectorInstance,
  type CollectorPorts,
  type VictoriaLogsInstance,
} from '../../stack/src/index.ts';
import { otlpJson } from '../../cli/src/events/otlp.ts';

const OUTAGE_MS = Number(process.env['FAULT_OUTAGE_S'] ?? 60) * 1000;
let cPorts: CollectorPorts;
let vlPort: number;
let collector: CollectorInstance | undefined;
let store: VictoriaLogsInstance | undefined;

const collectorOpts = (keepData: boolean) => ({
  ports: cPorts,
  keepData,
  env: { VICTORIALOGS_OTLP_LOGS_URL: `http://127.0.0.1:${vlPort}/insert/opentelemetry/v1/logs` },
});

before(async () => {
  const [g, h, he, p, m, v] = await freePorts(6);
  cPorts = { otlpGrpc: g!, otlpHttp: h!, health: he!, prometheus: p!, metrics: m! };
  vlPort = v!;
  store = await startVictoriaLogs({ port: vlPort });
  collector = await startCollector(collectorOpts(false));
});
after(async () => {
  await collector?.stop();
  await store?.stop();
});

/** Sends records `run` #1.. at `perSecond` for `ms`; resolves to how many the Collector accepted. */
async function send(run: string, ms: number, perSecond: number): Promise<number> {
  let accepted = 0;
  const end = Date.now() + ms;
  for (let i = 1; Date.now() < end; i++) {
    const body = otlpJson({
      resource: { 'service.name': 'zero-loss-logs' },
      attributes: { run, seq: String(i) },
      body: `record ${i} of ${run}`,
    });
    try {
      const res = await fetch(`${collector!.otlpHttpUrl}/v1/logs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await res.arrayBuffer();
      if (res.ok) accepted++;
    } catch {
      // not accepted: the Collector is restarting
    }
    await new Promise((r) => setTimeout(r, 1000 / perSecond));
  }
  return accepted;
}

async function stored(run: string): Promise<number> {
  const [row] = await logs.query(store!.url, `${logs.fieldEq('run', run)} | stats count() n`, { start: Date.now() / 1000 - 3600 });
  return Number(row?.['n'] ?? 0);
}

const allStored = (run: string, accepted: number) =>
  eventually(
    `${accepted} records of ${run} in VictoriaLogs`,
    async () => {
      const n = await stored(run);
      return n >= accepted ? n : undefined;
    },
    60_000,
    1000,
  ).catch(() => stored(run));

describe('no accepted log record is lost', () => {
  it(`while VictoriaLogs is down for ${OUTAGE_MS / 1000} s`, async () => {
    await store!.stop();
    const accepted = await send('store-down', OUTAGE_MS, 20);
    store = await startVictoriaLogs({ port: vlPort, keepData: true });
    const found = await allStored('store-down', accepted);
    console.log(`VictoriaLogs down ${OUTAGE_MS / 1000} s: accepted ${accepted}, stored ${found}`);
    assert.ok(accepted > 0);
    assert.equal(found, accepted);
  });

  it('while the Collector restarts with records queued for a log store that is down', async () => {
    await store!.stop();
    const first = await send('restart', 5000, 20);
    await collector!.stop();
    collector = await startCollector(collectorOpts(true));
    const second = await send('restart', 3000, 20);
    store = await startVictoriaLogs({ port: vlPort, keepData: true });
    const found = await allStored('restart', first + second);
    console.log(`Collector restart, store down: accepted ${first} + ${second}, stored ${found}`);
    assert.equal(found, first + second);
  });
});
