/**
 * LogsQL targets on faultline's VictoriaLogs (the `victoriametrics-logs-datasource` plugin's query
 * model: `expr`, `queryType` `instant` = `/select/logsql/query`, `maxLines`), and the queries the
 * dashboards ask of the log store: deploy events, status events, warnings and errors per client.
 * The same queries are run against a real VictoriaLogs by `test/logs/events.test.ts`.
 */
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import { EVENT, LOG_FIELD, logs, STATUS_SOURCE } from '@faultline/signals';
import { VICTORIALOGS } from './datasources.ts';

/** A LogsQL target returning log records (at most `maxLines`, default 100). */
export function vlogs(expr: string, refId = 'A', maxLines = 100): Builder<Dataquery> {
  return {
    build: () =>
      ({
        refId,
        datasource: VICTORIALOGS,
        editorMode: 'code',
        queryType: 'instant',
        expr,
        maxLines,
        _implementsDataqueryVariant() {},
      }) as Dataquery,
  };
}

/** Deploy events (`faultline deploy`, the curl line); `service` narrows them (a Grafana regex such as `$service`), default all. */
export function deployEventsQuery(service = ''): string {
  return `${logs.fieldEq(LOG_FIELD.eventName, EVENT.deploy)}${service ? ` ${logs.quote(LOG_FIELD.service)}:~${logs.quote(`^(${service})$`)}` : ''} | sort by (_time desc)`;
}

/** Status events, newest first (the same query `faultline status` reads). */
export const STATUS_EVENTS_QUERY = `${logs.fieldEq(LOG_FIELD.eventName, EVENT.status)} | sort by (_time desc)`;

/**
 * The newest status event people wrote (not an alert's, `faultline status webhook`): the current status,
 * as `faultline status` reads it.
 */
export const CURRENT_STATUS_QUERY = `${logs.fieldEq(LOG_FIELD.eventName, EVENT.status)} NOT ${logs.fieldEq(LOG_FIELD.statusSource, STATUS_SOURCE.alertmanager)} | sort by (_time desc) | limit 1`;

/**
 * Warnings and errors of the app logs for the clients matching `client` (a Grafana regex such as
 * `$client`, whose All value is `.+`), newest first.
 */
export function clientWarningsQuery(client: string): string {
  return `${logs.quote(LOG_FIELD.clientId)}:~${logs.quote(`^(${client})$`)} ${logs.WARN_OR_WORSE} | sort by (_time desc)`;
}
