/** Starting and stopping the demo api under one setup, and reading its memory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Setup } from './setups.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/** A running api. */
export interface App {
  child: ChildProcess;
  url: string;
  /** Resident set size now, MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

/**
 * Starts `demo-services/dist/api/main.js` with `setup` on `port`, waits until `/healthz` answers.
 * @param env - PG*, REDIS_URL, OTEL_EXPORTER_OTLP_ENDPOINT, … for the app.
 * @throws if it is not healthy within 20 s (its output is quoted).
 */
export async function startApp(setup: Setup, port: number, env: Record<string, string>, extraFlags: string[] = []): Promise<App> {
  let out = '';
  const child = spawn(process.execPath, [...setup.flags, ...extraFlags, 'demo-services/dist/api/main.js'], {
    cwd: REPO,
    env: { ...process.env, ...env, ...setup.env, PORT: String(port), INSTANCE: `bench-${setup.name}`, OTEL_SERVICE_NAME: `bench-${setup.name.replace('%', 'pct')}`, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out = (out + d).slice(-4000)));
  child.stderr!.on('data', (d) => (out = (out + d).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${setup.name} did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    url,
    rssMb() {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : NaN;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
