/**
 * `@faultline/signals`: faultline's reading side. What the telemetry is called once it arrives
 * (metrics.ts, labels.ts, and naming.ts for the rule behind both) and the clients that read it back
 * (prometheus.ts, jaeger.ts, logs.ts for the log and event store), with the errors they throw (errors.ts)
 * and the duration parser people's input goes through (duration.ts); and the PromQL questions built from
 * those names that the alert rules (and, as they move over, the dashboards and `faultline incident`) ask
 * (queries.ts, as `queries`).
 */
export { promLabel, promMetric, bucket, sumOf, countOf, type InstrumentKind } from './naming.ts';
export { L, SPAN_KIND, STATUS, CONNECTION_STATE, CLIENT_OVERFLOW, CLIENT_UNKNOWN } from './labels.ts';
export { eq, ne, re, nre, selector, SERVER, CLIENT, PRODUCER, CONSUMER, FAILED, HEALTH_ROUTES } from './promql.ts';
export { M, counterAnySuffix } from './metrics.ts';
export { SourceError, reason, type SourceName } from './errors.ts';
export * as prometheus from './prometheus.ts';
export type { Sample, Series, Exemplar, PromAlert } from './prometheus.ts';
export * as jaeger from './jaeger.ts';
export type { JaegerSearch, JaegerSpan, JaegerTrace, RawJaegerTrace } from './jaeger.ts';
export * as logs from './logs.ts';
export { LOG_FIELD, EVENT, STATUS_SEVERITIES, STATUS_SOURCE, type StatusSeverity, type LogLine, type LogsQueryOptions } from './logs.ts';
export { parseDurationMs, parseDurationSeconds } from './duration.ts';
export { parseExposition, samplesOf, sumSeries, sumCounter, scrape, type ExpositionSample, type ExpositionExemplar } from './exposition.ts';
export * as queries from './queries.ts';
