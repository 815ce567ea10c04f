/**
 * The status timeline, for the people who would otherwise walk over and ask:
 * - `faultline status post "TEXT" [--eta 30m] [--severity minor|major|critical]`: something is wrong;
 * - `faultline status resolve "TEXT"`: it is fixed;
 * - `faultline status [--since 24h] [--json]`: the current status, then the events newest first, with
 *   their times and ETAs;
 * - `faultline status webhook [--listen 127.0.0.1:9097]`: Alertmanager's webhook receiver that puts every
 *   alert fired and resolved on the timeline (status-webhook.ts). Alert events are listed with the others
 *   but do not set the current status: that is what people post.
 * Events are log records (`event.name` = `faultline.status`) sent through the Collector into the log
 * store and read back with LogsQL; Grafana's "Status" dashboard shows the same records.
 */
import { parseArgs } from 'node:util';
import {
  EVENT,
  LOG_FIELD,
  logs,
  parseDurationSeconds,
  STATUS_SEVERITIES,
  STATUS_SOURCE,
  type LogLine,
  type StatusSeverity,
} from '@faultline/signals';
import { sendEvent, type EventRecord } from '../events/otlp.ts';
import { collectorUrl, logsUrl } from '../events/targets.ts';
import { ALERTMANAGER_SOURCE } from '../events/alertmanager.ts';
import { STATUS_WEBHOOK_LISTEN, startStatusWebhook } from './status-webhook.ts';

/** Help text. */
export const STATUS_USAGE = `usage: faultline status [--since 24h] [--json] [--logs URL]
       faultline status post "TEXT" [--eta 30m] [--severity minor|major|critical] [--collector URL]
       faultline status resolve "TEXT" [--collector URL]
       faultline status webhook [--listen HOST:PORT] [--collector URL]

  --eta D           estimated time to recovery from now: 10m, 1h (shown as a clock time)
  --severity S      minor, major (default) or critical
  --since D         how far back the timeline goes (default 24h)
  --listen A        webhook: where Alertmanager posts its notifications (default ${STATUS_WEBHOOK_LISTEN});
                    each alert fired or resolved becomes an event (runs until SIGTERM or SIGINT)
  --json            the status and events as JSON
  --logs URL        VictoriaLogs (default $FAULTLINE_LOGS_URL or http://127.0.0.1:9428)
  --collector URL   the Collector's OTLP/HTTP endpoint (default $FAULTLINE_COLLECTOR_URL,
                    $OTEL_EXPORTER_OTLP_ENDPOINT or http://127.0.0.1:4318)

exit 0: done; 2: the Collector or VictoriaLogs refused or is unreachable, or bad usage`;

/** One event of the timeline. */
export interface StatusEvent {
  /** ISO 8601 UTC. */
  time: string;
  /** `open` (a post) or `resolved`. */
  state: 'open' | 'resolved';
  /** Severity of a post; undefined on a resolution. */
  severity: StatusSeverity | undefined;
  text: string;
  /** Estimated recovery, ISO 8601 UTC, when given. */
  eta: string | undefined;
  /** Who wrote it: `cli`, `alertmanager`, … */
  source: string;
}

/** The timeline: the current status (from the newest event people wrote) and the events, newest first. */
export interface StatusTimeline {
  /** `ok` when there is no event or the newest one is a resolution; else the newest post's severity. Alert events do not count. */
  current: 'ok' | StatusSeverity;
  /** The newest event people wrote (not an alert's), if any. */
  latest: StatusEvent | undefined;
  events: StatusEvent[];
}

/** The status event for a post or a resolution. */
export function statusEvent(
  state: 'open' | 'resolved',
  text: string,
  opts: { severity?: StatusSeverity; etaS?: number; timeMs?: number } = {},
): EventRecord {
  const timeMs = opts.timeMs ?? Date.now();
  const severity = state === 'open' ? (opts.severity ?? 'major') : undefined;
  return {
    resource: { [LOG_FIELD.service]: 'faultline-status' },
    attributes: {
      [LOG_FIELD.eventName]: EVENT.status,
      [LOG_FIELD.statusState]: state,
      [LOG_FIELD.statusSeverity]: severity,
      [LOG_FIELD.statusEta]: opts.etaS === undefined ? undefined : new Date(timeMs + opts.etaS * 1000).toISOString(),
      [LOG_FIELD.statusSource]: STATUS_SOURCE.cli,
    },
    body: text,
    severityText: severity === 'critical' ? 'ERROR' : severity ? 'WARN' : 'INFO',
    severityNumber: severity === 'critical' ? 17 : severity ? 13 : 9,
    timeMs,
  };
}

/** Reads one stored record as a {@link StatusEvent}. */
export function eventOf(l: LogLine): StatusEvent {
  const sev = l[LOG_FIELD.statusSeverity];
  return {
    time: l[LOG_FIELD.time] ?? '',
    state: l[LOG_FIELD.statusState] === 'resolved' ? 'resolved' : 'open',
    severity: (STATUS_SEVERITIES as readonly string[]).includes(sev ?? '') ? (sev as StatusSeverity) : undefined,
    text: l[LOG_FIELD.msg] ?? '',
    eta: l[LOG_FIELD.statusEta] || undefined,
    source: l[LOG_FIELD.statusSource] || 'unknown',
  };
}

