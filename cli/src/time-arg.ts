/** Points in time on the command line (`--from`, `--to`): RFC 3339, or relative to now (pure). */
import { parseDurationSeconds } from '@faultline/signals';

/** RFC 3339 date-time with a zone (`Z` or `±hh:mm`), seconds and fractions optional. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Unix seconds of a time argument: `2026-11-22T14:05:00Z` (RFC 3339, a zone is required),
 * `-3h` / `-90s` (that long before `now`), or `now`.
 * @param value - the argument as given.
 * @param flag - the option's name, for the message.
 * @param now - unix seconds.
 * @throws Error with a message for the user on anything else.
 */
export function parseTime(value: string, flag: string, now: number): number {
  if (value === 'now') return now;
  if (value.startsWith('-')) {
    try {
      return now - parseDurationSeconds(value.slice(1), flag);
    } catch {
      /* the message below names every form */
    }
  } else if (RFC3339.test(value)) {
    const t = Date.parse(value.replace(' ', 'T'));
    if (Number.isFinite(t)) return Math.floor(t / 1000);
  }
  throw new Error(
    `${flag} takes an RFC 3339 time like 2026-11-22T14:05:00Z, a time before now like -3h, or now; not ${JSON.stringify(value)}`,
  );
}
