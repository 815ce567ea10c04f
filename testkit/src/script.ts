/** A Node.js script run to completion as a child process (a command-line tool under test). */
import { spawn } from 'node:child_process';

/** How a script run ended. */
export interface ScriptResult {
  /** Exit code (null when a signal ended it). */
  status: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, ms. */
  ms: number;
}

/**
 * Runs `node <script> ...args` with this process's Node binary and env plus `NO_COLOR=1` (plain text to
 * assert on) and `env`; resolves when it exits. Never rejects on a non-zero exit: the status is the result.
 * @param script - absolute path of the script, e.g. `cli/dist/main.js`.
 */
export async function runScript(script: string, args: readonly string[], env: Record<string, string> = {}): Promise<ScriptResult> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((r) => child.once('close', r));
  return { status, stdout, stderr, ms: Date.now() - t0 };
}

/** The built `faultline` command (cli/dist/main.js; `npm run build` or the bootstrap makes it). */
const FAULTLINE_CLI = new URL('../../cli/dist/main.js', import.meta.url).pathname;

/**
 * `faultline incident --since <windowS>s --prometheus <prometheus> --jaeger <jaeger> ...extra`, run as the
 * command to completion (see {@link runScript}).
 * @param urls - the stack's Prometheus and Jaeger query base URLs.
 */
export function runIncidentCommand(
  urls: { prometheus: string; jaeger: string },
  windowS: number,
  extra: readonly string[] = [],
): Promise<ScriptResult> {
  return runScript(FAULTLINE_CLI, [
    'incident',
    '--since',
    `${windowS}s`,
    '--prometheus',
    urls.prometheus,
    '--jaeger',
    urls.jaeger,
    ...extra,
  ]);
}
