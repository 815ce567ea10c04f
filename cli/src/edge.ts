/**
 * Which service is the edge: the one whose server spans count client requests (the first service a
 * request from outside reaches; it reads the client ID from a header). `--edge` names it; otherwise it
 * is found in Prometheus: the preload puts resource attribute `faultline.edge` (from FAULTLINE_EDGE,
 * default true) on the SDK's info metric (`M.targetInfo`, label `L.edge`), where the service name is
 * the `L.job` label. Among the services
 * marked as edge, the one whose server spans carry the most requests with a client ID wins; when no
 * service is marked (an older preload), the service with the most such server spans.
 */
import { CLIENT_UNKNOWN, eq, L, M, ne, prometheus, SERVER, selector, type Sample } from '@faultline/signals';
import { CALLS } from './checks/promql.ts';
import type { EdgeFrom } from './report-schema.ts';
import type { Window } from './window.ts';

/** The edge service and how it was chosen. */
export interface EdgeChoice {
  /** The service name; empty when no request carries a client ID. */
  service: string;
  from: EdgeFrom;
}

/** The value of `faultline.edge` on the edge service. */
const MARKED = String(true);

/**
 * The two questions, over the baseline and the window (evaluated at the window's end): services
 * marked as edge (by `job`), and requests with a client ID per service at server spans.
 */
export function edgeQueries(w: Window): { marked: string; clientRequests: string } {
  const range = `${w.seconds + w.baselineSeconds}s`;
  return {
    marked: `group by (${L.job}) (last_over_time(${selector(M.targetInfo, eq(L.edge, MARKED))}[${range}]))`,
    clientRequests: `sum by (${L.service}) (increase(${selector(CALLS, SERVER, ne(L.clientId, ''), ne(L.clientId, CLIENT_UNKNOWN))}[${range}]))`,
  };
}

/** The busiest service of `requests` (ties: by name), restricted to `among` when given. */
function busiest(requests: Sample[], among?: Set<string>): string | undefined {
  const candidates = new Map<string, number>([...(among ?? [])].map((s) => [s, 0]));
  for (const s of requests) {
    const service = s.labels[L.service];
    if (service && (!among || among.has(service))) candidates.set(service, s.value);
  }
  return [...candidates].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

/** Chooses the edge from the two answers of {@link edgeQueries} (pure). */
export function chooseEdge(marked: Sample[], clientRequests: Sample[]): EdgeChoice {
  const edges = new Set(marked.map((s) => s.labels[L.job]).filter((x): x is string => !!x));
  if (edges.size > 0) return { service: busiest(clientRequests, edges)!, from: 'marked' };
  const service = busiest(clientRequests.filter((s) => s.value > 0));
  return service ? { service, from: 'traffic' } : { service: '', from: 'none' };
}

/**
 * The edge service for window `w`: `given` (`--edge`) if set, else found in Prometheus.
 * @throws SourceError when Prometheus cannot be reached.
 */
export async function findEdge(base: string, w: Window, given?: string): Promise<EdgeChoice> {
  if (given) return { service: given, from: 'option' };
  const q = edgeQueries(w);
  const [marked, clientRequests] = await Promise.all([
    prometheus.instant(base, q.marked, w.end),
    prometheus.instant(base, q.clientRequests, w.end),
  ]);
  return chooseEdge(marked, clientRequests);
}
