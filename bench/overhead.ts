/**
 * The side-by-side run: in each round every setup in turn (the order rotated by one each round)
 * starts the api, is warmed up (not measured), then measured. Medians over rounds are reported.
 */
import { spanCounters } from './collector-stats.ts';
import { startApp } from './app.ts';
import { liveHeapMb } from './heap.ts';
import { measure, type LoadResult } from './load.ts';
import { busyShare, cpuByGroup, cpuMs, foreignCpuMs, machineTicks, ownGroup } from './proc.ts';
import type { Setup } from './setups.ts';

/** One measured run of one setup. */
export interface RunFigures extends LoadResult {
  round: number;
  /** VmRSS of the app right after start-up (before any request), MB. */
  rssIdleMb: number;
  /** VmRSS of the app right after the measured run, MB. */
  rssMb: number;
  /** The app's live V8 heap after a full GC once the run is over (`bench/heap.ts`), MB; NaN if it could not be read. */
  heapAfterGcMb: number;
  /** VmRSS right after that full GC, MB; NaN if the GC could not be asked for. */
  rssAfterGcMb: number;
  /** Spans per second the Collector accepted (receiver counter delta / measured seconds). */
  spansPerSec: number;
  /** Spans the Collector accepted per 2xx response. */
  spansPerRequest: number;
  /** Spans the Collector refused during the run. */
  refused: number;
  /** App CPU time (user + system) per 2xx response, µs. */
  cpuUsPerRequest: number;
  /** Collector + Jaeger CPU time per 2xx response, µs (work the app's spans cause on this machine). */
  pipelineCpuUsPerRequest: number;
  /** Share of all cores busy during the measurement, 0..1. */
  machineBusy: number;
  /** CPU used by processes not started by the bench during the measurement, in cores (0.25 = a quarter of one core). */
  foreignCores: number;
  /** Measurements made for this run (more than 1: earlier ones were disturbed by other work and discarded). */
  attempts: number;
}

/** Median figures of one setup over all rounds (fields as in {@link RunFigures}), plus every run. */
export interface SetupFigures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  rssIdleMb: number;
  rssMb: number;
  heapAfterGcMb: number;
  rssAfterGcMb: number;
  spansPerSec: number;
  spansPerRequest: number;
  cpuUsPerRequest: number;
  pipelineCpuUsPerRequest: number;
  machineBusy: number;
  foreignCores: number;
  /** Errors summed over all runs. */
  errors: number;
  runs: RunFigures[];
}

/** Median (upper median for an even count); NaN for none. */
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Where and how to run: see {@link overhead}. */
export interface OverheadOptions {
  rounds: number;
  /** Measured seconds per run. */
  durationS: number;
  /** Unmeasured seconds of the same load before each run. */
  warmupS: number;
  /** Route under load, e.g. `/v1/stock/:id`. */
  route: string;
  port: number;
  /** The app's entry script (`BenchApp.entry`); default the demo api. */
  entry?: string;
  /** App env (PG*, REDIS_URL, OTEL_EXPORTER_OTLP_ENDPOINT, …). */
  env: Record<string, string>;
  /** The Collector's own metrics URL. */
  collectorMetrics: string;
  /** PIDs whose CPU counts as pipeline cost (Collector, Jaeger). */
  pipelinePids: number[];
  /** Process groups of the stack (the bench's own group is added): any other CPU use is foreign. */
  stackGroups: number[];
  /** A measurement with more foreign CPU than this many cores is repeated (default 0.15). */
  maxForeignCores?: number;
  /** Most measurements per run (default 3); the least disturbed one is kept. */
  maxAttempts?: number;
  log: (line: string) => void;
}

