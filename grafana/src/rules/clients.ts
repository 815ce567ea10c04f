/**
 * Client rules, from the edge's server spans per client ID against the client's own recent baseline:
 * a traffic surge (and a heavy new client), an error surge, a latency surge, a cache hit ratio drop, and
 * a surge on one route that starts within minutes of a deploy.
 */
import { L, parseDurationSeconds, queries as Q } from '@faultline/signals';
import { annotate } from './annotate.ts';
import { ALERT_CONFIG as C } from './config.ts';
import { DASHBOARD, grafanaUrl, jaegerSearchUrl, lbl, VALUE, VALUE_PERCENT } from './links.ts';
import type { AlertRule } from './model.ts';

const { range: BASE, offset: OFF } = C.baseline;
const client = { label: L.clientId };
const clientLinks = (panel: string) => ({
  jaeger_url: jaegerSearchUrl(C.edge, { 'client.id': client }),
  grafana_url: grafanaUrl(DASHBOARD.clients, { edge: C.edge, client }),
  grafana_panel: `faultline / Clients › ${panel}`,
});

/** The client rules. */
export function clientRules(): AlertRule[] {
  const fast = C.window.fast;
  const now = Q.clientRequestRate(C.edge, fast);
  const total = Q.edgeRequestRate(C.edge, fast);
  const base = Q.clientRequestRate(C.edge, BASE, OFF);
  const totalBase = Q.edgeRequestRate(C.edge, BASE, OFF);
  const s = C.clientSurge;
  const share = `(${now} / on () group_left () ${total})`;
  const shareBase = `(${base} / on () group_left () ${totalBase})`;
  const expected = `(${shareBase} * on () group_left () ${total})`;
  const surge = `((${share} > ${s.factor} * ${shareBase} or ${share} - ${shareBase} > ${s.minGain}) and ${now} - ${expected} > ${s.minRise})`;
  const heavyNew = `((${share} unless ${base}) > ${s.newShare} and ${now} > ${s.minRise} and on () ${totalBase} > 0)`;

  const r = C.window.rate;
  const err = Q.clientErrorRate(C.edge, r);
  const req = Q.clientRequestRate(C.edge, r);
  const errBase = Q.clientErrorRate(C.edge, BASE, OFF);
  const reqBase = Q.clientRequestRate(C.edge, BASE, OFF);
  const e = C.clientErrors;
  const ratioNow = `(${err} / ${req})`;
  const ratioBase = `(${Q.orZero(errBase, reqBase)} / ${reqBase})`;

  const l = C.clientLatency;
  const p = Q.clientLatency(l.quantile, C.edge, r);
  const pBase = Q.clientLatency(l.quantile, C.edge, BASE, OFF);

  const c = C.cacheHitDrop;
  const reads = Q.clientCacheReads(r);
  const hitNow = `(${Q.orZero(Q.clientCacheReads(r, true), reads)} / ${reads})`;
  const readsBase = Q.clientCacheReads(BASE, undefined, OFF);
  const hitBase = `(${Q.orZero(Q.clientCacheReads(BASE, true, OFF), readsBase)} / ${readsBase})`;

  const d = C.deploySurge;
  const route = Q.clientRouteRate(fast);
  const routeBase = Q.clientRouteRate(BASE, OFF);
  const routeSurge = `((${route} > ${d.factor} * ${routeBase} and ${route} - ${routeBase} > ${d.minRise}) or (${route} unless ${routeBase}) > ${d.minRise})`;

  return [
    {
      alert: 'ClientTrafficSurge',
      expr: `${surge} or ${heavyNew}`,
      for: s.for,
      labels: { severity: 'warning' },
      annotations: annotate({
        summary: `Client ${lbl(L.clientId)} sends ${VALUE_PERCENT} of all requests, a surge against its own recent share`,
        description: `${lbl(L.clientId)}'s share of the requests at ${C.edge} over the last ${fast} is at least ${s.factor}× (or ${s.minGain * 100} points above) its share in the ${BASE} before, ${s.minRise} req/s or more beyond it; or it is new and sends over ${s.newShare * 100}% of all traffic. The other clients' requests wait behind it.`,
        ...clientLinks('Requests/s per client'),
      }),
      words: `a client's share of the edge's requests over ${fast} ≥ ${s.factor}× (or +${s.minGain * 100} points over) its share in the ${BASE} before, and +${s.minRise} req/s; or a client never seen in that baseline with ≥ ${s.newShare * 100}% of the traffic`,
    },
    {
      alert: 'ClientErrorSurge',
      expr: `(${ratioNow} > ${e.minRatio} and ${err} > ${e.minRate}) unless ${e.factor} * ${ratioBase} >= ${ratioNow}`,
      for: e.for,
      labels: { severity: 'critical' },
      annotations: annotate({
        summary: `Client ${lbl(L.clientId)}: ${VALUE_PERCENT} of its requests fail`,
        description: `Over the last ${r}, ${VALUE_PERCENT} of ${lbl(L.clientId)}'s requests at ${C.edge} ended with an error status, at least ${e.factor}× its error ratio in the ${BASE} before.`,
        ...clientLinks('Error rate per client'),
      }),
      words: `a client's error ratio over ${r} ≥ ${e.minRatio * 100}% and ≥ ${e.factor}× its baseline ratio, at ≥ ${e.minRate} errors/s`,
    },
    {
      alert: 'ClientLatencySurge',
      expr: `(${p} > ${l.factor} * ${pBase} and ${p} - ${pBase} > ${l.minRiseMs}) and ${req} > ${l.minRate}`,
      for: l.for,
      labels: { severity: 'critical' },
      annotations: annotate({
        summary: `Client ${lbl(L.clientId)}: p${l.quantile * 100} latency ${VALUE} ms, a surge against its baseline`,
        description: `The p${l.quantile * 100} duration of ${lbl(L.clientId)}'s requests at ${C.edge} over the last ${r} is at least ${l.factor}× (and ${l.minRiseMs} ms above) its p${l.quantile * 100} in the ${BASE} before. Look at the pools and the database first.`,
        ...clientLinks(`p${l.quantile * 100} latency per client`),
      }),
      words: `a client's p${l.quantile * 100} over ${r} ≥ ${l.factor}× its baseline p${l.quantile * 100} and +${l.minRiseMs} ms (clients ≥ ${l.minRate} req/s)`,
    },
    {
      alert: 'ClientCacheHitRatioDrop',
      expr: `(${hitNow} < ${c.factor} * ${hitBase} and ${hitBase} - ${hitNow} > ${c.minDrop}) and ${reads} > ${c.minReads} and ${hitBase} - ${hitNow} > ${c.minZ} * sqrt(${hitBase} * (1 - ${hitBase}) / (${reads} * ${parseDurationSeconds(r)}))`,
      for: c.for,
      labels: { severity: 'warning' },
      annotations: annotate({
        summary: `Client ${lbl(L.clientId)}: ${lbl(L.service)}'s cache hit ratio fell to ${VALUE_PERCENT}`,
        description: `Over the last ${r} only ${VALUE_PERCENT} of ${lbl(L.clientId)}'s cache reads hit, against its ratio in the ${BASE} before: every miss is a database query (eviction, a cold or flushed cache).`,
        jaeger_url: jaegerSearchUrl({ label: L.service }, { 'client.id': client, 'cache.hit': 'false' }),
        grafana_url: grafanaUrl(DASHBOARD.incident),
        grafana_panel: 'faultline / Incident overview › Cache hit ratio',
      }),
      words: `a client's cache hit ratio over ${r} < ${c.factor}× its baseline ratio, ≥ ${c.minDrop * 100} points and ≥ ${c.minZ} standard errors lower (≥ ${c.minReads} reads/s)`,
    },
    {
      alert: 'ClientSurgeAfterDeploy',
      expr: `${routeSurge} * on () group_left (${L.service}, ${L.serviceVersion}) topk(1, ${Q.recentDeploys(d.within)})`,
      for: d.for,
      labels: { severity: 'warning' },
      annotations: annotate({
        summary: `Client ${lbl(L.clientId)} calls ${lbl(L.httpRoute)} at ${VALUE}/s since ${lbl(L.service)} ${lbl(L.serviceVersion)} was deployed`,
        description: `${lbl(L.clientId)}'s calls to ${lbl(L.httpRoute)} over the last ${fast} are at least ${d.factor}× their baseline (or new), and ${lbl(L.service)} started a new version (${lbl(L.serviceVersion)}) within the last ${d.within}: the deploy is the first suspect.`,
        jaeger_url: jaegerSearchUrl(C.edge, { 'client.id': client }),
        grafana_url: grafanaUrl(DASHBOARD.clients, { edge: C.edge, client }),
        grafana_panel: 'faultline / Clients › Requests/s per client (deploy markers)',
      }),
      words: `a client's calls to one route over ${fast} ≥ ${d.factor}× baseline (+${d.minRise}/s) or new, while a running service has a version first seen in the last ${d.within}`,
    },
  ];
}
