/**
 * A user's service outside the repository, as the packaging test builds it: a temp dir with one of
 * the templates in `fixtures/` copied in, npm commands run in it on the Node that runs the tests
 * (its directory first on PATH, so `npm`, `npx` and the installed bin all use that Node), and the
 * app started with `node --import @faultline/instrumentation/register app.js`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The scratch-app templates. */
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** PATH with the test's own Node first. */
export const NODE_PATH = `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`;

/** What a finished command printed. */
export interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time, ms. */
  ms: number;
}

/**
 * Runs `bash -c script` in `cwd` with the test's Node on PATH; resolves when it ends (never rejects
 * on a non-zero exit: the caller asserts on `code`).
 * @param env - added to the test's env.
 */
export function sh(cwd: string, script: string, env: Record<string, string> = {}): Promise<Done> {
  const t0 = Date.now();
  const child = spawn('bash', ['-c', script], { cwd, env: { ...process.env, ...env, PATH: NODE_PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - t0 }));
  });
}

/** Copies template `name` (a folder of `fixtures/`) into a new temp dir outside the repository. */
export function scratchApp(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `faultline-${name}-`));
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

/** A started scratch app. */
export interface App {
  child: ChildProcess;
  /** Its HTTP port (from its `listening <port>` line). */
  port: number;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `node --import @faultline/instrumentation/register app.js` in `dir` (the module resolved
 * from the app's own node_modules) and waits for its `listening <port>` line.
 * @throws Error with its stderr when it exits first or is not listening within `timeoutMs`.
 */
export function startApp(dir: string, env: Record<string, string>, timeoutMs = 20000): Promise<App> {
  const child = spawn(process.execPath, ['--import', '@faultline/instrumentation/register', 'app.js'], {
    cwd: dir,
    env: { ...process.env, ...env, PATH: NODE_PATH },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`not listening after ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${dir}: ${why}\n${stderr}`));
    };
    const onExit = (code: number | null, signal: string | null) => fail(`exited (${code ?? signal})`);
    child.once('exit', onExit);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d;
      const m = /listening (\d+)/.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({
        child,
        port: Number(m[1]),
        stderr: () => stderr,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
