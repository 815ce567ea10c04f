/** Builders of recorded-shaped {@link Observations} for the ranking's unit tests. */
import { readFileSync } from 'node:fs';
import type { Sample, Series } from '@faultline/signals';
import { INSTANT_NAMES, RANGE_NAMES } from '../src/checks/index.ts';
import type { Observations } from '../src/observations.ts';

/** A recorded fixture (cli/test/fixtures/<name>.json), as `cli/test/record.ts` wrote it. */
export function fixture(name: string): Observations {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Observations;
}

/**
 * Observations with no findings: window of `seconds` ending at `end`, step 5 s. The edge has had
 * data since before the baseline (one all-zero `clientRate` series, client `(none)`), so clients
 * are compared; `noBaseline` leaves it out.
 */
export function empty(seconds = 60, end = 1_795_350_000, baselineSeconds = seconds): Observations {
  const o: Observations = {
    window: { end, seconds, baselineSeconds },
    edge: 'lb',
    step: 5,
    instant: Object.fromEntries(INSTANT_NAMES.map((n) => [n, []])) as unknown as Observations['instant'],
    range: Object.fromEntries(RANGE_NAMES.map((n) => [n, []])) as unknown as Observations['range'],
    cache: { source: 'none', current: {}, baseline: {}, missTraces: {} },
  };
  o.range.clientRate.push(series({ client_id: '(none)' }, end - seconds - baselineSeconds, end, () => 0));
  return o;
}

/** One instant sample. */
export function sample(labels: Record<string, string>, value: number): Sample {
  return { labels, value };
}

/** A series from `from` to `to` every `step` s with `value(t)`. */
export function series(labels: Record<string, string>, from: number, to: number, value: (t: number) => number, step = 5): Series {
  const points: [number, number][] = [];
  for (let t = from; t <= to; t += step) points.push([t, value(t)]);
  return { labels, points };
}

/** Steady traffic from `clients` (ids team-01…) at the edge: `perClient` requests in each window. */
export function steadyClients(o: Observations, n: number, perClient: number): void {
  for (let i = 1; i <= n; i++) {
    const client_id = `team-${String(i).padStart(2, '0')}`;
    o.instant.requests.push(sample({ client_id }, perClient));
    o.instant.requestsBase.push(sample({ client_id }, perClient * (o.window.baselineSeconds / o.window.seconds)));
  }
}