/** Starts `setup`, warms up, measures once, stops; foreign CPU is measured alongside. */
async function measureOnce(setup: Setup, round: number, o: OverheadOptions, ours: ReadonlySet<number>): Promise<RunFigures> {
  const pipelineCpu = () => o.pipelinePids.reduce((n, pid) => n + cpuMs(pid), 0);
  const app = await startApp(setup, o.port, o.env, [], o.entry);
  try {
    const rssIdleMb = app.rssMb();
    await measure(app.url, o.warmupS, o.route);
    const before = await spanCounters(o.collectorMetrics);
    const [cpu0, pipe0, m0, g0] = [app.cpuMs(), pipelineCpu(), machineTicks(), cpuByGroup()];
    const r = await measure(app.url, o.durationS, o.route);
    const [cpu1, pipe1, m1, g1] = [app.cpuMs(), pipelineCpu(), machineTicks(), cpuByGroup()];
    const rssMb = app.rssMb();
    // The SDKs send a batch as soon as it is full (512 spans), so all but the last partial batch
    // is in; the warm-up's last partial batch arrived inside the window, which evens it out.
    await new Promise((res) => setTimeout(res, 1200));
    const after = await spanCounters(o.collectorMetrics);
    const spans = after.accepted - before.accepted;
    // After every other figure is taken: a full GC shows what the app keeps, apart from the heap room
    // V8 grew into under load.
    const heapMb = await liveHeapMb(app.pid);
    return {
      ...r,
      round,
      rssIdleMb,
      rssMb,
      heapAfterGcMb: heapMb ?? NaN,
      rssAfterGcMb: heapMb === undefined ? NaN : app.rssMb(),
      spansPerSec: spans / o.durationS,
      spansPerRequest: r.requests ? spans / r.requests : 0,
      refused: after.refused - before.refused,
      cpuUsPerRequest: r.requests ? ((cpu1 - cpu0) * 1000) / r.requests : NaN,
      pipelineCpuUsPerRequest: r.requests ? ((pipe1 - pipe0) * 1000) / r.requests : NaN,
      machineBusy: busyShare(m0, m1),
      foreignCores: foreignCpuMs(g0, g1, ours) / (o.durationS * 1000),
      attempts: 1,
    };
  } finally {
    await app.stop();
  }
}

/**
 * Runs every setup `rounds` times, interleaved (order rotated each round). A measurement during which
 * other work on the machine used more than `maxForeignCores` is repeated (up to `maxAttempts`).
 * @returns median figures per setup, in `list` order.
 */
export async function overhead(list: Setup[], o: OverheadOptions): Promise<SetupFigures[]> {
  const runs = new Map<string, RunFigures[]>(list.map((s) => [s.name, []]));
  const ours = new Set([ownGroup(), ...o.stackGroups]);
  const maxForeign = o.maxForeignCores ?? 0.15;
  for (let round = 1; round <= o.rounds; round++) {
    const order = list.map((_, i) => list[(i + round - 1) % list.length]!);
    for (const setup of order) {
      let best: RunFigures | undefined;
      for (let attempt = 1; attempt <= (o.maxAttempts ?? 3); attempt++) {
        const f = await measureOnce(setup, round, o, ours);
        if (!best || f.foreignCores < best.foreignCores) best = { ...f, attempts: attempt };
        best.attempts = attempt;
        if (f.foreignCores <= maxForeign || attempt === (o.maxAttempts ?? 3)) break;
        o.log(`round ${round} ${setup.name}: other work used ${f.foreignCores.toFixed(2)} cores during the measurement; measuring again`);
        await new Promise((res) => setTimeout(res, 5000));
      }
      const f = best!;
      runs.get(setup.name)!.push(f);
      o.log(
        `round ${round} ${setup.name.padEnd(14)} ${f.rps.toFixed(0).padStart(6)} req/s  p50 ${f.p50.toFixed(2)} ms  p99 ${f.p99.toFixed(2)} ms  ` +
          `RSS ${f.rssIdleMb.toFixed(0)}→${f.rssMb.toFixed(0)} MB  app CPU ${f.cpuUsPerRequest.toFixed(0)} µs/req  ` +
          `${f.spansPerSec.toFixed(0)} spans/s (${f.spansPerRequest.toFixed(2)}/req)  machine ${(f.machineBusy * 100).toFixed(0)}% busy, ` +
          `others ${f.foreignCores.toFixed(2)} cores  errors ${f.errors}`,
      );
    }
  }
  return list.map((s) => {
    const xs = runs.get(s.name)!;
    const med = (k: keyof RunFigures) => median(xs.map((x) => x[k] as number));
    return {
      name: s.name,
      rps: med('rps'),
      p50: med('p50'),
      p99: med('p99'),
      rssIdleMb: med('rssIdleMb'),
      rssMb: med('rssMb'),
      heapAfterGcMb: med('heapAfterGcMb'),
      rssAfterGcMb: med('rssAfterGcMb'),
      spansPerSec: med('spansPerSec'),
      spansPerRequest: med('spansPerRequest'),
      cpuUsPerRequest: med('cpuUsPerRequest'),
      pipelineCpuUsPerRequest: med('pipelineCpuUsPerRequest'),
      machineBusy: med('machineBusy'),
      foreignCores: med('foreignCores'),
      errors: xs.reduce((n, x) => n + x.errors + x.refused, 0),
      runs: xs,
    };
  });
}
