/**
 * Child processes of the native stack: each with its own log file, stop with SIGTERM then SIGKILL,
 * and no orphans. Readiness probes are in wait.ts, port checks in ports.ts, pid files in pids.ts,
 * log tails in logs.ts, process-group signals in kill.ts, OS users in users.ts.
 *
 * Orphans are prevented three ways: every child is started under `setpriv --pdeathsig KILL` (the kernel
 * kills it if this process dies, even by SIGKILL); this process's `exit` kills every child still
 * running; and a pid file per child lets the next start kill a child left over by a crashed run.
 * Children run in their own process group, so a terminal's Ctrl-C reaches only the parent, which then
 * stops them in order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { killGroup } from './kill.ts';
import { tailFile } from './logs.ts';
import { logDir as defaultLogDir } from './paths.ts';
import { reapStale, removePidFile, writePidFile } from './pids.ts';
import { userIds } from './users.ts';

/** How a child ended: exit code, or the signal that killed it. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Options of {@link spawnManaged}. */
export interface SpawnOptions {
  /** Unique name of this child: log file `<logDir>/<name>.log`, pid file `<runDir>/pids/<name>.json`. */
  name: string;
  /** Executable (absolute path or a name on PATH). */
  command: string;
  /** Arguments. Default `[]`. */
  args?: string[];
  /** Variables added to (and overriding) this process's environment. Default none. */
  env?: Record<string, string | undefined>;
  /** Working directory. Default this process's. */
  cwd?: string;
  /** Run as this OS user (needs root), e.g. `postgres`. Default: the current user. */
  user?: string;
  /** Directory of the log file. Default `<runDir>/logs`. */
  logDir?: string;
  /** Default grace period of {@link ManagedProcess.stop}, ms. Default 10000. */
  graceMs?: number;
  /** Signal that asks the child to stop (sent to the child only, not its group). Default SIGTERM. */
  stopSignal?: NodeJS.Signals;
  /** Append to the log file instead of truncating it (a restart keeps the last run's lines). Default false. */
  append?: boolean;
}

/** A running (or ended) child started by {@link spawnManaged}. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Absolute path of the file that receives the child's stdout and stderr (truncated at start unless `append`). */
  readonly logFile: string;
  /** Resolves once the child has exited. */
  readonly exited: Promise<ExitInfo>;
  /** The exit, once it happened; `undefined` while running. */
  exit(): ExitInfo | undefined;
  /** Last `lines` lines of the log file (default 30). */
  logTail(lines?: number): string;
  /**
   * Sends the stop signal (default SIGTERM), waits up to `graceMs` (default: the spawn option, 10000) for the exit, then SIGKILLs
   * the child's whole process group. Safe to call more than once and after the child exited.
   */
  stop(graceMs?: number): Promise<ExitInfo>;
}

const live = new Set<ManagedProcess & { child: ChildProcess }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of live) {
      killGroup(p.pid, 'SIGKILL');
      removePidFile(p.name);
    }
  });
}

const SETPRIV = '/usr/bin/setpriv';

/**
 * Starts a child with stdout+stderr going to `<logDir>/<name>.log`, in its own process group, under
 * `setpriv --pdeathsig KILL` when available. Kills a stale child of the same name first (see
 * {@link reapStale}).
 * @throws Error if `user` does not exist. A command that cannot be executed shows as an exit (code 127
 *   from setpriv, or an `error` → `{code: null, signal: null}`), with the reason in the log file.
 */
export function spawnManaged(opts: SpawnOptions): ManagedProcess {
  installExitHook();
  const args = opts.args ?? [];
  const dir = opts.logDir ?? defaultLogDir();
  mkdirSync(dir, { recursive: true });
  reapStale(opts.name);
  const logFile = join(dir, `${opts.name}.log`);
  const fd = openSync(logFile, opts.append ? 'a' : 'w');
  const ids = opts.user ? userIds(opts.user) : undefined;
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  delete env.NODE_TEST_CONTEXT; // set by `node --test` in test files; must not reach our children
  const [cmd, argv] = existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'KILL', '--', opts.command, ...args]] : [opts.command, args];
  let child: ChildProcess;
  try {
    child = spawn(cmd, argv, {
      cwd: opts.cwd,
      env,
      detached: true,
      stdio: ['ignore', fd, fd],
      ...(ids ?? {}),
    });
  } finally {
    closeSync(fd);
  }
  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('error', (err) => {
      writeFileSync(logFile, `[faultline] cannot start ${opts.command}: ${err.message}\n`, { flag: 'a' });
      if (!exitInfo) resolve((exitInfo = { code: null, signal: null }));
    });
    child.once('exit', (code, signal) => resolve((exitInfo ??= { code, signal })));
  });
  const pid = child.pid ?? -1;
  if (pid > 0) writePidFile(opts.name, pid, opts.command);
  const defaultGrace = opts.graceMs ?? 10_000;
  const managed = {
    name: opts.name,
    pid,
    logFile,
    exited,
    child,
    exit: () => exitInfo,
    logTail: (lines = 30) => tailFile(logFile, lines),
    async stop(graceMs = defaultGrace): Promise<ExitInfo> {
      if (!exitInfo && pid > 0) {
        try {
          process.kill(pid, opts.stopSignal ?? 'SIGTERM');
        } catch {
          /* already gone */
        }
        const ac = new AbortController();
        const timer = sleep(graceMs, 'timeout' as const, { signal: ac.signal }).catch(() => 'aborted' as const);
        const first = await Promise.race([exited, timer]);
        ac.abort();
        if (first === 'timeout') killGroup(pid, 'SIGKILL');
      }
      const info = await exited;
      if (pid > 0) killGroup(pid, 'SIGKILL'); // anything left in its process group
      return info;
    },
  };
  live.add(managed);
  void exited.then(() => {
    live.delete(managed);
    removePidFile(opts.name);
  });
  return managed;
}

/** Result of {@link runToEnd}. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a short command to its end (e.g. initdb, pg_isready) and collects its output.
 * @param opts.user - run as this OS user (needs root). @param opts.timeoutMs - SIGKILL after this, default 60000.
 * @param opts.env - variables added to this process's environment.
 * @returns its exit code (`null` if killed) and output; never rejects for a non-zero exit.
 */
export function runToEnd(
  command: string,
  args: string[],
  opts: { user?: string; env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
    delete env.NODE_TEST_CONTEXT;
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 60_000,
      killSignal: 'SIGKILL',
      ...(opts.user ? userIds(opts.user) : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
