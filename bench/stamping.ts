/**
 * Micro-benchmark: what faultline's per-span work (client ID + pool stats stamping) costs, in
 * ns per span, measured side by side in one run: the same tracer with and without the
 * StampingSpanProcessor, interleaved over several rounds, on a real pg.Pool (no connections
 * needed for its counters).
 *
 *   node bench/stamping.ts [--spans 200000] [--rounds 7]
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { NoopSpanProcessor, TracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { withClientId } from '../instrumentation/src/client-id.ts';
import { PoolRegistry } from '../instrumentation/src/pool-registry.ts';
import { StampingSpanProcessor } from '../instrumentation/src/stamping-processor.ts';

const { values } = parseArgs({ options: { spans: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '7' } } });
const N = Number(values.spans);
const ROUNDS = Number(values.rounds);

const pools = new PoolRegistry();
const pool = new pg.Pool({ host: 'db', port: 5432, database: 'bench', max: 50 });
pools.add(pool);

function tracerWith(processors: SpanProcessor[]) {
  return new TracerProvider({ spanProcessors: processors }).getTracer('bench');
}
const bare = tracerWith([new NoopSpanProcessor()]);
const stamped = tracerWith([new StampingSpanProcessor(pools), new NoopSpanProcessor()]);
const parent = withClientId(ROOT_CONTEXT, 'team-17');
const ctx = trace.setSpan(parent, bare.startSpan('parent', {}, parent));

function run(tracer: ReturnType<typeof tracerWith>): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) tracer.startSpan('op', undefined, ctx).end();
  return Number(process.hrtime.bigint() - t0) / N;
}

for (let i = 0; i < 2; i++) {
  run(bare);
  run(stamped);
}
const rows: { bare: number; stamped: number }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const a = run(bare);
  const b = run(stamped);
  rows.push({ bare: a, stamped: b });
}
const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const mb = median(rows.map((r) => r.bare));
const ms = median(rows.map((r) => r.stamped));
const diffs = median(rows.map((r) => r.stamped - r.bare));
const result = {
  spansPerRound: N,
  rounds: ROUNDS,
  nsPerSpanBare: +mb.toFixed(1),
  nsPerSpanStamped: +ms.toFixed(1),
  stampingNsPerSpan: +diffs.toFixed(1),
  ratio: +(ms / mb).toFixed(3),
  target: 'stamping <= 1000 ns/span',
};
console.log(JSON.stringify(result));
await pool.end();
