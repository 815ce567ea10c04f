/**
 * `npm run measure -- <what> [options]`: measurements that take minutes and are read by people, not
 * asserted (the tests hold the short versions).
 *
 *   jaeger-memory [--minutes 30] [--synthetic] [--rate 42]   Jaeger's RSS curve and Badger's bytes per million spans
 */
import { jaegerMemory } from './jaeger-memory.ts';

const MEASURES: Record<string, (argv: string[]) => Promise<unknown>> = { 'jaeger-memory': jaegerMemory };

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
