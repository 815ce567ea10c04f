/** The benchmark's table (markdown, for the README) and JSON, with each target marked PASS/FAIL. */
import type { CapacityResult } from './capacity.ts';
import type { Freshness } from './freshness.ts';
import type { SetupFigures } from './overhead.ts';

/** Everything one run measured. */
export interface BenchRun {
  machine: Record<string, string | number>;
  stamping: { stampingNsPerSpan: number; nsPerSpanBare: number };
  figures: SetupFigures[];
  capacity: CapacityResult[];
  freshness: Freshness;
  quick: boolean;
  rounds: number;
  durationS: number;
}

const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** @returns the markdown report and the JSON document (targets included). */
export function report(run: BenchRun): { markdown: string; json: object } {
  const by = Object.fromEntries(run.figures.map((f) => [f.name, f]));
  const bare = by['bare']!;
  const fl = by['faultline']!;
  const stock = by['stock'];
  const rows = run.figures.map(
    (f) => `| ${f.name} | ${f.rps.toFixed(0)} | ${(f.rps / bare.rps).toFixed(2)}× | ${f.p50} | ${f.p99} | ${(f.p99 / bare.p99).toFixed(2)}× | ${f.rssMb.toFixed(0)} | ${(f.rssMb - bare.rssMb).toFixed(0)} | ${f.spansPerSec.toFixed(0)} |`,
  );
  const paced = run.capacity.find((c) => c.rateTarget > 0);
  const targets = [
    { target: 'throughput ≥ 0.85× bare (all spans sampled)', value: `${(fl.rps / bare.rps).toFixed(2)}×`, ok: fl.rps / bare.rps >= 0.85 },
    { target: 'p99 ≤ 1.3× bare', value: `${(fl.p99 / bare.p99).toFixed(2)}×`, ok: fl.p99 / bare.p99 <= 1.3 },
    { target: 'RSS ≤ bare + 40 MB', value: `+${(fl.rssMb - bare.rssMb).toFixed(0)} MB`, ok: fl.rssMb - bare.rssMb <= 40 },
    { target: 'client ID + pool stamping ≤ 1 µs/span', value: `${run.stamping.stampingNsPerSpan} ns`, ok: run.stamping.stampingNsPerSpan <= 1000 },
    { target: '≥ 20,000 spans/s from one process, 0 dropped', value: paced ? `${paced.acceptedPerSec.toFixed(0)}/s, ${paced.dropped} dropped` : 'n/a', ok: !!paced && paced.acceptedPerSec >= 19_000 && paced.dropped === 0 },
    { target: 'trace in Jaeger ≤ 5 s after the request (p95)', value: `${(run.freshness.p95 / 1000).toFixed(2)} s`, ok: run.freshness.p95 <= 5000 },
  ];
  const markdown = [
    `Machine: ${run.machine['cpu']}, ${run.machine['cores']} cores, ${run.machine['memoryGiB']} GiB, Node ${run.machine['node']}. ${run.rounds} interleaved round(s) × ${run.durationS} s per setup, medians.`,
    '',
    '| setup | req/s | × bare | p50 ms | p99 ms | p99 × bare | RSS MB | RSS − bare | spans/s exported |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    stock ? `faultline/stock: throughput ${(fl.rps / stock.rps).toFixed(2)}×, p99 ${(fl.p99 / stock.p99).toFixed(2)}×, RSS ${(fl.rssMb - stock.rssMb).toFixed(0)} MB.` : '',
    '',
    '| target | measured | |',
    '|---|---|---|',
    ...targets.map((t) => `| ${t.target} | ${t.value} | ${pass(t.ok)} |`),
  ].join('\n');
  return { markdown, json: { ...run, targets } };
}
