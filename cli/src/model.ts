/**
 * The report `faultline incident` produces: the TypeScript type of `--json` output. The JSON Schema
 * `cli/schema/incident.schema.json` describes the same shape (the tests validate real output against it).
 */

/** What a finding is about. */
export type FindingKind =
  | 'client-requests' // a client's request rate changed (rose or fell) against the baseline
  | 'client-errors' // a client's error rate rose
  | 'client-latency' // a client's p95 latency rose more than everyone else's
  | 'latency' // p95 latency at the edge rose for everyone
  | 'deploy' // a service started running a new version
  | 'pool' // a connection pool ran out (every connection used, requests waiting, timeouts)
  | 'ejection' // an instance got no traffic while its peers did (the load balancer took it out)
  | 'health' // health checks failed
  | 'breaker' // a circuit breaker opened
  | 'cache' // the cache hit ratio dropped
  | 'backlog'; // background jobs were added faster than processed, or failed

/** Example traces of a finding. */
export interface FindingTraces {
  /** `exemplars`: from Prometheus exemplars; `jaeger`: from a Jaeger search; `none`: none found. */
  source: 'exemplars' | 'jaeger' | 'none';
  /** Up to three trace IDs (32 hex digits). */
  ids: string[];
  /** The Jaeger UI link of each trace, in the same order. */
  urls: string[];
  /** A Jaeger UI search for more traces like these (service, tags, window). */
  search: string;
}

/** Where to look at a finding's numbers. */
export interface FindingLinks {
  /** The Prometheus graph of {@link Finding.query} over the window. */
  prometheus: string;
  /** The same query in Grafana Explore (datasource `faultline-prometheus`, exemplars linked to Jaeger). */
  grafana: string;
}

/** One finding. */
export interface Finding {
  kind: FindingKind;
  /** What it is about: a client ID, `service/instance`, a pool, a breaker, a queue, `service@version`. */
  subject: string;
  /** One line a person reads first, e.g. `team-17: 6.1× requests (612 vs 100 in 15m; 15% of traffic)`. */
  title: string;
  /** Further lines: when, who else, what lines up with it. */
  details: string[];
  /** Rank, 0–100, higher first. Causes (clients, deploys) weigh more than symptoms of the same size. */
  score: number;
  /** When it started (ISO 8601), if known. */
  since?: string;
  /** When it was last seen (ISO 8601), if known. */
  until?: string;
  /** The numbers behind the title, by name (rates per second, ratios 0–1, durations in ms). */
  evidence: Record<string, number | string | boolean | null>;
  /** Subjects of other findings that line up with this one in time (e.g. a deploy and a client's errors). */
  related: string[];
  /** The PromQL that shows it. */
  query: string;
  traces: FindingTraces;
  links: FindingLinks;
}

/** One question that was asked, whether there was data to answer it, and how many findings it gave. */
export interface Check {
  name: 'clients' | 'latency' | 'deploys' | 'pools' | 'ejections' | 'health' | 'breakers' | 'cache' | 'backlog';
  /** What was looked at, in words. */
  description: string;
  /** `false` when the metrics (or traces) this check needs do not exist: the check could not find anything. */
  hasData: boolean;
  findings: number;
}

/** A time window, both ends ISO 8601. */
export interface ReportWindow {
  start: string;
  end: string;
  seconds: number;
}

/** The whole report (`faultline incident --json`). */
export interface IncidentReport {
  /** Always `faultline.incident/v1`. */
  schema: 'faultline.incident/v1';
  /** When the report was made (ISO 8601). */
  generatedAt: string;
  /** The window looked at (`--since`, ending now). */
  window: ReportWindow;
  /** The window it is compared with (by default the same length, right before). */
  baseline: ReportWindow;
  /** The edge service whose server spans count client requests. */
  edge: string;
  sources: { prometheus: string; jaeger: string };
  checks: Check[];
  /** Ranked, highest score first; empty when no anomaly was found. */
  findings: Finding[];
  /** How long the whole investigation took, ms. */
  tookMs: number;
}
