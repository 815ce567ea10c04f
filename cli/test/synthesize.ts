/**
 * Writes the synthesized ranking fixtures from the recorded quiet minute (fixtures/quiet.json), in
 * the recorded shape, for the cases the demo cannot be asked to replay on cue:
 * - `new-clients.json`: one new client sends ≈1,400 requests in the minute (a quarter of all traffic)
 *   while twelve other new clients send ≈118 each (2 %);
 * - `client-stops.json`: the busiest client (team-01) stops, and two small ones (team-20, team-21) too.
 *   node cli/test/synthesize.ts
 */
import { writeFileSync } from 'node:fs';
import { L, type Series } from '@faultline/signals';
import type { Observations } from '../src/observations.ts';
import { fixture } from './build.ts';

const STEP = 5;

/** A client's rate series over baseline + window: `before` req/s until `at`, `after` from then on. */
function rate(o: Observations, client: string, before: number, after: number, at: number): Series {
  const from = o.window.end - o.window.seconds - o.window.baselineSeconds;
  const points: [number, number][] = [];
  for (let t = from + STEP; t <= o.window.end; t += STEP) if (t >= at || before > 0) points.push([t, t >= at ? after : before]);
  return { labels: { [L.clientId]: client }, points };
}

function write(name: string, o: Observations): void {
  writeFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), JSON.stringify(o));
  console.log(`wrote cli/test/fixtures/${name}.json`);
}

/** One heavy new client among twelve light new ones. */
function newClients(): Observations {
  const o = fixture('quiet');
  const start = o.window.end - o.window.seconds;
  const add = (client: string, n: number, jitter: number) => {
    o.instant.requests.push({ labels: { [L.clientId]: client }, value: n + jitter });
    o.range.clientRate.push(rate(o, client, 0, (n + jitter) / o.window.seconds, start + STEP));
  };
  for (let i = 1; i <= 12; i++) add(`newcomer-${String(i).padStart(2, '0')}`, 118, (i % 5) - 2);
  add('bulk-importer', 1400, 0);
  return o;
}

/** The busiest client stops, and two small ones. */
function clientStops(): Observations {
  const o = fixture('quiet');
  const start = o.window.end - o.window.seconds;
  for (const client of ['team-01', 'team-20', 'team-21']) {
    const s = o.instant.requests.find((x) => x.labels[L.clientId] === client)!;
    const base = o.instant.requestsBase.find((x) => x.labels[L.clientId] === client)!;
    s.value = 0;
    const i = o.range.clientRate.findIndex((x) => x.labels[L.clientId] === client);
    o.range.clientRate[i] = rate(o, client, base.value / o.window.baselineSeconds, 0, start + 10);
  }
  return o;
}

write('new-clients', newClients());
write('client-stops', clientStops());
