// Export-capacity producer (run with faultline's preload): makes root spans with
// `@opentelemetry/api` for DURATION_MS, 1,000 per turn of the event loop, then yields (setImmediate)
// so the batch processor's exports get their turn. RATE=0: as fast as it can; RATE>0: paced to that
// many spans/s. Prints one JSON line {made, ms} and lets the event loop drain (faultline flushes).
import { trace } from '@opentelemetry/api';

const tracer = trace.getTracer('bench-producer');
const rate = Number(process.env.RATE ?? 0);
const durationMs = Number(process.env.DURATION_MS ?? 30000);
const t0 = performance.now();
let made = 0;
while (performance.now() - t0 < durationMs) {
  for (let i = 0; i < 1000; i++) tracer.startSpan('produce', { attributes: { n: made + i } }).end();
  made += 1000;
  const ahead = rate > 0 ? (made / rate) * 1000 - (performance.now() - t0) : 0;
  await new Promise((r) => (ahead > 1 ? setTimeout(r, ahead) : setImmediate(r)));
}
process.stdout.write(`${JSON.stringify({ made, ms: Math.round(performance.now() - t0) })}\n`);
