/**
 * Records what `faultline incident` reads (its Observations) from a running stack as a JSON fixture
 * for the ranking's unit tests:
 *   node cli/test/record.ts <out.json> [--since 1m] [--prometheus URL] [--jaeger URL] [--edge NAME]
 * Not a test; run by hand against `npm run demo` (or a test's stack) in the state to record.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseDurationSeconds } from '@faultline/signals';
import { findEdge } from '../src/edge.ts';
import { observe } from '../src/observe.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    since: { type: 'string', default: '1m' },
    prometheus: { type: 'string', default: 'http://127.0.0.1:9090' },
    jaeger: { type: 'string', default: 'http://127.0.0.1:16686' },
    edge: { type: 'string' },
  },
});
const out = positionals[0];
if (!out) throw new Error('usage: node cli/test/record.ts <out.json> [--since 1m]');
const seconds = parseDurationSeconds(values.since, '--since');
const window = { end: Math.floor(Date.now() / 1000), seconds, baselineSeconds: seconds };
const edge = await findEdge(values.prometheus, window, values.edge);
const obs = await observe(values.prometheus, values.jaeger, window, edge.service);
writeFileSync(out, `${JSON.stringify(obs)}\n`);
console.log(`wrote ${out}: ${obs.instant.requests.length} clients, ${obs.range.versions.length} version series`);
