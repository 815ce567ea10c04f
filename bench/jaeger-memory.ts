/**
 * `npm run measure -- jaeger-memory [--minutes 30] [--synthetic] [--rate 42]`: Jaeger's memory curve
 * with its Badger storage, and what the traces cost on disk. A measurement, not a test.
 *
 * Default: runs the demo (`npm run demo`'s stack with its load, fixed ports: refused while another
 * stack holds them). `--synthetic`: Jaeger and the Collector alone on free ports, fed demo-shaped
 * traces at `--rate` traces/s (testkit's traceLoad), for a machine where the demo cannot run.
 *
 * Every minute it prints Jaeger's RSS, the whole stack's RSS (every process and its children), the
 * spans the Collector received and sent to Jaeger, Badger's bytes on disk and bytes per million stored
 * spans; at the end one JSON line with the whole curve.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { M, scrape, sumCounter, sumSeries } from '@faultline/signals';
import { rssMb, rssPartsMb, traceLoad } from '@faultline/testkit';
import {
  freePorts,
  isPortFree,
  startCollector,
  startJaeger,
  startStack,
  type CollectorInstance,
  type JaegerInstance,
} from '../stack/src/index.ts';

/** One row of the curve. */
interface Row {
  minute: number;
  jaegerRssMb: number;
  /** Jaeger's live Go heap (its `otelcol_process_runtime_heap_alloc_bytes`), MB: what RSS would be without retained free memory. */
  jaegerHeapMb: number;
  /** Jaeger's RSS split: its own memory (`RssAnon`) and mapped files (`RssFile`: Badger's tables, reclaimable page cache), MB. */
  jaegerAnonMb: number;
  jaegerFileMb: number;
  stackRssMb: number;
  receivedSpans: number;
  storedSpans: number;
  diskBytes: number;
  bytesPerMillionSpans: number;
}

/**
 * Bytes allocated on disk under `dir` (blocks, not apparent sizes: Badger's files are sparse). Files that
 * a compaction removes meanwhile count 0.
 */
function diskBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? diskBytes(p) : (statSync(p, { throwIfNoEntry: false })?.blocks ?? 0) * 512;
  }
  return n;
}

/** The pids of `roots` and all their descendants (from /proc/<pid>/stat's ppid). */
function withDescendants(roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // gone meanwhile
    }
  }
  const out = new Set<number>();
  const walk = (pid: number) => {
    if (out.has(pid)) return;
    out.add(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  roots.forEach(walk);
  return [...out];
}

const sumRss = (pids: number[]) =>
  pids
    .map(rssMb)
    .filter((x) => !Number.isNaN(x))
    .reduce((a, b) => a + b, 0);

/** Runs the measurement; resolves with the rows printed. */
export async function jaegerMemory(argv: string[]): Promise<Row[]> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string', default: '30' },
      synthetic: { type: 'boolean', default: false },
      rate: { type: 'string', default: '42' },
    },
  });
  const minutes = Number(v.minutes);
  if (!(minutes > 0)) throw new Error(`--minutes must be a positive number, got ${v.minutes}`);
  let jaeger: JaegerInstance;
  let collector: CollectorInstance;
  let pids: () => number[];
  let stop: () => Promise<void>;
  let load: Promise<unknown> = Promise.resolve();
  const abort = new AbortController();
  if (v.synthetic) {
    const [jg, jh, jq, jqg, jhe, jm, g, h, he, p, m] = (await freePorts(11)) as number[];
    jaeger = await startJaeger({
      ports: { otlpGrpc: jg!, otlpHttp: jh!, query: jq!, queryGrpc: jqg!, health: jhe!, metrics: jm! },
      name: 'measure-jaeger',
    });
    collector = await startCollector({
      ports: { otlpGrpc: g!, otlpHttp: h!, health: he!, prometheus: p!, metrics: m! },
      jaegerOtlpEndpoint: jaeger.otlpGrpcEndpoint,
      name: 'measure-collector',
    });
    pids = () => withDescendants([jaeger.process.pid, collector.process.pid]);
    load = traceLoad(collector.otlpHttpUrl, { rate: Number(v.rate), durationMs: minutes * 60_000 + 5000, signal: abort.signal });
    stop = async () => {
      abort.abort();
      await load;
      await collector.stop();
      await jaeger.stop();
    };
    console.log(
      `jaeger-memory: synthetic load, ${v.rate} traces/s (5 spans each) → Collector → Jaeger (Badger ${jaeger.dataDir}), ${minutes} min`,
    );
  } else {
    for (const port of [16686, 9090, 4318, 8080]) {
      if (!(await isPortFree(port))) throw new Error(`port ${port} is taken: another stack runs; stop it, or use --synthetic`);
    }
    const stack = await startStack({ load: true });
    jaeger = stack.jaeger;
    collector = stack.collector;
    pids = () => withDescendants(Object.values(stack.services).map((s) => s.pid));
    stop = () => stack.stop();
    console.log(`jaeger-memory: the demo with its load (Badger ${jaeger.dataDir}), ${minutes} min`);
  }
  const rows: Row[] = [];
  // The demo keeps Badger's data across runs: bytes per span count only what this run added.
  const diskAtStart = diskBytes(jaeger.dataDir);
  const sample = async (minute: number) => {
    const own = await scrape(collector.metricsUrl);
    const storedSpans = sumCounter(own, M.collectorSentSpans, { exporter: 'otlp_grpc/jaeger' });
    const disk = diskBytes(jaeger.dataDir);
    const parts = rssPartsMb(jaeger.process.pid);
    const jaegerHeap = sumSeries(await scrape(jaeger.metricsUrl).catch(() => []), 'otelcol_process_runtime_heap_alloc_bytes');
    const row: Row = {
      minute,
      jaegerRssMb: Math.round(rssMb(jaeger.process.pid)),
      jaegerHeapMb: Math.round(jaegerHeap / 1e6),
      jaegerAnonMb: Math.round(parts.anon),
      jaegerFileMb: Math.round(parts.file),
      stackRssMb: Math.round(sumRss(pids())),
      receivedSpans: sumCounter(own, M.collectorAcceptedSpans),
      storedSpans,
      diskBytes: disk,
      bytesPerMillionSpans: storedSpans ? Math.round((Math.max(0, disk - diskAtStart) / storedSpans) * 1e6) : 0,
    };
    rows.push(row);
    console.log(
      `min ${String(minute).padStart(2)}  jaeger ${String(row.jaegerRssMb).padStart(4)} MB (own ${String(row.jaegerAnonMb).padStart(4)} MB, mapped files ${String(row.jaegerFileMb).padStart(4)} MB, Go heap ${String(row.jaegerHeapMb).padStart(3)} MB)  stack ${String(row.stackRssMb).padStart(5)} MB  ` +
        `spans received ${row.receivedSpans}  stored ${row.storedSpans} (${row.receivedSpans ? ((100 * row.storedSpans) / row.receivedSpans).toFixed(1) : '0'}%)  ` +
        `disk ${(disk / 1048576).toFixed(1)} MiB  ${(row.bytesPerMillionSpans / 1048576).toFixed(0)} MiB per million stored spans`,
    );
  };
  try {
    await sample(0);
    for (let minute = 1; minute <= minutes; minute++) {
      await new Promise((r) => setTimeout(r, 60_000));
      await sample(minute);
    }
  } finally {
    await stop();
  }
  console.log(JSON.stringify({ measure: 'jaeger-memory', synthetic: v.synthetic, rate: v.synthetic ? Number(v.rate) : undefined, rows }));
  return rows;
}
