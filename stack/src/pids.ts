/**
 * Pid files of the stack's children (`<runDir>/pids/<name>.json`), so the next start can kill a child
 * that a crashed run (even one killed by SIGKILL) left behind.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { alive, killGroup } from './kill.ts';
import { runDir } from './paths.ts';

/** What a pid file holds. */
interface PidFile {
  /** The child. */
  pid: number;
  /** The process that started it. */
  owner: number;
  /** The command it runs (checked against /proc before killing). */
  command: string;
}

/** The pid file of the child named `name`. */
export function pidFilePath(name: string): string {
  return join(runDir(), 'pids', `${name}.json`);
}

/** Records that this process started `pid` (running `command`) under `name`. */
export function writePidFile(name: string, pid: number, command: string): void {
  mkdirSync(join(runDir(), 'pids'), { recursive: true });
  const pf: PidFile = { pid, owner: process.pid, command };
  writeFileSync(pidFilePath(name), JSON.stringify(pf));
}

/** Forgets the child named `name` (it has exited). */
export function removePidFile(name: string): void {
  rmSync(pidFilePath(name), { force: true });
}

/**
 * Kills a child that a previous, crashed run left behind under this `name` (its owner is dead and its
 * command line still matches), and removes its pid file. Returns the pid it killed, or `undefined`.
 */
export function reapStale(name: string): number | undefined {
  const file = pidFilePath(name);
  if (!existsSync(file)) return undefined;
  let pf: PidFile;
  try {
    pf = JSON.parse(readFileSync(file, 'utf8')) as PidFile;
  } catch {
    rmSync(file, { force: true });
    return undefined;
  }
  let reaped: number | undefined;
  if (!alive(pf.owner) && alive(pf.pid)) {
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pf.pid}/cmdline`, 'utf8');
    } catch {
      /* gone */
    }
    if (cmdline.includes(basename(pf.command))) {
      killGroup(pf.pid, 'SIGKILL');
      reaped = pf.pid;
    }
  }
  rmSync(file, { force: true });
  return reaped;
}
