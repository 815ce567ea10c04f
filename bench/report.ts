/** The benchmark's markdown report (for the README's performance section) and JSON, targets marked PASS/FAIL. */
import type { CapacityResult } from './capacity.ts';
import type { Freshness } from './freshness.ts';
import type { StoreRate } from './collector-stats.ts';
import type { SetupFigures } from './overhead.ts';
import type { Machine } from './proc.ts';
import type { PackageDelta, ProfileSummary } from './profile.ts';

/** The stamping micro-benchmark's output (bench/stamping.ts), ns per span. */
export interface Stamping {
  nsPerSpanBare: number;
  nsPerSpanStamped: number;
  stampingNsPerSpan: number;
}

/** The export-path micro-benchmark's output (bench/export-cost.ts): OTLP protobuf serialization per span. */
export interface ExportCost {
  spans: number;
  rounds: number;
  /** Attributes per span of the request's spans, with and without faultline's stamping. */
  attributesPerSpan: { stamped: number; unstamped: number };
  /** Per variant: µs per span to serialize (and gzip, where named), and the payload's bytes per span. */
  serializeUsPerSpan: Record<string, { us: number; bytesPerSpan: number }>;
}

/** The start-up memory benchmark's output (bench/startup-memory.ts): per setup, MB after full GCs of an idle app. */
export type StartupMemory = Record<string, { rssMb: number; heapMb: number }>;

/** One app's side-by-side figures. */
export interface AppFigures {
  /** `api` or `plain-http` (`bench/apps.ts`). */
  app: string;
  route: string;
  description: string;
  /** Medians per setup, `bare` first. */
  figures: SetupFigures[];
}

/** Everything one run measured. */
export interface BenchRun {
  date: string;
  machine: Machine;
  /** Settings of the run: rounds, seconds, route, connections, flags. */
  settings: Record<string, unknown>;
  stamping: Stamping;
  exportCost: ExportCost;
  /** What loading costs an idle app (no request), per setup. */
  startupMemory: StartupMemory;
  /** The first app's figures (the demo api unless `--app` chose another): `apps[0].figures`. */
  figures: SetupFigures[];
  /** Every app measured, the first one being {@link BenchRun.figures}. */
  apps: AppFigures[];
  capacity: CapacityResult[];
  /** Measured first, on the idle pipeline. */
  freshness: Freshness;
  /** Jaeger's storage rate, read from the Collector's exporter while the overhead runs' backlog drains. */
  jaegerStoreRate?: StoreRate;
  /** CPU profiles under the same load, one per app measured (absent when none were taken). */
  profiles?: AppProfile[];
  /** Wall-clock seconds of the whole run. */
  elapsedS: number;
}

/** One app's CPU profiles under the bench's load. */
export interface AppProfile {
  /** `api` or `plain-http`. */
  app: string;
  /** Layer by layer: bare first, faultline last, the layers between them in order. */
  layers: ProfileSummary[];
  /** faultline − bare, per package (µs of self time per request), largest increase first. */
  delta: PackageDelta[];
}

/** One target's verdict. */
export interface Target {
  target: string;
  measured: string;
  ok: boolean;
}

const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const n0 = (v: number) => Math.round(v).toLocaleString('en-US');
/** A difference with its sign: `+12`, `−3`, `±0`. */
const signed = (v: number) => (!Number.isFinite(v) ? 'n/a' : Math.round(v) === 0 ? '±0' : Math.round(v) > 0 ? `+${n0(v)}` : `−${n0(-v)}`);
const mb = (v: number) => (Number.isFinite(v) ? n0(v) : 'n/a');
const bsp = (c: CapacityResult) =>
  Object.entries(c.bsp)
    .map(([k, v]) => `${k.replace('OTEL_BSP_', '')}=${v}`)
    .join(' ');

/** The paced run the export target is judged on: the first one with no drop, else the last paced one. */
export function targetCapacityRun(cap: CapacityResult[]): CapacityResult | undefined {
  const paced = cap.filter((c) => c.rate > 0);
  return paced.find((c) => c.dropped === 0 && !c.sdk?.queueFull) ?? paced.at(-1);
}

/**
 * App CPU per exported span for recording and exporting: (faultline − `fl:sampler-off`) app CPU per
 * request over the spans per request the Collector accepted; undefined without a sampler-off row.
 */
export function usPerExportedSpan(figures: SetupFigures[]): number | undefined {
  const fl = figures.find((f) => f.name === 'faultline');
  const off = figures.find((f) => f.name === 'fl:sampler-off');
  if (!fl || !off || !(fl.spansPerRequest > 0)) return undefined;
  return (fl.cpuUsPerRequest - off.cpuUsPerRequest) / fl.spansPerRequest;
}

