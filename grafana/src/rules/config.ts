/**
 * Every knob of faultline's alert rules in one object, as monitoring mixins do: the edge service,
 * the windows, each rule's thresholds and `for`, and where the annotations' links point. Change a
 * value here, run `npm run rules`, and commit the regenerated grafana/rules/faultline.rules.yml
 * (grafana/test/rules.test.ts checks that the committed file is current and that promtool's unit
 * tests in grafana/rules/tests/ still pass).
 *
 * Durations are PromQL durations. Rates are per second; latencies are ms (span metrics) or s (pool
 * wait); memory is bytes.
 */

/** Rule settings shared by all rules, and one entry per rule. */
export const ALERT_CONFIG = {
  /** The service whose server spans are the clients' requests (`FAULTLINE_EDGE=true`; the demo's is `lb`). */
  edge: 'lb',
  /** Windows: `fast` for what must alert within ~30 s (5 s scrapes: 4 points, the fewest a rate should have), `rate` for the rest. */
  window: { fast: '20s', rate: '1m', ejection: '15s' },
  /** A client's own recent baseline: the `range` before the last `offset` (a surge is not its own baseline). */
  baseline: { range: '10m', offset: '1m' },
  /** Where the annotations' links point (what a person opens from a notification). */
  links: {
    /** Jaeger's UI (search URLs). Default the native/compose port. */
    jaeger: 'http://127.0.0.1:16686',
    /** Grafana (compose). */
    grafana: 'http://127.0.0.1:3000',
    /** The runbook: README's Alerts section (the rule table says what to do first). */
    runbook: 'README.md#alerts',
    /** The window `faultline incident` looks at from a notification (the alert fired inside it). */
    incidentSince: '15m',
  },

  // --- clients (edge server spans, per client ID) ----------------------------------------------------
  /**
   * A client's share of the edge's requests ≥ `factor`× its baseline share or ≥ `minGain` (a fraction)
   * above it, and ≥ `minRise` req/s above what that baseline share of today's traffic would be; or a
   * client absent from the baseline with ≥ `newShare` of the traffic and ≥ `minRise` req/s. Shares, not
   * rates: a baseline that covers only a few minutes (Prometheus just started) reads low as a rate, and
   * traffic that rises for every client alike is not one client's surge.
   */
  clientSurge: { factor: 3, minGain: 0.2, minRise: 1, newShare: 0.1, for: '5s' },
  /** Error ratio ≥ `minRatio`, ≥ `factor`× the baseline ratio, at ≥ `minRate` errors/s. */
  clientErrors: { minRatio: 0.1, factor: 3, minRate: 0.2, for: '15s' },
  /** p95 (ms) ≥ `factor`× the baseline p95 and ≥ `minRiseMs` more, for clients sending ≥ `minRate` req/s. */
  clientLatency: { quantile: 0.95, factor: 2, minRiseMs: 100, minRate: 0.5, for: '15s' },
  /**
   * Cache hit ratio below `factor`× the baseline ratio and ≥ `minDrop` lower, at ≥ `minReads` reads/s,
   * and a drop of ≥ `minZ` standard errors: (p − now) / √(p(1 − p) / n), with p the baseline ratio and n
   * the reads in the window (the one-sided test of a proportion). A quiet client's ratio over a dozen
   * reads swings by 25 points by chance (a CI run's quiet baseline: 0.4 → 0.15 over ~18 reads, z ≈ 2.2);
   * a real eviction of that client (0.9 → 0) is z ≈ 12.
   */
  cacheHitDrop: { factor: 0.7, minDrop: 0.25, minReads: 0.2, minZ: 4, for: '15s' },
  /** A client's calls to one route ≥ `factor`× baseline (+`minRise` req/s) within `within` of a new version of a running service. */
  deploySurge: { factor: 3, minRise: 0.5, within: '10m', for: '5s' },

  // --- pools (per service, instance, pool) --------------------------------------------------------------
  /** Every connection in use and requests waiting. */
  poolSaturated: { for: '10s' },
  /** p99 time to get a connection above `seconds`. */
  poolWait: { quantile: 0.99, seconds: 0.25, for: '15s' },
  /** Any request that gave up waiting for a connection. */
  poolTimeouts: { for: '0s' },

  // --- edge / load balancer (per service, instance) -----------------------------------------------------
  /** Share of a process's health checks that failed (5xx) at least `minRatio`. */
  healthChecks: { minRatio: 0.2, for: '5s' },
  /** A process below `maxShareOfEven` of an even split of its service's traffic, with failing health checks, while the service serves ≥ `minRate` req/s. */
  ejected: { maxShareOfEven: 0.25, minRate: 1, for: '0s' },
  /** A process below `maxShareOfEven` of an even split while its peers serve ≥ `minRate` req/s. */
  noTraffic: { maxShareOfEven: 0.1, minRate: 1, for: '15s' },

  // --- dependencies -----------------------------------------------------------------------------------
  /** A circuit breaker open at any moment of `window`. */
  breakerOpen: { window: '30s', for: '0s' },
  /** Retried calls/s ≥ `minRate` and ≥ `factor`× the baseline. */
  retries: { minRate: 0.2, factor: 3, for: '15s' },
  /** Calls/s a circuit breaker timed out ≥ `minRate`. */
  timeouts: { minRate: 0.05, for: '15s' },

  // --- background jobs ----------------------------------------------------------------------------------
  /** Jobs enqueued faster than processed by ≥ `minRate`/s over `window`. */
  backlog: { window: '2m', minRate: 0.2, for: '1m' },
  /** Failed jobs/s ≥ `minRate`. */
  jobsFailing: { minRate: 0.1, for: '1m' },

  // --- memory ---------------------------------------------------------------------------------------
  /** V8 heap growing ≥ `bytesPerSecond` over `window` and ≥ `minGrowthBytes` above its `floorWindow` minimum, in a process up ≥ `minUptimeS` (a warming-up heap grows too). */
  heap: { window: '1m', bytesPerSecond: 256 * 1024, floorWindow: '10m', minGrowthBytes: 24 * 2 ** 20, minUptimeS: 300, for: '30s' },

  // --- the telemetry itself ---------------------------------------------------------------------------
  /** A service that sent ≥ `minRate` spans/s on average over `history` (before the last `window`) sends none in the last `window`. */
  spansStopped: { minRate: 0.2, window: '1m', history: '1h', for: '30s' },
  /** The Collector refusing spans or metric points. */
  collectorRefusing: { for: '15s' },
  /** The Collector failing to export spans. */
  exportFailing: { for: '30s' },
  /** An SDK dropping spans (its export queue full). */
  sdkDropping: { for: '15s' },
  /** Tail sampling dropping traces undecided: a burst is enough to lose traces, so no wait. */
  tracesDroppedUndecided: { for: '0s' },
  /** The service graph dropping spans: a burst is enough to undercount edges, so no wait. */
  serviceGraphDropping: { for: '0s' },
} as const;

/** The type of {@link ALERT_CONFIG}. */
export type AlertConfig = typeof ALERT_CONFIG;
