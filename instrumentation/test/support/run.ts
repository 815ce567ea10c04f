/** Spawning fixture apps with and without the preload, for behaviour tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const PRELOAD = ['--import', '@faultline/instrumentation/register'];

/** A running fixture: its output so far and how it ended. */
export interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when the process has exited: exit code or signal, and when (ms since epoch). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Resolves when stdout contains `text`; rejects after `timeoutMs`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
}

/**
 * Starts `node [--import preload] <fixture>` with `env` added to this process's environment.
 * @param fixture - file name under `test/fixtures/`.
 */
export function runFixture(fixture: string, opts: { preload: boolean; env?: Record<string, string> }): Run {
  const args = [...(opts.preload ? PRELOAD : []), FIXTURES + fixture];
  const child = spawn(process.execPath, args, {
    cwd: FIXTURES,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
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
