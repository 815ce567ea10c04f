/**
 * The questions about client requests at the edge that several checks ask (clients, latency): requests
 * per client, everyone's p95, and the per-client rate over time. One builder per question, so the
 * checks that share one ask exactly the same PromQL.
 */
import { FAILED, L } from '@faultline/signals';
import { rateSeconds } from '../window.ts';
import type { QueryBuilder } from './check.ts';
import { baselineRange, CALLS, DURATION, edgeSelector, windowRange } from './promql.ts';

const requests =
  (r: string): QueryBuilder =>
  (c) =>
    `sum by (${L.clientId}) (increase(${edgeSelector(CALLS, c.edge)}[${r}))`;
const p95All =
  (r: string): QueryBuilder =>
  (c) =>
    `histogram_quantile(0.95, sum by (${L.le}) (rate(${edgeSelector(DURATION, c.edge)}[${r})))`;

/** Requests per client at the edge in the window and in the baseline (counts). */
export const REQUESTS = {
  requests: ((c) => requests(`${windowRange(c.window)}]`)(c)) as QueryBuilder,
  requestsBase: ((c) => requests(baselineRange(c.window))(c)) as QueryBuilder,
};

/** Everyone's p95 latency at the edge in the window and in the baseline (ms; NaN without data). */
export const P95_ALL = {
  p95All: ((c) => p95All(`${windowRange(c.window)}]`)(c)) as QueryBuilder,
  p95AllBase: ((c) => p95All(baselineRange(c.window))(c)) as QueryBuilder,
};

/** Range: requests per second per client at the edge, and failed ones. */
export const CLIENT_RATES = {
  clientRate: ((c) => `sum by (${L.clientId}) (rate(${edgeSelector(CALLS, c.edge)}[${rateSeconds(c.window)}s]))`) as QueryBuilder,
  clientErrorRate: ((c) =>
    `sum by (${L.clientId}) (rate(${edgeSelector(CALLS, c.edge, FAILED)}[${rateSeconds(c.window)}s]))`) as QueryBuilder,
};
