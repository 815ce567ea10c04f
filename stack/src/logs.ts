/** Children's log files: reading their last lines (for readiness errors and the demo's summary). */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

/** Last `lines` lines (default 30) of a text file (reads at most its last 64 KiB); `''` if it does not exist. */
export function tailFile(file: string, lines = 30): string {
  if (!existsSync(file)) return '';
  const size = statSync(file).size;
  const len = Math.min(size, 64 * 1024);
  const buf = Buffer.alloc(len);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, len, size - len);
  } finally {
    closeSync(fd);
  }
  return buf
    .toString('utf8')
    .split('\n')
    .filter((l, i, a) => l !== '' || i < a.length - 1)
    .slice(-lines)
    .join('\n');
}
