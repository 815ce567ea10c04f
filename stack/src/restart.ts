/**
 * The native run's restart policy for fleet services, the part of compose's `restart:` it honours: a
 * service with `restart: on-failure` (or `always` / `unless-stopped`) that exits without being asked to
 * (a crash: non-zero code or a signal; for `always`/`unless-stopped` any exit) is started again after a
 * short backoff, at most `maxPerMinute` times in any 60 s (then it stays down: a crash loop is left for
 * a person to see). Each exit is logged with its code or signal, to the stack's log and to the end of
 * the service's own log file, which the restarted process appends to (the crash's last lines stay).
 */
import { appendFileSync } from 'node:fs';
import type { ExitInfo, ManagedProcess } from './process.ts';

/** Compose `restart:` values (`on-failure[:max-retries]` counts as `on-failure`; retries are per minute here). */
export type RestartPolicy = 'no' | 'on-failure' | 'always' | 'unless-stopped';

/** Backoff before a restart, ms. */
export const RESTART_BACKOFF_MS = 1000;
/** Most restarts of one service in any 60 s. */
export const RESTARTS_PER_MINUTE = 3;

/** One restart: when the process exited (unix ms), how, its pid, and the pid of the process started after it. */
export interface Restart {
  at: number;
  exit: ExitInfo;
  pid: number;
  newPid: number;
}

/** Options of {@link supervise}. */
export interface SuperviseOptions {
  /** Compose's `restart:`; `no` (the default) never restarts. */
  policy?: RestartPolicy;
  /** Backoff before each restart, ms. Default {@link RESTART_BACKOFF_MS}. */
  backoffMs?: number;
  /** Most restarts in any 60 s. Default {@link RESTARTS_PER_MINUTE}. */
  maxPerMinute?: number;
  /** The stack's log (one line per exit and restart). Default none. */
  log?: (line: string) => void;
}

/** A service under its restart policy: always its current process. */
export interface Supervised {
  /** The process running now (the last one started). */
  readonly current: ManagedProcess;
  /** Restarts so far, oldest first. */
  readonly restarts: readonly Restart[];
  /** Stops the current process and any restart pending (no restart after this). Safe to call twice. */
  stop(): Promise<ExitInfo>;
}

/** Parses compose's `restart:` value; anything unknown (or absent) is `no`. */
export function parseRestartPolicy(value: unknown): RestartPolicy {
  const v = typeof value === 'string' ? value.split(':')[0]!.trim() : '';
  return v === 'on-failure' || v === 'always' || v === 'unless-stopped' ? v : 'no';
}

/** Whether `policy` restarts after `exit` (an exit the stack did not ask for). */
export function shouldRestart(policy: RestartPolicy, exit: ExitInfo): boolean {
  if (policy === 'no') return false;
  if (policy === 'on-failure') return exit.signal !== null || exit.code !== 0;
  return true;
}

/** `code 1`, `signal SIGABRT`. */
export function describeExit(exit: ExitInfo): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code ?? '?'}`;
}

/**
 * Runs `start()` now and again after each unexpected exit its policy restarts.
 * @param name - the service, for the log lines.
 * @param start - starts one process; `restart` is true for every start after the first (append to the log file).
 */
export function supervise(name: string, start: (restart: boolean) => ManagedProcess, opts: SuperviseOptions = {}): Supervised {
  const policy = opts.policy ?? 'no';
  const backoffMs = opts.backoffMs ?? RESTART_BACKOFF_MS;
  const maxPerMinute = opts.maxPerMinute ?? RESTARTS_PER_MINUTE;
  const restarts: Restart[] = [];
  let current = start(false);
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  const note = (proc: ManagedProcess, line: string) => {
    opts.log?.(line);
    try {
      appendFileSync(proc.logFile, `[faultline stack] ${line}\n`);
    } catch {
      /* the log directory is gone: the stack's log has the line */
    }
  };
  const watch = (proc: ManagedProcess) => {
    void proc.exited.then((exit) => {
      if (stopping || proc !== current) return;
      const at = Date.now();
      const recent = restarts.filter((r) => at - r.at < 60_000).length;
      if (!shouldRestart(policy, exit)) {
        note(proc, `${name} (pid ${proc.pid}) exited with ${describeExit(exit)}; restart policy ${policy}: not restarted`);
        return;
      }
      if (recent >= maxPerMinute) {
        note(proc, `${name} (pid ${proc.pid}) exited with ${describeExit(exit)}; ${recent} restarts in the last minute: not restarted`);
        return;
      }
      note(
        proc,
        `${name} (pid ${proc.pid}) exited with ${describeExit(exit)}; restarting in ${backoffMs} ms (${recent + 1} of at most ${maxPerMinute} a minute)`,
      );
      timer = setTimeout(() => {
        timer = undefined;
        if (stopping) return;
        current = start(true);
        restarts.push({ at, exit, pid: proc.pid, newPid: current.pid });
        note(current, `${name} restarted as pid ${current.pid}`);
        watch(current);
      }, backoffMs);
    });
  };
  watch(current);
  return {
    get current() {
      return current;
    },
    restarts,
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      return current.stop();
    },
  };
}
