import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { L, M, promLabel, promMetric, counterAnySuffix, selector, eq, SERVER, FAILED } from '../src/index.ts';

describe('names as Prometheus has them', () => {
  it('derives labels from attribute keys', () => {
    assert.equal(promLabel('client.id'), 'client_id');
    assert.equal(L.clientId, 'client_id');
    assert.equal(L.poolName, 'db_client_connection_pool_name');
    assert.equal(L.cacheHit, 'cache_hit');
    assert.equal(L.service, 'service_name');
  });

  it('derives metric names with unit suffixes and _total', () => {
    assert.equal(promMetric('db.client.connection.wait_time', 'histogram', 's'), 'db_client_connection_wait_time_seconds');
    assert.equal(promMetric('a.b', 'counter', '{thing}'), 'a_b_total');
    assert.equal(promMetric('a.b', 'gauge', 'By'), 'a_b_bytes');
    assert.equal(promMetric('x_total', 'counter'), 'x_total');
  });

  it('spells the metrics the Collector exposes (collector/config.yaml)', () => {
    assert.equal(M.calls, 'traces_span_metrics_calls_total');
    assert.equal(M.durationBucket, 'traces_span_metrics_duration_milliseconds_bucket');
    assert.equal(M.graphRequests, 'traces_service_graph_request_total');
    assert.equal(M.graphServerDuration, 'traces_service_graph_request_server_seconds');
    assert.equal(M.poolConnections, 'db_client_connection_count');
    assert.equal(M.poolPending, 'db_client_connection_pending_requests');
    assert.equal(M.poolWait, 'db_client_connection_wait_time_seconds');
    assert.equal(M.poolTimeouts, 'db_client_connection_timeouts_total');
    assert.equal(M.breakerState, 'circuit_breaker_state');
    assert.equal(M.breakerEvents, 'circuit_breaker_events_total');
    assert.equal(M.queueTime, 'http_server_request_queue_time_seconds');
    assert.equal(M.processStart, 'process_start_time_seconds');
    assert.equal(M.heapUsed, 'v8js_memory_heap_used_bytes');
    assert.equal(M.jobDuration, 'bullmq_job_duration_milliseconds');
    assert.equal(M.sdkSpansProcessed, 'otel_sdk_processor_span_processed_total');
  });

  it('builds selectors', () => {
    assert.equal(counterAnySuffix(M.poolTimeouts), '{__name__=~"db_client_connection_timeouts(_total)?"}');
    assert.equal(
      selector(M.calls, SERVER, undefined, FAILED),
      'traces_span_metrics_calls_total{span_kind="SPAN_KIND_SERVER",status_code="STATUS_CODE_ERROR"}',
    );
    assert.equal(selector(M.calls), 'traces_span_metrics_calls_total');
    assert.equal(eq('a', 'x"y'), 'a="x\\"y"');
  });
});
