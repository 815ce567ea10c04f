/** Signalling children: a whole process group at once, and whether a pid is still alive. */

/** Sends `signal` to the process group `pid` leads and to `pid` itself; a process already gone is fine. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
    } catch {
      /* already gone */
    }
  }
}

/** Whether process `pid` exists (one owned by another user counts). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
