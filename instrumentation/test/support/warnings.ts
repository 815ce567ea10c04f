import { afterEach, beforeEach } from 'node:test';
import { resetWarnings, setWarningSink } from '../../src/warn.ts';

/** Collects faultline's warnings during each test of the enclosing suite (fresh, and once-per-key reset). */
export function captureWarnings(): string[] {
  const lines: string[] = [];
  let restore: (line: string) => void;
  beforeEach(() => {
    lines.length = 0;
    resetWarnings();
    restore = setWarningSink((l) => lines.push(l));
  });
  afterEach(() => setWarningSink(restore));
  return lines;
}