/** The LogsQL query of the timeline (also the Status dashboard's table query). */
export const STATUS_QUERY = `${logs.fieldEq(LOG_FIELD.eventName, EVENT.status)} | sort by (_time desc)`;

/**
 * Reads the timeline from the log store.
 * @param sinceS - how far back, seconds.
 * @throws SourceError when VictoriaLogs is unreachable or rejects the query.
 */
export async function readTimeline(base: string, sinceS: number, nowS = Date.now() / 1000): Promise<StatusTimeline> {
  const lines = await logs.query(base, STATUS_QUERY, { start: nowS - sinceS, end: nowS + 60, limit: 200 });
  const events = lines.map(eventOf).sort((a, b) => b.time.localeCompare(a.time));
  const latest = events.find((e) => e.source !== ALERTMANAGER_SOURCE);
  return { current: !latest || latest.state === 'resolved' ? 'ok' : (latest.severity ?? 'major'), latest, events };
}

const clock = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** The timeline as text: the current status line, then one line per event. */
export function renderTimeline(t: StatusTimeline): string {
  const l = t.latest;
  const head = !l
    ? `status: ok (${t.events.length ? 'nothing posted, only alerts' : 'no status events'})`
    : t.current === 'ok'
      ? `status: ok, resolved ${clock(l.time)}: ${l.text}`
      : `status: ${t.current.toUpperCase()} since ${clock(l.time)}: ${l.text}${l.eta ? ` (ETA ${clock(l.eta)})` : ''}`;
  const rows = t.events.map(
    (e) =>
      `  ${clock(e.time)}  ${(e.state === 'resolved' ? 'resolved' : (e.severity ?? '')).padEnd(8)}  ${e.text}${e.eta ? `  (ETA ${clock(e.eta)})` : ''}${e.source !== STATUS_SOURCE.cli ? `  [${e.source}]` : ''}`,
  );
  return [head, ...(rows.length ? ['', 'events, newest first:', ...rows] : [])].join('\n');
}

/**
 * Runs `faultline status ...`. Output lines go to `out`.
 * @returns the exit code.
 * @throws Error on bad usage; SourceError when a source fails.
 */
export async function runStatus(argv: string[], env: Record<string, string | undefined>, out: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      eta: { type: 'string' },
      severity: { type: 'string' },
      since: { type: 'string', default: '24h' },
      json: { type: 'boolean', default: false },
      logs: { type: 'string' },
      collector: { type: 'string' },
      listen: { type: 'string' },
    },
  });
  const [sub, text, ...extra] = positionals;
  if (sub === undefined) {
    const t = await readTimeline(logsUrl(values.logs, env), parseDurationSeconds(values.since, '--since'));
    out(values.json ? JSON.stringify(t, null, 2) : renderTimeline(t));
    return 0;
  }
  if (sub === 'webhook') {
    if (text !== undefined) throw new Error('status webhook takes no TEXT');
    const target = { url: collectorUrl(values.collector, env), token: env['FAULTLINE_COLLECTOR_TOKEN'] ?? '' };
    const hook = await startStatusWebhook(values.listen ?? STATUS_WEBHOOK_LISTEN, target, out);
    out(`faultline status webhook: Alertmanager notifications on ${hook.url} go to the Collector at ${target.url}`);
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    await hook.close();
    return 0;
  }
  if (sub !== 'post' && sub !== 'resolve')
    throw new Error(`unknown status command ${JSON.stringify(sub)} (post, resolve, webhook, or none)`);
  if (!text?.trim() || extra.length) throw new Error(`status ${sub} takes one quoted TEXT`);
  const severity = values.severity;
  if (severity !== undefined && !(STATUS_SEVERITIES as readonly string[]).includes(severity))
    throw new Error(`--severity is one of ${STATUS_SEVERITIES.join(', ')}, not ${JSON.stringify(severity)}`);
  if (sub === 'resolve' && (severity !== undefined || values.eta !== undefined))
    throw new Error('status resolve takes no --severity or --eta');
  const e = statusEvent(sub === 'post' ? 'open' : 'resolved', text.trim(), {
    ...(severity ? { severity: severity as StatusSeverity } : {}),
    ...(values.eta !== undefined ? { etaS: parseDurationSeconds(values.eta, '--eta') } : {}),
  });
  await sendEvent({ url: collectorUrl(values.collector, env), token: env['FAULTLINE_COLLECTOR_TOKEN'] ?? '' }, e);
  out(
    `recorded: ${sub === 'post' ? `${e.attributes[LOG_FIELD.statusSeverity]} ` : 'resolved '}${clock(new Date(e.timeMs!).toISOString())}: ${e.body}`,
  );
  return 0;
}
