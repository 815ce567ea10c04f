/**
 * The one parser of durations typed by people (command-line flags, env vars): `1500ms`, `30s`, `15m`,
 * `1h`, `2d`, or a bare number of seconds. Its two faces say their unit in their name.
 */

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Milliseconds of a duration such as `1500ms`, `30s`, `15m`, `1h`, `2d` or `90` (seconds).
 * @param text - the duration as typed.
 * @param what - how the value is named in the error (a flag, an env var). Default `duration`.
 * @returns a positive number of milliseconds.
 * @throws Error `<what> takes a duration like 30s, 15m or 1h: "<text>" is not a duration` on
 *   anything else, zero included.
 */
export function parseDurationMs(text: string, what = 'duration'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  const n = m ? Number(m[1]) * UNIT_MS[(m[2] ?? 's') as keyof typeof UNIT_MS] : NaN;
  if (!(n > 0)) throw new Error(`${what} takes a duration like 30s, 15m or 1h: ${JSON.stringify(text)} is not a duration`);
  return n;
}

/**
 * Whole seconds of a duration (see {@link parseDurationMs}); rounded up, at least 1.
 * @throws Error as {@link parseDurationMs}.
 */
export function parseDurationSeconds(text: string, what = 'duration'): number {
  return Math.max(1, Math.ceil(parseDurationMs(text, what) / 1000));
}
