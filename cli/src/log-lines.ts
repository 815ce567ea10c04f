/**
 * The log side of `faultline incident`: per finding, the few most telling log lines of its window —
 * warnings and errors of the finding's service, narrowed by the same attributes as its Jaeger search
 * (`client.id`, `db.client.connection.pool.name`: log records carry the span attribute names) — with
 * their trace links; and the deploy events recorded in the window (`faultline deploy`, teams' curl
 * lines). A log store that is missing or down gives no lines and no failure: the report names it in
 * `logs.error`.
 */
import { EVENT, jaeger, LOG_FIELD, logs, SourceError, type JaegerSearch, type LogLine } from '@faultline/signals';
import type { FindingLogLine, RecordedDeploy } from './report-schema.ts';

/** Lines shown per finding. */
export const LINES_PER_FINDING = 3;

/** Newest matching records read per finding, from which the shown lines are picked. */
export const LINES_READ_PER_FINDING = 100;

/** The LogsQL of a finding's log lines: its service, its search tags, warnings or worse, newest first. */
export function findingLogsQuery(search: JaegerSearch): string {
  const filters = [logs.fieldEq(LOG_FIELD.service, search.service)];
  for (const [k, v] of Object.entries(search.tags ?? {})) filters.push(logs.fieldEq(k, v));
  return `${filters.join(' ')} ${logs.WARN_OR_WORSE} | sort by (_time desc)`;
}

const num = (l: LogLine, k: string): number | undefined => (l[k] === undefined || l[k] === '' ? undefined : Number(l[k]));

/** One stored record as a report line (pool state included when the record has it). */
export function lineOf(l: LogLine, jaegerBase: string): FindingLogLine {
  const traceId = l[LOG_FIELD.traceId] || undefined;
  const used = num(l, LOG_FIELD.poolUsed);
  const max = num(l, LOG_FIELD.poolMax);
  const pending = num(l, LOG_FIELD.poolPending);
  return {
    time: new Date(Date.parse(l[LOG_FIELD.time] ?? '') || 0).toISOString(),
    severity: (l[LOG_FIELD.severity] || 'unknown').toLowerCase(),
    service: l[LOG_FIELD.service] ?? '',
    message: l[LOG_FIELD.msg] ?? '',
    ...(l[LOG_FIELD.clientId] ? { clientId: l[LOG_FIELD.clientId] } : {}),
    ...(used !== undefined && max !== undefined ? { pool: { used, max, pending: pending ?? 0 } } : {}),
    ...(traceId ? { traceId, traceUrl: jaeger.traceUrl(jaegerBase, traceId) } : {}),
  };
}

/** A message with its numbers masked, so that `waited 2003 ms` and `waited 2011 ms` are one kind of line. */
export function messageKind(message: string): string {
  return message.replace(/\d+(?:\.\d+)?/g, '#');
}

/**
 * The most telling `n` of a finding's lines (given newest first): one line per kind of message
 * ({@link messageKind}), the most frequent kinds first (ties: the most recent kind first); of each kind
 * the newest line taken at a full pool (used == max) if there is one, else its newest. Each line gets
 * `count`, how many of the given lines are of its kind. A flood of one warning thus shows once with its
 * count instead of hiding the others, and a pool-timeout line shows the pool at its limit when it was.
 */
export function mostTelling(lines: FindingLogLine[], n = LINES_PER_FINDING): FindingLogLine[] {
  const kinds = new Map<string, FindingLogLine[]>();
  for (const l of lines) {
    const k = messageKind(l.message);
    const same = kinds.get(k);
    if (same) same.push(l);
    else kinds.set(k, [l]);
  }
  // Map order is first appearance (newest first); a stable sort keeps it for equal counts.
  return [...kinds.values()]
    .sort((a, b) => b.length - a.length)
    .slice(0, n)
    .map((same) => ({ ...(same.find((l) => l.pool !== undefined && l.pool.used === l.pool.max) ?? same[0]!), count: same.length }));
}

/**
 * The log lines of one finding between `start` and `end` (unix seconds): the {@link mostTelling} few of
 * the newest {@link LINES_READ_PER_FINDING} that match it.
 * @throws SourceError when the log store cannot answer (the caller turns it into no lines).
 */
export async function findingLogLines(
  base: string,
  jaegerBase: string,
  search: JaegerSearch,
  start: number,
  end: number,
): Promise<FindingLogLine[]> {
  const lines = await logs.query(base, findingLogsQuery(search), { start, end, limit: LINES_READ_PER_FINDING });
  return mostTelling(lines.map((l) => lineOf(l, jaegerBase)));
}

/** The LogsQL of the recorded deploy events (the dashboards' "Deploy events" annotation asks the same). */
export const DEPLOY_EVENTS_QUERY = `${logs.fieldEq(LOG_FIELD.eventName, EVENT.deploy)} | sort by (_time desc)`;

/**
 * Deploy events recorded between `start` and `end` (unix seconds), newest first (at most 20).
 * @throws SourceError when the log store cannot answer.
 */
export async function recordedDeploys(base: string, start: number, end: number): Promise<RecordedDeploy[]> {
  const lines = await logs.query(base, DEPLOY_EVENTS_QUERY, { start, end, limit: 20 });
  return lines.map((l) => ({
    time: new Date(Date.parse(l[LOG_FIELD.time] ?? '') || 0).toISOString(),
    service: l[LOG_FIELD.service] ?? '',
    version: l[LOG_FIELD.serviceVersion] ?? '',
    ...(l[LOG_FIELD.clientId] ? { clientId: l[LOG_FIELD.clientId] } : {}),
    text: l[LOG_FIELD.msg] ?? '',
  }));
}

/** Runs `f`; a log store that cannot answer gives `fallback` and its message. */
export async function tolerant<T>(f: () => Promise<T>, fallback: T): Promise<{ value: T; error?: string }> {
  try {
    return { value: await f() };
  } catch (err) {
    if (err instanceof SourceError) return { value: fallback, error: err.message };
    throw err;
  }
}
