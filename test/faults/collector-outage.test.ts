/**
 * The app under load while its Collector is (a) stopped for FAULT_OUTAGE_S seconds (default 60, as
 * the issue asks) and then started again, and (b) a black hole that accepts connections and never
 * answers. The app must keep serving with about the same p99, bounded memory, one warning, and
 * export must resume within 10 s of the Collector's return.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  freePorts,
  startCollector,
  startTogether,
  startJaeger,
  startPostgres,
  startRedis,
  type CollectorInstance,
  type CollectorPorts,
} from '../../stack/src/index.ts';
import { M, scrape, sumCounter } from '@faultline/signals';
import { fixtureRunner, loadPhase, type Phase, type Run } from '@faultline/testkit';

const runFixture = fixtureRunner(new URL('../../instrumentation/test/fixtures/', import.meta.url));

const OUTAGE_MS = Number(process.env['FAULT_OUTAGE_S'] ?? 60) * 1000;
const BASELINE_MS = 20_000;
const stops: (() => Promise<void>)[] = [];
let app: Run;
let url = '';
let ports: CollectorPorts;
let jaegerOtlp = '';
let collector: CollectorInstance | undefined;

async function accepted(c: CollectorInstance): Promise<number> {
  return sumCounter(await scrape(c.metricsUrl), M.collectorAcceptedSpans);
}

/** The app's `process.memoryUsage()`, from the fixture's `/memory` (`gc`: after a full collection). */
async function appMemory(gc = false): Promise<NodeJS.MemoryUsage> {
  const r = await fetch(url.replace(/\/items\/\d+$/, gc ? '/memory?gc=1' : '/memory'));
  return (await r.json()) as NodeJS.MemoryUsage;
}

/**
 * The app's live memory, MB: V8 heap in use plus memory outside it (`external`: Buffers such as
 * export payloads) right after a full collection.
 */
async function liveMb(): Promise<number> {
  const m = await appMemory(true);
  return (m.heapUsed + m.external) / 2 ** 20;
}

/** Highest values seen while sampling the app's memory every second, MB. */
interface Peaks {
  /** Resident set size. */
  rss: number;
  /** RSS minus V8's heap (`heapTotal`): native memory (sockets, Buffers' backing stores, the allocator's own). */
  native: number;
}

const MB = 2 ** 20;

