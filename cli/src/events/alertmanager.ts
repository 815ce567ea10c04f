/**
 * Alertmanager's webhook notifications as status events: each alert of a notification (Alertmanager's
 * webhook JSON, version 4: https://prometheus.io/docs/alerting/latest/configuration/#webhook_config)
 * becomes one `faultline.status` event, "alert X fired: summary" at its `startsAt` or "alert X resolved"
 * at its `endsAt`, with `faultline.status.source` = `alertmanager`, so the status timeline (`faultline
 * status`, the Status dashboard) shows what fired and when without anyone typing it.
 */
import { EVENT, L, LOG_FIELD, STATUS_SOURCE, type StatusSeverity } from '@faultline/signals';
import type { EventRecord } from './otlp.ts';

/** One alert of a webhook notification (the fields used here). */
export interface WebhookAlert {
  /** `firing` or `resolved`. */
  status: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  /** RFC 3339. */
  startsAt: string;
  /** RFC 3339; `0001-01-01T00:00:00Z` while firing. */
  endsAt?: string;
  /** Alertmanager's ID of the alert's label set. */
  fingerprint?: string;
}

/** A webhook notification (the fields used here). */
export interface WebhookPayload {
  version?: string;
  alerts: WebhookAlert[];
}

/** `faultline.status.source` of the events made here. */
export const ALERTMANAGER_SOURCE = STATUS_SOURCE.alertmanager;
/** The alert's `severity` label (the rules' convention: critical, warning, info). */
const SEVERITY_LABEL = 'severity';

/** The status severity of an alert: `critical` stays critical, `warning` is major, anything else minor. */
export function statusSeverityOf(alert: WebhookAlert): StatusSeverity {
  const s = alert.labels[SEVERITY_LABEL];
  return s === 'critical' ? 'critical' : s === 'warning' ? 'major' : 'minor';
}

/**
 * The payload's alerts, checked.
 * @throws Error when `body` is not an Alertmanager webhook notification.
 */
export function parsePayload(body: unknown): WebhookPayload {
  const alerts = (body as { alerts?: unknown } | null)?.alerts;
  if (!Array.isArray(alerts)) throw new Error('not an Alertmanager webhook notification (no alerts array)');
  for (const a of alerts as WebhookAlert[]) {
    if (typeof a?.status !== 'string' || typeof a.labels !== 'object' || a.labels === null || Number.isNaN(Date.parse(a.startsAt)))
      throw new Error('an alert without status, labels or startsAt');
  }
  return body as WebhookPayload;
}

/** A key that is the same for the same alert in the same state (Alertmanager re-sends a group's alerts). */
export function alertKey(a: WebhookAlert): string {
  return `${a.fingerprint ?? JSON.stringify(a.labels)}|${a.status}|${a.startsAt}`;
}

/** The status event of one alert: fired at `startsAt`, or resolved at `endsAt`. */
export function alertEvent(a: WebhookAlert): EventRecord {
  const name = a.labels[L.alertName] ?? 'unnamed';
  const resolved = a.status === 'resolved';
  const summary = a.annotations?.['summary'];
  const severity = resolved ? undefined : statusSeverityOf(a);
  const endMs = a.endsAt ? Date.parse(a.endsAt) : Number.NaN;
  return {
    resource: { [LOG_FIELD.service]: 'faultline-status' },
    attributes: {
      [LOG_FIELD.eventName]: EVENT.status,
      [LOG_FIELD.statusState]: resolved ? 'resolved' : 'open',
      [LOG_FIELD.statusSeverity]: severity,
      [LOG_FIELD.statusSource]: ALERTMANAGER_SOURCE,
      [LOG_FIELD.alertName]: name,
    },
    body: `alert ${name} ${resolved ? 'resolved' : 'fired'}${summary ? `: ${summary}` : ''}`,
    severityText: severity === 'critical' ? 'ERROR' : severity ? 'WARN' : 'INFO',
    severityNumber: severity === 'critical' ? 17 : severity ? 13 : 9,
    timeMs: resolved && endMs > 0 ? endMs : Date.parse(a.startsAt),
  };
}
