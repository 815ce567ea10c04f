/**
 * Deploy annotations: one marker per process start, at the start time and titled with the service's
 * version, from `M.processStart` by service, version and instance (made by the Collector from each
 * SDK's start, collector/config.yaml `transform/start_time`); and one per recorded deploy event
 * (`faultline deploy` or a team's curl line, from the log store), for services without the preload.
 */
import {
  AnnotationQueryBuilder,
  AnnotationEventFieldSource,
  type AnnotationEventFieldMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { L, M, selector } from '@faultline/signals';
import { prom } from './queries.ts';
import { PROMETHEUS, VICTORIALOGS } from './datasources.ts';
import { deployEventsQuery, vlogs } from './logs-queries.ts';
import { LOG_FIELD } from '@faultline/signals';

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
    .name('Deploys')
    .datasource(PROMETHEUS)
    .enable(true)
    .iconColor('purple')
    .target(prom(expr, { refId: 'Anno' }))
    .expr(expr)
    .step('60s')
    .useValueForTime(true)
    .titleFormat(`{{${L.service}}} {{${L.serviceVersion}}}`)
    .textFormat(`{{${L.instance}}} started`)
    .tagKeys(`${L.service},${L.serviceVersion}`);
}

const field = (value: string) => ({ build: (): AnnotationEventFieldMapping => ({ source: AnnotationEventFieldSource.Field, value }) });

/**
 * "Deploy events": a marker at every recorded deploy event (VictoriaLogs), titled with the event's text
 * (`<service> <version> deployed …`). `service` narrows them (a Grafana regex such as `$service`).
 */
export function deployEventAnnotation(service = ''): AnnotationQueryBuilder {
  return new AnnotationQueryBuilder()
    .name('Deploy events')
    .datasource(VICTORIALOGS)
    .enable(true)
    .iconColor('orange')
    .target(vlogs(deployEventsQuery(service), 'Anno'))
    .mappings({ time: field(LOG_FIELD.time), title: field(LOG_FIELD.msg), text: field(LOG_FIELD.msg), tags: field(LOG_FIELD.service) });
}
