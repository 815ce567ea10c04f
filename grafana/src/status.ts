/**
 * Status: the page people open instead of walking over to ask. The current status (the newest status
 * event: severity, text, ETA), the timeline of status events newest first (each with its time, text and
 * ETA; `faultline status post/resolve`, alerts through the Collector's webhook), and the deploy events
 * beside it. Every panel reads the log store (VictoriaLogs); the queries are in logs-queries.ts.
 */
import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import * as logsPanel from '@grafana/grafana-foundation-sdk/logs';
import * as table from '@grafana/grafana-foundation-sdk/table';
import { LOG_FIELD } from '@faultline/signals';
import { deployEventAnnotation } from './annotations.ts';
import { CURRENT_STATUS_QUERY, deployEventsQuery, STATUS_EVENTS_QUERY, vlogs } from './logs-queries.ts';

/** Columns of the status tables, in order, with their headers. */
const COLUMNS: Record<string, string> = {
  [LOG_FIELD.time]: 'Time',
  [LOG_FIELD.statusState]: 'State',
  [LOG_FIELD.statusSeverity]: 'Severity',
  [LOG_FIELD.msg]: 'What',
  [LOG_FIELD.statusEta]: 'ETA',
  [LOG_FIELD.statusSource]: 'From',
};

/** A table of status events with {@link COLUMNS} only. */
function statusTable(title: string, description: string, expr: string, height: number, maxLines: number): table.PanelBuilder {
  const indexByName = Object.fromEntries(Object.keys(COLUMNS).map((k, i) => [k, i]));
  return new table.PanelBuilder()
    .title(title)
    .description(description)
    .span(24)
    .height(height)
    .withTarget(vlogs(expr, 'A', maxLines))
    .transformations([
      { id: 'extractFields', options: { source: 'labels' } },
      {
        id: 'organize',
        options: { indexByName, renameByName: COLUMNS, includeByName: Object.fromEntries(Object.keys(COLUMNS).map((k) => [k, true])) },
      },
    ]);
}

/** Builds the Status dashboard. */
export function statusDashboard(): DashboardBuilder {
  return new DashboardBuilder('faultline / Status')
    .uid('faultline-status')
    .tags(['faultline'])
    .refresh('30s')
    .time({ from: 'now-24h', to: 'now' })
    .timezone('browser')
    .annotation(deployEventAnnotation())
    .withPanel(
      statusTable(
        'Current status',
        'The newest status event people wrote: open (with its severity and ETA) until someone runs `faultline status resolve`. Alerts are in the events below, not here.',
        CURRENT_STATUS_QUERY,
        5,
        1,
      ),
    )
    .withPanel(
      statusTable(
        'Events, newest first',
        'Every status post and resolution of the range, with its time, text and ETA (`faultline status`), and every alert fired and resolved (From: alertmanager).',
        STATUS_EVENTS_QUERY,
        12,
        200,
      ),
    )
    .withPanel(
      new logsPanel.PanelBuilder()
        .title('Deploys')
        .description("Recorded deploy events (`faultline deploy`, or a team's curl line to the Collector).")
        .span(24)
        .height(8)
        .withTarget(vlogs(deployEventsQuery(), 'A', 200))
        .showTime(true)
        .wrapLogMessage(true),
    );
}
