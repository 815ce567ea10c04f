/** A process's memory as Linux reports it. */
import { readFileSync } from 'node:fs';

/**
 * Resident set size (`VmRSS` of `/proc/<pid>/status`) in MB (MiB).
 * @returns NaN when the process is gone (or not on Linux).
 */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
