/**
 * What loading costs, apart from any request: an idle `node:http` app (`bench/apps/idle.mjs`) started bare,
 * with faultline's preload and with the stock auto-instrumentations, its RSS and live heap read after three
 * full GCs 1.5 s after it listens; rounds interleaved, medians. Nothing is exported (the OTLP endpoint is a
 * closed port), so this is the modules, the SDK objects and the hooks. Issue 20's lever 4 (no
 * `@opentelemetry/sdk-node`) shows here.
 *
 *   node bench/startup-memory.ts [--rounds 5]     prints one line of JSON: { setup: { rssMb, heapMb } }
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { setup } from './setups.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const ROUNDS = Number(values.rounds);
const SETUPS = ['bare', 'faultline', 'stock'].map(setup);
const APP = new URL('./apps/idle.mjs', import.meta.url).pathname;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const samples = new Map<string, { rssMb: number[]; heapMb: number[] }>(SETUPS.map((s) => [s.name, { rssMb: [], heapMb: [] }]));
for (let r = 0; r < ROUNDS; r++) {
  for (const s of SETUPS) {
    const out = execFileSync(process.execPath, ['--expose-gc', ...s.flags, APP], {
      encoding: 'utf8',
      env: { ...process.env, ...s.env, OTEL_SERVICE_NAME: 'bench-idle', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const m = JSON.parse(out.trim().split('\n').at(-1)!) as { rssMb: number; heapMb: number };
    samples.get(s.name)!.rssMb.push(m.rssMb);
    samples.get(s.name)!.heapMb.push(m.heapMb);
  }
}
const result = Object.fromEntries(
  [...samples].map(([name, s]) => [name, { rssMb: +median(s.rssMb).toFixed(1), heapMb: +median(s.heapMb).toFixed(1) }]),
);
process.stdout.write(`${JSON.stringify(result)}\n`);
