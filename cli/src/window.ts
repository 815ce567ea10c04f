/** The investigated window and its baseline, in unix seconds, and the resolution of range queries. */

/** `[start, end]` is investigated; `[baselineStart, start]` is what it is compared with. */
export interface Window {
  /** Unix seconds. */
  end: number;
  /** Length of the investigated window, s. */
  seconds: number;
  /** Length of the baseline window, s (it ends where the window starts). */
  baselineSeconds: number;
}

/** Start of the investigated window (unix seconds). */
export function windowStart(w: Window): number {
  return w.end - w.seconds;
}

/** Start of the baseline (unix seconds). */
export function baselineStart(w: Window): number {
  return w.end - w.seconds - w.baselineSeconds;
}

/** Step of range queries over baseline + window: about 240 points, never finer than the 5 s scrape. */
export function stepSeconds(w: Window): number {
  return Math.max(5, Math.ceil((w.seconds + w.baselineSeconds) / 240));
}

/** Lookback of `rate()` in range queries: four steps, at least 20 s (four 5 s scrapes). */
export function rateSeconds(w: Window): number {
  return Math.max(20, 4 * stepSeconds(w));
}

/** `90` → `90s`, `900` → `15m`, `5400` → `1h30m`: how a person writes a duration. */
export function formatDuration(s: number): string {
  s = Math.round(s);
  if (s < 60) return `${s}s`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s / 60}m`;
  const m = Math.round((s % 3600) / 60);
  return `${Math.floor(s / 3600)}h${m ? `${m}m` : ''}`;
}

/** `12:51:05` (UTC) of a unix time, for titles and details. */
export function clock(t: number): string {
  return new Date(t * 1000).toISOString().slice(11, 19);
}

/** ISO 8601 of a unix time. */
export function iso(t: number): string {
  return new Date(t * 1000).toISOString();
}
