/**
 * Deploy annotations: one marker per process start, at the start time and titled with the service's
 * version, from `process_start_time_seconds{service_name, service_version, instance}` (made by the
 * Collector from each SDK's start, collector/config.yaml `transform/start_time`).
 */
import { AnnotationQueryBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { prom } from './queries.ts';
import { PROMETHEUS } from './datasources.ts';

/** The deploy-marker query; `filter` narrows the services, e.g. `service_name=~"$service"`. */
export function deployQuery(filter = ''): string {
  return `max by (service_name, service_version, instance) (process_start_time_seconds${filter ? `{${filter}}` : ''}) * 1000`;
}

/** "Deploys": a marker at every process start (value used as time), titled `<service> <version>`. */
export function deployAnnotation(filter = ''): AnnotationQueryBuilder {
  const expr = deployQuery(filter);
  return new AnnotationQueryBuilder()
    .name('Deploys').datasource(PROMETHEUS).enable(true).iconColor('purple')
    .target(prom(expr, { refId: 'Anno' }))
    .expr(expr).step('60s').useValueForTime(true)
    .titleFormat('{{service_name}} {{service_version}}').textFormat('{{instance}} started').tagKeys('service_name,service_version');
}
