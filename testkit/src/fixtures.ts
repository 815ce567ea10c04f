/**
 * Fixture apps (small scripts a test runs as a real process), with or without faultline's preload.
 * The folder of the fixtures is the caller's: each workspace keeps its own fixtures next to its tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Node flags that load faultline's preload (the way users run it). */
export const PRELOAD = ['--import', '@faultline/instrumentation/register'];

/** How a fixture ended: exit code or signal, and when (ms since the epoch). */
export interface RunExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

/** A running fixture: its output so far and how it ended. */
export interface Run {
  child: ChildProcess;
  /** stdout so far. */
  stdout: () => string;
  /** stderr so far. */
  stderr: () => string;
  /** Resolves when the process has exited. */
  exited: Promise<RunExit>;
  /**
   * Resolves when stdout contains `text`.
   * @param timeoutMs - default 15000.
   * @throws Error when the process exits first or `timeoutMs` passes (stderr quoted).
   */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
}

/** Options of {@link runFixture}. */
export interface RunOptions {
  /** Start with {@link PRELOAD}. */
  preload: boolean;
  /** Variables added to this process's environment. Default none. */
  env?: Record<string, string>;
}

/**
 * Starts `node [--import preload] <dir>/<fixture>` (the node running the test), in `dir`.
 * @param dir - the fixtures folder (a path or a `file:` URL).
 * @param fixture - a file name in it, e.g. `app.mjs`.
 */
export function runFixture(dir: string | URL, fixture: string, opts: RunOptions): Run {
  const folder = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const child = spawn(process.execPath, [...(opts.preload ? PRELOAD : []), join(folder, fixture)], {
    cwd: folder,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<RunExit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(text, timeoutMs = 15000) {
      return new Promise((resolve, reject) => {
        const t0 = Date.now();
        const tick = () => {
          if (out.includes(text)) return resolve();
          if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`exited before "${text}": ${err}`));
          if (Date.now() - t0 > timeoutMs) return reject(new Error(`no "${text}" within ${timeoutMs} ms; stderr: ${err}`));
          setTimeout(tick, 20);
        };
        tick();
      });
    },
  };
}

/** {@link runFixture} bound to one fixtures folder: `const run = fixtureRunner(new URL('./fixtures/', import.meta.url))`. */
export function fixtureRunner(dir: string | URL): (fixture: string, opts: RunOptions) => Run {
  return (fixture, opts) => runFixture(dir, fixture, opts);
}
