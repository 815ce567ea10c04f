/** Starting and stopping an app under test (the demo api by default) under one setup. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { rssMb } from '@faultline/testkit';
import { cpuMs } from './proc.ts';
import type { Setup } from './setups.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/** A running api. */
export interface App {
  child: ChildProcess;
  pid: number;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Resident set size now (VmRSS), MB. */
  rssMb(): number;
  /** CPU time used so far (user + system), ms. */
  cpuMs(): number;
  /** The last 4,000 characters of its stdout + stderr. */
  output(): string;
  /** SIGTERM, SIGKILL after `graceMs` (default 2000: stock auto-instrumentation does not exit on SIGTERM). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `entry` (default the demo api, `demo-services/dist/api/main.js`, built by bootstrap) with
 * `setup` on `port`, waits until `/healthz` answers 200.
 * @param env - PG*, REDIS_URL, OTEL_EXPORTER_OTLP_ENDPOINT, … for the app.
 * @param extraFlags - more Node flags (e.g. `--cpu-prof`).
 * @param entry - the app's entry script, relative to the repository root (`BenchApp.entry`).
 * @throws if it is not healthy within 30 s (its output is quoted).
 */
export async function startApp(
  setup: Setup,
  port: number,
  env: Record<string, string>,
  extraFlags: string[] = [],
  entry = 'demo-services/dist/api/main.js',
): Promise<App> {
  let out = '';
  const child = spawn(process.execPath, [...setup.flags, ...extraFlags, entry], {
    cwd: REPO,
    env: {
      ...process.env,
      ...env,
      ...setup.env,
      PORT: String(port),
      INSTANCE: `bench-${setup.name}`,
      OTEL_SERVICE_NAME: `bench-${setup.name.replace('%', 'pct').replace(':', '-')}`,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out = (out + d).slice(-4000)));
  child.stderr!.on('data', (d) => (out = (out + d).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${setup.name} did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid!;
  return {
    child,
    pid,
    url,
    rssMb: () => rssMb(pid),
    cpuMs: () => cpuMs(pid),
    output: () => out,
    async stop(graceMs = 2000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}
