/**
 * Every label faultline reads in Prometheus, by what it means, and the label values it compares with.
 * Labels that come from an OpenTelemetry attribute are derived from the attribute's name with
 * {@link promLabel}, so the write side (instrumentation/src/semconv.ts, the semantic conventions) and
 * the read side cannot drift apart. Nothing outside this workspace spells a label name.
 */
import {
  ATTR_BREAKER_EVENT,
  ATTR_BREAKER_NAME,
  ATTR_CACHE_HIT,
  ATTR_CLIENT_ID,
  ATTR_CONNECTION_STATE,
  ATTR_EDGE,
  ATTR_POOL_NAME,
  ATTR_RESEND_COUNT,
  CLIENT_ID_UNKNOWN,
} from '@faultline/instrumentation/semconv';
import { promLabel } from './naming.ts';

/** Label names, by meaning. */
export const L = {
  // --- resource and span-metric dimensions (collector/config.yaml `span_metrics`) -----------------
  /** `service.name`: the service a series comes from. */
  service: promLabel('service.name'),
  /** `service.version`: its version (deploy markers). */
  serviceVersion: promLabel('service.version'),
  /** Prometheus' own: the scraped target, or `service.instance.id` for SDK metrics. */
  instance: 'instance',
  /** Prometheus' own: the scrape job, or `service.name` for SDK metrics (`target_info`). */
  job: 'job',
  /** Span kind, valued like {@link SPAN_KIND}. */
  spanKind: 'span_kind',
  /** Span name (`pg-pool.connect`, `GET /v1/items/:id`, …). */
  spanName: 'span_name',
  /** Span status, valued like {@link STATUS}. */
  statusCode: 'status_code',
  /** `client.id`: the calling client (faultline addition, instrumentation/src/semconv.ts). */
  clientId: promLabel(ATTR_CLIENT_ID),
  /** `http.route` (semantic conventions). */
  httpRoute: promLabel('http.route'),
  /** `http.request.method` (semantic conventions). */
  httpMethod: promLabel('http.request.method'),
  /** `http.response.status_code` (semantic conventions). */
  httpStatusCode: promLabel('http.response.status_code'),
  /** `http.request.resend_count` (semantic conventions): set on retried client calls only. */
  resendCount: promLabel(ATTR_RESEND_COUNT),
  /** `cache.hit` (faultline addition): `true`/`false` on cache reads. */
  cacheHit: promLabel(ATTR_CACHE_HIT),
  /** `error.type` (semantic conventions). */
  errorType: promLabel('error.type'),
  /** `faultline.edge` (resource attribute on `target_info`): `true` on the edge service. */
  edge: promLabel(ATTR_EDGE),
  /** Histogram bucket bound. */
  le: 'le',

  // --- connection pools ----------------------------------------------------------------------------
  /** `db.client.connection.pool.name` (semantic conventions). */
  poolName: promLabel(ATTR_POOL_NAME),
  /** `db.client.connection.state`: `used` or `idle` (semantic conventions). */
  connectionState: promLabel(ATTR_CONNECTION_STATE),

  // --- circuit breakers (faultline additions) -------------------------------------------------------
  /** `circuit_breaker.name`. */
  breakerName: promLabel(ATTR_BREAKER_NAME),
  /** `circuit_breaker.event`: `open`, `half_open`, `close`, `reject`, `timeout`, `failure`. */
  breakerEvent: promLabel(ATTR_BREAKER_EVENT),

  // --- background jobs (BullMQ's own metrics) ------------------------------------------------------
  /** `bullmq.queue.name`. */
  queueName: promLabel('bullmq.queue.name'),
  /** `bullmq.job.state`: `waiting`, `active`, `delayed`, `prioritized`, … */
  jobState: promLabel('bullmq.job.state'),

  // --- the Collector's service graph ---------------------------------------------------------------
  /** Calling side of a service-graph edge. */
  graphClient: 'client',
  /** Called side of a service-graph edge (a service, or a virtual node such as a database). */
  graphServer: 'server',

  // --- Prometheus' alerts (series of {@link M.alerts}) --------------------------------------------
  /** The alerting rule's name. */
  alertName: 'alertname',
  /** `pending` or `firing`. */
  alertState: 'alertstate',

  // --- the Collector's own metrics -----------------------------------------------------------------
  receiver: 'receiver',
  transport: 'transport',
  exporter: 'exporter',
  processor: 'processor',
  otelSignal: 'otel_signal',
} as const;

/** Values of {@link L.spanKind} (the span_metrics connector's spelling). */
export const SPAN_KIND = {
  server: 'SPAN_KIND_SERVER',
  client: 'SPAN_KIND_CLIENT',
  internal: 'SPAN_KIND_INTERNAL',
  producer: 'SPAN_KIND_PRODUCER',
  consumer: 'SPAN_KIND_CONSUMER',
} as const;

/** Values of {@link L.statusCode}. */
export const STATUS = {
  unset: 'STATUS_CODE_UNSET',
  ok: 'STATUS_CODE_OK',
  error: 'STATUS_CODE_ERROR',
} as const;

/** Values of {@link L.connectionState} (semantic conventions). */
export const CONNECTION_STATE = { used: 'used', idle: 'idle' } as const;

/**
 * Value of {@link L.clientId} that the Collector gives every client beyond a process's
 * `FAULTLINE_METRICS_CLIENT_LIMIT` (collector/config.yaml `transform/client_id_overflow`).
 */
export const CLIENT_OVERFLOW = 'other';

/** Value of {@link L.clientId} when a request came without a client ID (instrumentation/src/semconv.ts). */
export const CLIENT_UNKNOWN: string = CLIENT_ID_UNKNOWN;
