/**
 * The side-by-side run: for each round, every setup in turn starts the api, is warmed up (not
 * measured), then measured; RSS after the run and spans/s the Collector accepted are recorded.
 * Medians over rounds are reported, with the ratios faultline/bare and faultline/stock.
 */
import { counter } from './collector-stats.ts';
import { startApp } from './app.ts';
import { measure, type LoadResult } from './load.ts';
import type { Setup } from './setups.ts';

/** Median figures of one setup over all rounds. */
export interface SetupFigures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  rssMb: number;
  spansPerSec: number;
  errors: number;
  rounds: LoadResult[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/**
 * @param list - setups to compare. @param rounds - interleaved rounds. @param durationS - measured seconds per run.
 * @param warmupS - unmeasured seconds before each run. @param env - app env. @param collectorMetrics - the Collector's :8888 URL.
 */
export async function overhead(list: Setup[], rounds: number, durationS: number, warmupS: number, port: number, env: Record<string, string>, collectorMetrics: string, log: (s: string) => void): Promise<SetupFigures[]> {
  const runs = new Map<string, { r: LoadResult; rss: number; spans: number }[]>();
  for (let round = 1; round <= rounds; round++) {
    for (const setup of list) {
      const app = await startApp(setup, port, env);
      try {
        await measure(app.url, warmupS);
        const before = await counter(collectorMetrics);
        const t0 = Date.now();
        const r = await measure(app.url, durationS);
        await new Promise((res) => setTimeout(res, 1500)); // let the last batch arrive
        const spans = ((await counter(collectorMetrics)) - before) / ((Date.now() - t0) / 1000);
        const rss = app.rssMb();
        runs.set(setup.name, [...(runs.get(setup.name) ?? []), { r, rss, spans }]);
        log(`round ${round} ${setup.name.padEnd(14)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  RSS ${rss.toFixed(0)} MB  ${spans.toFixed(0)} spans/s  errors ${r.errors}`);
      } finally {
        await app.stop();
      }
    }
  }
  return list.map((s) => {
    const xs = runs.get(s.name) ?? [];
    return {
      name: s.name,
      rps: median(xs.map((x) => x.r.rps)),
      p50: median(xs.map((x) => x.r.p50)),
      p99: median(xs.map((x) => x.r.p99)),
      rssMb: median(xs.map((x) => x.rss)),
      spansPerSec: median(xs.map((x) => x.spans)),
      errors: xs.reduce((n, x) => n + x.r.errors, 0),
      rounds: xs.map((x) => x.r),
    };
  });
}
