/**
 * The datasources every dashboard refers to, by the UIDs that `grafana/provisioning/datasources/`
 * gives them (a test checks that the two agree).
 */
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';

/** faultline's Prometheus (span metrics, service graph, SDK and Collector metrics). */
export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: 'faultline-prometheus' };
/** faultline's Jaeger (traces, dependency graph). */
export const JAEGER: DataSourceRef = { type: 'jaeger', uid: 'faultline-jaeger' };
/** faultline's VictoriaLogs (log records and events; plugin `victoriametrics-logs-datasource`). */
export const VICTORIALOGS: DataSourceRef = { type: 'victoriametrics-logs-datasource', uid: 'faultline-victorialogs' };