/** The issue-20 targets of one app: faultline (every span sampled) against bare and stock, medians of one run. */
function appTargets(a: AppFigures): Target[] {
  const by = Object.fromEntries(a.figures.map((f) => [f.name, f]));
  const bare = by['bare']!;
  const fl = by['faultline']!;
  const stock = by['stock'];
  const st = (f: (s: SetupFigures) => string) => (stock ? ` (stock ${f(stock)})` : '');
  const gcRss = (f: SetupFigures) => f.rssAfterGcMb - bare.rssAfterGcMb;
  return [
    {
      target: `${a.app}: throughput ≥ 0.75× bare`,
      measured: x(fl.rps, bare.rps) + st((s) => x(s.rps, bare.rps)),
      ok: fl.rps / bare.rps >= 0.75,
    },
    { target: `${a.app}: p99 ≤ 1.5× bare`, measured: x(fl.p99, bare.p99) + st((s) => x(s.p99, bare.p99)), ok: fl.p99 / bare.p99 <= 1.5 },
    {
      target: `${a.app}: app CPU ≤ bare + 60 µs/request`,
      measured:
        `${signed(fl.cpuUsPerRequest - bare.cpuUsPerRequest)} µs` + st((s) => `${signed(s.cpuUsPerRequest - bare.cpuUsPerRequest)} µs`),
      ok: fl.cpuUsPerRequest - bare.cpuUsPerRequest <= 60,
    },
    {
      target: `${a.app}: RSS after a full GC ≤ bare + 20 MB`,
      measured: `${signed(gcRss(fl))} MB` + st((s) => `${signed(gcRss(s))} MB`) + `; after the run ${signed(fl.rssMb - bare.rssMb)} MB`,
      ok: gcRss(fl) <= 20,
    },
    {
      target: `${a.app}: throughput ≥ 1.5× stock`,
      measured: stock ? x(fl.rps, stock.rps) : 'no stock row',
      ok: !!stock && fl.rps / stock.rps >= 1.5,
    },
  ];
}

/** @returns the verdict per target: each app's, then stamping, export capacity and freshness. */
export function targets(run: BenchRun): Target[] {
  const paced = targetCapacityRun(run.capacity);
  return [
    ...run.apps.flatMap(appTargets),
    {
      target: 'stamping (client ID + pool stats) ≤ 1 µs/span',
      measured: `${run.stamping.stampingNsPerSpan} ns`,
      ok: run.stamping.stampingNsPerSpan <= 1000,
    },
    {
      target: '≥ 20,000 spans/s from one process, 0 dropped',
      measured: paced ? `${n0(paced.acceptedPerSec)}/s for ${paced.durationS} s, ${n0(paced.dropped)} dropped (${bsp(paced)})` : 'not run',
      ok: !!paced && paced.rate >= 20_000 && paced.acceptedPerSec >= 0.99 * 20_000 && paced.dropped === 0 && !paced.sdk?.queueFull,
    },
    {
      target: 'trace in Jaeger ≤ 5 s after the request, p95',
      measured: run.freshness
        ? `${(run.freshness.p95 / 1000).toFixed(2)} s${run.freshness.missing ? `, ${run.freshness.missing} never` : ''}`
        : 'not run',
      ok: !!run.freshness && run.freshness.p95 <= 5000 && run.freshness.missing === 0,
    },
  ];
}

/** The side-by-side table of one app, and its faultline / stock line. */
function appTable(a: AppFigures): string[] {
  const by = Object.fromEntries(a.figures.map((f) => [f.name, f]));
  const bare = by['bare']!;
  const fl = by['faultline']!;
  const stock = by['stock'];
  const perSpan = usPerExportedSpan(a.figures);
  return [
    `**${a.app}**: ${a.description}.`,
    '',
    '| setup | req/s | × bare | p50 ms | p99 ms | p99 × bare | RSS MB idle → after | RSS − bare | after a full GC: heap / RSS MB | app CPU µs/req | spans/req | spans/s exported |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...a.figures.map(
      (f) =>
        `| ${f.name} | ${n0(f.rps)} | ${x(f.rps, bare.rps)} | ${f.p50.toFixed(2)} | ${f.p99.toFixed(2)} | ${x(f.p99, bare.p99)} | ` +
        `${n0(f.rssIdleMb)} → ${n0(f.rssMb)} | ${f === bare ? '' : signed(f.rssMb - bare.rssMb)} | ${mb(f.heapAfterGcMb)} / ${mb(f.rssAfterGcMb)} | ${n0(f.cpuUsPerRequest)} | ${f.spansPerRequest.toFixed(1)} | ${n0(f.spansPerSec)} |`,
    ),
    '',
    stock
      ? `faultline / stock: throughput ${x(fl.rps, stock.rps)}, p99 ${x(fl.p99, stock.p99)}, RSS ${n0(fl.rssMb - stock.rssMb)} MB, app CPU per request ${x(fl.cpuUsPerRequest, stock.cpuUsPerRequest)}.`
      : '',
    perSpan === undefined
      ? ''
      : `Recording and exporting: ${perSpan.toFixed(1)} µs of app CPU per exported span ((faultline − fl:sampler-off) µs/req ÷ ${fl.spansPerRequest.toFixed(1)} spans/req).`,
    '',
  ];
}

