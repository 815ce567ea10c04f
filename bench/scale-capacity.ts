/**
 * `npm run measure -- scale-capacity [--rate 100] [--seconds 60]`: CPU per span in each tier of the
 * scale profile at a fixed rate, and from it a projection of how many instances each tier needs at 10k,
 * 100k and 1M spans/s.
 *
 * Starts the profile once on free ports (stack/src/scale.ts) with the gateways keeping every trace (so
 * every span crosses every tier), sends testkit's traceLoad (5 spans a trace) for a warm-up of 15 s, then
 * measures `--seconds` of CPU time (user + system, /proc) of each process while sending `--rate`
 * traces/s, and divides each tier's CPU by the spans that tier handled in the same window (its own
 * counters: spans accepted by the agent and the gateways, sent to Kafka by the gateways, written by the
 * ingesters, which Cassandra stored). Prints CPU µs per span per tier and the consumer lag left at the
 * end. The projection assumes cost grows linearly with the span rate and plans each instance at 70% of
 * one core; it is a projection from this machine's measurement, not a measurement at those rates.
 */
import { parseArgs } from 'node:util';
import { L, M, scrape, sumCounter } from '@faultline/signals';
import { traceLoad } from '@faultline/testkit';
import { consumerLag, SCALE_CONSUMER_GROUP, SCALE_TOPIC, startScale, type ScaleStack } from '../stack/src/index.ts';
import { cpuMs, machine } from './proc.ts';

/** A tier, the pids of its instances, and the spans it handled so far (its own counters). */
interface Tier {
  name: string;
  pids: () => number[];
  spans: () => Promise<number>;
}

const SPANS_PER_TRACE = 5;
/** Planned load per instance: 70% of one core. */
const CORE_BUDGET = 0.7;
const PROJECTED = [10_000, 100_000, 1_000_000];
/** The gateways' exporter to Kafka and the ingesters' to storage (collector/scale/gateway.yaml, jaeger/scale/ingester.yaml). */
const KAFKA_EXPORTER = 'kafka';
const STORAGE_EXPORTER = 'jaeger_storage_exporter';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function total(urls: string[], name: string, match: Record<string, string> = {}): Promise<number> {
  let n = 0;
  for (const u of urls) n += sumCounter(await scrape(u), name, match);
  return n;
}

function tiers(s: ScaleStack): Tier[] {
  const gw = s.gateways.map((g) => g.metricsUrl);
  const written = () =>
    total(
      s.ingesters.map((i) => i.metricsUrl),
      M.collectorSentSpans,
      { [L.exporter]: STORAGE_EXPORTER },
    );
  return [
    { name: 'agent Collector', pids: () => [s.agent.process().pid], spans: () => total([s.agent.metricsUrl], M.collectorAcceptedSpans) },
    { name: 'gateway Collectors', pids: () => s.gateways.map((g) => g.process().pid), spans: () => total(gw, M.collectorAcceptedSpans) },
    {
      name: 'Kafka broker',
      pids: () => [s.kafka.process.pid],
      spans: () => total(gw, M.collectorSentSpans, { [L.exporter]: KAFKA_EXPORTER }),
    },
    { name: 'Jaeger ingesters', pids: () => s.ingesters.map((i) => i.process().pid), spans: written },
    { name: 'Cassandra', pids: () => [s.cassandra.process().pid], spans: written },
  ];
}

/** Runs the measurement and prints the tables (Markdown). */
export async function scaleCapacity(argv: string[]): Promise<void> {
  const { values: v } = parseArgs({
    args: argv,
    options: { rate: { type: 'string', default: '100' }, seconds: { type: 'string', default: '60' } },
  });
  const rate = Number(v.rate);
  const seconds = Number(v.seconds);
  if (!(rate > 0) || !(seconds > 0)) throw new Error('--rate and --seconds need positive numbers');
  console.log(`# scale-capacity: ${rate} traces/s (${rate * SPANS_PER_TRACE} spans/s) for ${seconds} s on ${JSON.stringify(machine())}`);
  const s = await startScale({
    gatewayEnv: { COLLECTOR_SAMPLING_PERCENTAGE: '100', COLLECTOR_SAMPLING_DECISION_WAIT: '2s' },
    log: (l) => console.log(`# ${l}`),
  });
  try {
    await traceLoad(s.agent.otlpHttpUrl, { rate, durationMs: 15_000, services: ['capacity-warmup-edge', 'capacity-warmup-backend'] });
    const ts = tiers(s);
    const cpuBefore = ts.map((t) => sum(t.pids().map(cpuMs)));
    const spansBefore = await Promise.all(ts.map((t) => t.spans()));
    const sent = await traceLoad(s.agent.otlpHttpUrl, {
      rate,
      durationMs: seconds * 1000,
      services: ['capacity-edge', 'capacity-backend'],
    });
    // each tier's CPU over the same window, divided by the spans that tier handled in it (a tier that
    // falls behind handles fewer; its cost per span is still what it paid for those)
    const rows = await Promise.all(
      ts.map(async (t, i) => {
        const ms = sum(t.pids().map(cpuMs)) - cpuBefore[i]!;
        const spans = (await t.spans()) - spansBefore[i]!;
        return { name: t.name, instances: t.pids().length, cpuS: ms / 1000, spans, usPerSpan: (ms * 1000) / Math.max(1, spans) };
      }),
    );
    const lag = (await consumerLag(s.kafka.broker, SCALE_CONSUMER_GROUP, SCALE_TOPIC)).total;
    console.log(
      `\nMeasured: ${sent.spans} spans (${sent.traces} traces) sent in ${seconds} s; the ingesters' consumer lag at the end: ${lag} messages.\n`,
    );
    console.log('| tier | instances | spans handled | CPU s | CPU µs per span | spans/s per core |');
    console.log('|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(
        `| ${r.name} | ${r.instances} | ${r.spans} | ${r.cpuS.toFixed(1)} | ${r.usPerSpan.toFixed(1)} | ${Math.round(1e6 / r.usPerSpan)} |`,
      );
    }
    console.log(`\nProjection (linear in the span rate, ${CORE_BUDGET * 100}% of a core per instance; not measured at these rates):\n`);
    console.log(`| tier | ${PROJECTED.map((p) => `${p.toLocaleString('en')} spans/s`).join(' | ')} |`);
    console.log(`|---|${PROJECTED.map(() => '---').join('|')}|`);
    for (const r of rows) {
      const cells = PROJECTED.map((p) => {
        const cores = (r.usPerSpan * p) / 1e6;
        return `${cores.toFixed(cores < 10 ? 1 : 0)} cores → ${Math.max(1, Math.ceil(cores / CORE_BUDGET))}`;
      });
      console.log(`| ${r.name} | ${cells.join(' | ')} |`);
    }
  } finally {
    await s.stop();
  }
}
