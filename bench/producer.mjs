// Export-capacity producer: makes root spans at RATE per second (0 = as fast as it can, yielding to
// the event loop every 1000 spans) for DURATION_MS, then prints how many and lets the loop drain.
import { trace } from '@opentelemetry/api';

const tracer = trace.getTracer('producer');
const rate = Number(process.env.RATE ?? 0);
const until = Date.now() + Number(process.env.DURATION_MS ?? 30000);
const t0 = Date.now();
let made = 0;
while (Date.now() < until) {
  for (let i = 0; i < 1000; i++) tracer.startSpan('produce', { attributes: { n: made + i } }).end();
  made += 1000;
  if (rate > 0) {
    const ahead = (made / rate) * 1000 - (Date.now() - t0);
    if (ahead > 0) await new Promise((r) => setTimeout(r, ahead));
  } else {
    await new Promise((r) => setImmediate(r));
  }
}
process.stdout.write(`made ${made} in ${Date.now() - t0} ms\n`);