/** @returns the markdown report and the JSON document (the run plus its targets). */
export function report(run: BenchRun): { markdown: string; json: BenchRun & { targets: Target[] } } {
  const m = run.machine;
  const s = run.settings;
  const ts = targets(run);
  const lines = [
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}; load average ${m.loadAvgAtStart} at start. ` +
      `The app, autocannon, PostgreSQL, Redis, the Collector and Jaeger share these cores.`,
    `Load: autocannon, ${s['connections']} connections, random ids, ${s['rounds']} interleaved round(s) × ${s['durationS']} s per setup ` +
      `after ${s['warmupS']} s warm-up; medians over rounds. Every span sampled and exported to the Collector (OTLP/HTTP) unless marked 10%.`,
    '',
    ...run.apps.flatMap(appTable),
    `Stamping (client ID + pool stats, bench/stamping.ts): ${run.stamping.stampingNsPerSpan} ns/span on top of ${run.stamping.nsPerSpanBare} ns for a bare span.`,
    '',
    `Start-up memory (bench/startup-memory.ts: an idle node:http app, after full GCs, medians): ` +
      Object.entries(run.startupMemory)
        .map(([k, v]) => `${k} ${v.rssMb.toFixed(1)} MB RSS / ${v.heapMb.toFixed(1)} MB heap`)
        .join(', ') +
      '.',
    '',
    `OTLP protobuf serialization (bench/export-cost.ts: the api's spans, ${run.exportCost.attributesPerSpan.stamped} attributes per span stamped, ` +
      `${run.exportCost.attributesPerSpan.unstamped} not; medians of ${run.exportCost.rounds} interleaved rounds):`,
    '',
    '| variant | µs per span | bytes per span |',
    '|---|---|---|',
    ...Object.entries(run.exportCost.serializeUsPerSpan).map(([k, v]) => `| ${k} | ${v.us.toFixed(2)} | ${n0(v.bytesPerSpan)} |`),
    '',
    '| export capacity (one process, faultline) | OTEL_BSP_* | made/s | Collector accepted/s | dropped (made − accepted) | SDK queue_full | peak RSS MB |',
    '|---|---|---|---|---|---|---|',
    ...run.capacity.map(
      (c) =>
        `| ${c.label}, ${c.durationS} s | ${bsp(c)} | ${n0(c.madePerSec)} | ${n0(c.acceptedPerSec)} | ${n0(c.dropped)} (${((100 * c.dropped) / Math.max(1, c.made)).toFixed(1)}%) | ` +
        `${c.sdk ? n0(c.sdk.queueFull) : 'n/a'} | ${n0(c.peakRssMb)} |`,
    ),
    '',
    `Freshness (request end → trace with its server span returned by Jaeger's \`/api/traces/{id}\`, ${run.freshness.n} requests, ${run.freshness.pollMs} ms polls, ` +
      `on the idle pipeline before the overhead runs): ` +
      `p50 ${(run.freshness.p50 / 1000).toFixed(2)} s, p95 ${(run.freshness.p95 / 1000).toFixed(2)} s, max ${(run.freshness.max / 1000).toFixed(2)} s.`,
    ...(run.jaegerStoreRate
      ? [
          '',
          `Jaeger's store rate (spans the Collector sent it per second over ${run.jaegerStoreRate.windowS} s right after the overhead runs, its queue for Jaeger ` +
            `${run.jaegerStoreRate.queuedBefore} → ${run.jaegerStoreRate.queuedAfter} batches): ${n0(run.jaegerStoreRate.spansPerSec)} spans/s.`,
        ]
      : []),
    '',
    '| target | measured | |',
    '|---|---|---|',
    ...ts.map((t) => `| ${t.target} | ${t.measured} | ${t.ok ? 'PASS' : 'FAIL'} |`),
  ];
  for (const { app, layers, delta } of run.profiles ?? []) {
    const pf = layers.at(-1)!;
    const us = (s: ProfileSummary, name: string) => s.packages.find((p) => p.name === name)?.usPerRequest ?? 0;
    lines.push(
      '',
      `CPU profiles of ${app} under the same load (\`--cpu-prof\`, measured part only; ${layers.map((l) => l.file).join(', ')}): main thread ` +
        `${layers.map((l) => `${l.cpuUsPerRequest} µs/request ${l.setup}`).join(', ')}. A profile counts the time between samples on the ` +
        'main thread, including time it was preempted by the other processes on these cores (it shows as the native call that was ' +
        'running, mostly socket writes): compare its rows with each other, and the app CPU µs/req column above for CPU. Self time ' +
        'per request by package, largest increase over bare first:',
      '',
      `| package | ${layers.map((l) => `${l.setup} µs/req`).join(' | ')} | faultline − bare |`,
      `|---|${layers.map(() => '---|').join('')}---|`,
      ...delta
        .slice(0, 15)
        .map((d) => `| ${d.name} | ${layers.map((l) => us(l, d.name)).join(' | ')} | ${d.deltaUs > 0 ? '+' : ''}${d.deltaUs} |`),
      '',
      `Top functions of ${app} by self time with faultline:`,
      '',
      '| function | % | µs/req |',
      '|---|---|---|',
      ...pf.functions.slice(0, 15).map((r) => `| \`${r.name}\` | ${r.pct} | ${r.usPerRequest} |`),
    );
  }
  return { markdown: lines.join('\n'), json: { ...run, targets: ts } };
}
