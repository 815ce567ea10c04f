/**
 * `LOADGEN_SCHEDULE`: scenario switches at times after the load generator's start, e.g.
 * `30s:client-flood:on,90s:client-flood:off` (times in `ms`, `s` (default) or `m`).
 */
import { findScenario } from '../shared/scenarios.ts';

/** One planned switch. */
export interface ScheduleEntry {
  /** ms after start. */
  atMs: number;
  name: string;
  on: boolean;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/**
 * Parses a schedule. Entries come back sorted by time; a bad entry is reported in `errors` and skipped.
 */
export function parseSchedule(raw: string): { entries: ScheduleEntry[]; errors: string[] } {
  const entries: ScheduleEntry[] = [];
  const errors: string[] = [];
  for (const item of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m)?:([a-z0-9-]+):(on|off)$/.exec(item);
    if (!m) {
      errors.push(`"${item}" is not <time>:<scenario>:on|off (e.g. 30s:client-flood:on)`);
      continue;
    }
    if (!findScenario(m[3]!)) {
      errors.push(`"${item}": unknown scenario "${m[3]}"`);
      continue;
    }
    entries.push({ atMs: Number(m[1]) * UNIT_MS[m[2] ?? 's']!, name: m[3]!, on: m[4] === 'on' });
  }
  entries.sort((a, b) => a.atMs - b.atMs);
  return { entries, errors };
}

/**
 * Runs `apply` for each entry at its time after now.
 * @returns a function that cancels the switches not yet made.
 */
export function runSchedule(entries: readonly ScheduleEntry[], apply: (e: ScheduleEntry) => Promise<void>): () => void {
  const timers = entries.map((e) => setTimeout(() => void apply(e).catch(() => undefined), e.atMs));
  return () => timers.forEach(clearTimeout);
}
