/**
 * `npm run measure -- <what> [options]`: measurements that take minutes and are read by people, not
 * asserted (the tests hold the short versions).
 *
 *   jaeger-memory [--minutes 30] [--synthetic] [--rate 42]   Jaeger's RSS curve and Badger's bytes per million spans
 *   quiet-alerts [--minutes 5] [--rate 40]                   alerts fired under the demo's normal load (expected: none)
 *   scale-capacity [--rate 100] [--seconds 60]               CPU per span per tier of the scale profile, and a projection
 */
import { jaegerMemory } from './jaeger-memory.ts';
import { quietAlerts } from './quiet-alerts.ts';
import { scaleCapacity } from './scale-capacity.ts';

const MEASURES: Record<string, (argv: string[]) => Promise<unknown>> = {
  'jaeger-memory': jaegerMemory,
  'quiet-alerts': quietAlerts,
  'scale-capacity': scaleCapacity,
};

const [what, ...rest] = process.argv.slice(2);
const run = what ? MEASURES[what] : undefined;
if (!run) {
  console.error(`usage: npm run measure -- ${Object.keys(MEASURES).join('|')} [options]`);
  process.exit(2);
}
try {
  await run(rest);
} catch (e) {
  console.error(`measure ${what}: ${(e as Error).message}`);
  process.exit(1);
}
