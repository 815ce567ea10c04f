/**
 * Deploy annotations: one marker per process start, at the start time and titled with the service's
 * version, from `M.processStart` by service, version and instance (made by the Collector from each
 * SDK's start, collector/config.yaml `transform/start_time`).
 */
import { AnnotationQueryBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { L, M, selector } from '@faultline/signals';
import { prom } from './queries.ts';
import { PROMETHEUS } from './datasources.ts';

/** Labels of one process start. */
const BY = [L.service, L.serviceVersion, L.instance].join(', ');

/** The deploy-marker query; `filter` (a matcher) narrows the services, e.g. `re(L.service, '$service')`. Default none. */
export function deployQuery(filter = ''): string {
  return `max by (${BY}) (${selector(M.processStart, filter)}) * 1000`;
}

/** "Deploys": a marker at every process start (value used as time), titled `<service> <version>`. */
export function deployAnnotation(filter = ''): AnnotationQueryBuilder {
  const expr = deployQuery(filter);
  return new AnnotationQueryBuilder()
    .name('Deploys').datasource(PROMETHEUS).enable(true).iconColor('purple')
    .target(prom(expr, { refId: 'Anno' }))
    .expr(expr).step('60s').useValueForTime(true)
    .titleFormat(`{{${L.service}}} {{${L.serviceVersion}}}`).textFormat(`{{${L.instance}}} started`).tagKeys(`${L.service},${L.serviceVersion}`);
}
