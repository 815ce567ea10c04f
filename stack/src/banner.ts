/**
 * What `npm run demo` prints once the stack is ready: every URL on it opens a working page on this run
 * (test/browser/ opens each one in Chromium). Trace UI: Zipkin's Lens (the natively built Jaeger has
 * only a placeholder UI, so Jaeger is printed as the query API the CLI reads, not as a UI).
 */
import { clientTrafficQuery, prometheusGraphUrl, zipkinSearchUrl } from './links.ts';
import type { StackUrls } from './stack.ts';

/** Inputs of {@link readyBanner} besides the URLs. */
export interface BannerOptions {
  /** The service that first receives a client's requests (the demo's `lb`): traffic per client is counted there. */
  edgeService: string;
  /** "ready in …" time, ms. */
  readyMs: number;
  /** The `--duration` line's text (e.g. `Stopping in 05:00; `), or empty. Default empty. */
  stopping?: string;
  /** The time the stack was ready, ms since the epoch. Default now. */
  now?: number;
}

/** The trace search link's window: a day either side of the start, so it stays useful for a day-long run. */
const DAY_MS = 86_400_000;

/**
 * The start-up text, one line per place to look; lines of parts that did not start (no fleet, no
 * Prometheus) are left out.
 */
export function readyBanner(u: StackUrls, o: BannerOptions): string {
  const lines = [`faultline demo: ready in ${(o.readyMs / 1000).toFixed(1)} s`];
  const row = (what: string, url: string, note = '') => lines.push(`  ${what.padEnd(21)}${url}${note ? `   (${note})` : ''}`);
  row('traces (Zipkin UI)', u.zipkinUi, 'search by tag, e.g. client.id=team-07; every span carries client.id and the pool state');
  if (u.lb) {
    // A printed link cannot say "until now": its window ends a day after the start (Lens runs a
    // search on load only with an end time).
    const endTs = (o.now ?? Date.now()) + DAY_MS;
    row('  lb traces', zipkinSearchUrl(u.zipkinUi, { serviceName: o.edgeService, endTs, lookback: '2d' }));
  }
  if (u.prometheus) {
    row('traffic per client', prometheusGraphUrl(u.prometheus, clientTrafficQuery(o.edgeService)), 'Prometheus graph');
    row('Prometheus', `${u.prometheus}/classic/graph`, 'scrapes the Collector every 5 s');
  }
  if (u.alertmanager) row('Alertmanager', u.alertmanager, 'alerts firing now, grouped and inhibited; API /api/v2/alerts');
  row('logs and events', `${u.logs}/select/vmui`, 'VictoriaLogs: log lines by trace_id or client.id, deploys, status');
  row('Jaeger query API', `${u.jaegerQuery}/api/services`, 'the store of record that faultline incident reads; no UI in this build');
  row('Collector metrics', u.collectorPrometheus, 'span metrics, service graph, SDK metrics');
  row('Collector itself', u.collectorMetrics, `health ${u.collectorHealth}`);
  if (u.lb) row('lb', `${u.lb}/lb/status`, `the fleet's entry, port ${new URL(u.lb).port}; this page: its backends`);
  row('PostgreSQL', u.postgres);
  row('Redis', u.redis);
  row('logs', u.logDir);
  lines.push(`${o.stopping ?? ''}Ctrl-C stops everything.`);
  return lines.join('\n');
}
