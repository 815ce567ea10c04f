/**
 * The only place faultline writes to the host app's stderr.
 *
 * Every message is one line prefixed `[faultline]`, and a given `key` is written once
 * per process, so a failure repeated for every span can never flood the app's logs.
 */

const seen = new Set<string>();

/** Where warnings go; replaceable in tests. Default: `process.stderr.write`. */
let sink: (line: string) => void = (line) => {
  try {
    process.stderr.write(line);
  } catch {
    // stderr closed: nothing sensible to do, and the app must not notice.
  }
};

/**
 * Writes `[faultline] <message>` once per `key` for the life of the process.
 *
 * @param key - deduplication key (e.g. `config:FAULTLINE_EDGE`); the same key is never written twice.
 * @param message - one human-readable sentence: what happened and what faultline does instead.
 * @returns `true` if the line was written, `false` if this key was already reported.
 */
export function warnOnce(key: string, message: string): boolean {
  if (seen.has(key)) return false;
  seen.add(key);
  sink(`[faultline] ${message}\n`);
  return true;
}

/**
 * Forgets `key` so that a later {@link warnOnce} with it is written again (used when a
 * failure recovered, so the next failure is reported).
 */
export function rearm(key: string): void {
  seen.delete(key);
}

/**
 * Replaces the output sink (tests) and returns the previous one.
 * @param next - receives each full line including the trailing newline.
 */
export function setWarningSink(next: (line: string) => void): (line: string) => void {
  const prev = sink;
  sink = next;
  return prev;
}

/** Clears the once-only memory (tests). */
export function resetWarnings(): void {
  seen.clear();
}
