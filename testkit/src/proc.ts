/** A process's memory as Linux reports it. */
import { readFileSync } from 'node:fs';

/** Fields `fields` (e.g. `VmRSS`) of `/proc/<pid>/status`, in MB (MiB); NaN for one that is absent, or all when the process is gone (or not on Linux). */
function statusMb(pid: number, fields: string[]): number[] {
  let status = '';
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    // gone
  }
  return fields.map((f) => {
    const m = new RegExp(`^${f}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) / 1024 : NaN;
  });
}

/**
 * Resident set size (`VmRSS` of `/proc/<pid>/status`) in MB (MiB).
 * @returns NaN when the process is gone (or not on Linux).
 */
export function rssMb(pid: number): number {
  return statusMb(pid, ['VmRSS'])[0]!;
}

/**
 * The two parts of a process's resident memory, MB (from `/proc/<pid>/status`): `anon` is its own memory
 * (heap, stacks: `RssAnon`), `file` the pages of files it has mapped (`RssFile`: for Jaeger, Badger's
 * memory-mapped tables, page cache the kernel can drop under pressure). `VmRSS` is their sum plus shared
 * memory. NaN fields when the process is gone or not on Linux.
 */
export function rssPartsMb(pid: number): { anon: number; file: number } {
  const [anon, file] = statusMb(pid, ['RssAnon', 'RssFile']);
  return { anon: anon!, file: file! };
}