/** Runs `phase` while sampling the app's memory every second: its result and the peaks seen. */
async function peaks<T>(phase: () => Promise<T>): Promise<{ result: T; peak: Peaks }> {
  const peak: Peaks = { rss: 0, native: 0 };
  const sample = async () => {
    const m = await appMemory().catch(() => undefined);
    if (!m) return;
    peak.rss = Math.max(peak.rss, m.rss / MB);
    peak.native = Math.max(peak.native, (m.rss - m.heapTotal) / MB);
  };
  await sample();
  const sampler = setInterval(() => void sample(), 1000);
  try {
    return { result: await phase(), peak };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * Runs the fault `phase` and judges memory. Bounded means what the instrumentation can hold stays
 * bounded: live memory (after a full GC just before and just after the phase, never while latencies
 * are measured) grew by at most 25 MB (the export queue is bounded at 2,048 spans, a few MB), and
 * native memory (RSS minus V8's heap) peaked at most 50 MB above its peak in the baseline phase
 * under the same load (sockets and payloads held by a Collector that never answers).
 *
 * Total RSS is printed, not judged: V8 sizes its heap by the allocation rate, not by what is live.
 * Under this load alone, with the Collector answering, it grows its heap from ~100 to ~170 MB
 * (RSS ~175 → ~245 MB) at a moment of its choosing, in the baseline in one run and in the fault in
 * the next, so a rule on RSS against the baseline failed CI runs on that step both ways
 * (141 → 244 MB with live memory +14 MB; earlier 254 → 307 MB on a trend rule).
 */
async function withMemory<T>(baseline: Peaks, phase: () => Promise<T>): Promise<{ result: T; mem: { ok: boolean; text: string } }> {
  const liveBefore = await liveMb();
  const { result, peak } = await peaks(phase);
  const liveAfter = await liveMb();
  return {
    result,
    mem: {
      ok: liveAfter - liveBefore <= 25 && peak.native - baseline.native <= 50,
      text:
        `live memory ${liveBefore.toFixed(1)} → ${liveAfter.toFixed(1)} MB; native memory peak ${baseline.native.toFixed(0)} MB in the baseline, ` +
        `${peak.native.toFixed(0)} MB in the fault; RSS peak ${baseline.rss.toFixed(0)} → ${peak.rss.toFixed(0)} MB (V8's heap sizing, not judged)`,
    },
  };
}

function p99Within(base: Phase, fault: Phase): boolean {
  return fault.p99 <= Math.max(base.p99 * 1.1, base.p99 + 2);
}

before(async () => {
  const [pg, redis, g, h, health, prom, metrics, jg, jh, jq, jqg, jhe, jm, appPort] = await freePorts(14);
  const [postgres, redisI, jaeger] = await startTogether([
    startPostgres({ port: pg! }),
    startRedis({ port: redis! }),
    startJaeger({ ports: { otlpGrpc: jg!, otlpHttp: jh!, query: jq!, queryGrpc: jqg!, health: jhe!, metrics: jm! } }),
  ]);
  stops.push(
    () => postgres.stop(),
    () => redisI.stop(),
    () => jaeger.stop(),
  );
  ports = { otlpGrpc: g!, otlpHttp: h!, health: health!, prometheus: prom!, metrics: metrics! };
  jaegerOtlp = jaeger.otlpGrpcEndpoint;
  collector = await startCollector({ ports, jaegerOtlpEndpoint: jaegerOtlp, keepAllTraces: true });
  app = runFixture('app.mjs', {
    preload: true,
    env: {
      ...postgres.env,
      REDIS_URL: `redis://127.0.0.1:${redisI.port}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl,
      OTEL_SERVICE_NAME: 'fault-app',
      OTEL_BSP_SCHEDULE_DELAY: '500',
      PORT: String(appPort),
    },
  });
  await app.waitFor('listening');
  url = `http://127.0.0.1:${appPort}/items/7`;
  await loadPhase(url, 3000);
  // Load is paced (300 req/s, ~2,000 spans/s): the test is about the fault, not about saturation.
});

after(async () => {
  app?.child.kill('SIGTERM');
  await app?.exited;
  await collector?.stop();
  for (const stop of stops.reverse()) await stop();
});

describe('Collector outages do not hurt the app', () => {
  it(`stopped for ${OUTAGE_MS / 1000} s: same p99, bounded memory, one warning, export back within 10 s`, async () => {
    const { result: base, peak } = await peaks(() => loadPhase(url, BASELINE_MS));
    await collector!.stop();
    const { result: down, mem } = await withMemory(peak, () => loadPhase(url, OUTAGE_MS));
    collector = await startCollector({ ports, jaegerOtlpEndpoint: jaegerOtlp, keepData: true, keepAllTraces: true });
    const t0 = Date.now();
    const light = loadPhase(url, 12_000, 50, 2);
    let resumedMs = -1;
    while (Date.now() - t0 < 12_000) {
      if ((await accepted(collector)) > 0) {
        resumedMs = Date.now() - t0;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await light;
    console.log(
      `collector down: base p99 ${base.p99.toFixed(1)} ms (${base.requests} req), down p99 ${down.p99.toFixed(1)} ms (${down.requests} req, ${down.errors} errors), ` +
        `${mem.text}, export resumed after ${resumedMs} ms`,
    );
    assert.equal(down.errors, 0);
    assert.ok(p99Within(base, down), `p99 ${down.p99.toFixed(1)} ms vs ${base.p99.toFixed(1)} ms with the Collector up`);
    assert.ok(mem.ok, mem.text);
    assert.ok(resumedMs >= 0 && resumedMs <= 10_000, `export resumed after ${resumedMs} ms`);
    const warnings = app
      .stderr()
      .split('\n')
      .filter((l) => l.includes('cannot export spans'));
    assert.equal(warnings.length, 1, app.stderr());
  });

  it(`a black hole for ${OUTAGE_MS / 1000} s: same p99, bounded memory`, async () => {
    const { result: base, peak } = await peaks(() => loadPhase(url, BASELINE_MS));
    await collector!.stop();
    collector = undefined;
    const sockets = new Set<net.Socket>();
    const hole = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
      s.resume(); // read and never answer
    });
    await new Promise<void>((r) => hole.listen(ports.otlpHttp, '127.0.0.1', r));
    const { result: holed, mem } = await withMemory(peak, () => loadPhase(url, OUTAGE_MS));
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => hole.close(() => r()));
    console.log(
      `black hole: base p99 ${base.p99.toFixed(1)} ms, black-hole p99 ${holed.p99.toFixed(1)} ms (${holed.requests} req, ${holed.errors} errors), ` +
        `${mem.text}, ${sockets.size} connections held`,
    );
    assert.equal(holed.errors, 0);
    assert.ok(p99Within(base, holed), `p99 ${holed.p99.toFixed(1)} ms vs ${base.p99.toFixed(1)} ms`);
    assert.ok(mem.ok, mem.text);
  });
});
