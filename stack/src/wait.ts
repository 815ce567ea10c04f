/**
 * Readiness: poll a probe (TCP connect, HTTP status, anything) until it succeeds, with a deadline and
 * an error that says what was awaited, the last probe failure, and the log tail of the process.
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ManagedProcess } from './process.ts';

/** A readiness check: resolves `true` when ready, `false` (or throws, with a reason) when not yet. */
export type Probe = () => Promise<boolean>;

/** Options of {@link waitUntil}. */
export interface WaitOptions {
  /** Give up after this many ms. Default 30000. */
  timeoutMs?: number;
  /** Pause between probes, ms. Default 100. */
  intervalMs?: number;
  /** Fail at once if this process exits, and quote its log tail in every error. */
  proc?: ManagedProcess;
}

/**
 * Polls `probe` until it returns true. Returns the ms waited.
 * @throws Error "`<what>` not ready after N s" (or "`<name>` exited with …") with the last probe's
 *   failure and the log tail of `opts.proc`.
 */
export async function waitUntil(what: string, probe: Probe, opts: WaitOptions = {}): Promise<number> {
  const t0 = Date.now();
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let last = 'not ready';
  const detail = () => (opts.proc ? `\n--- last lines of ${opts.proc.logFile} ---\n${opts.proc.logTail(25)}\n---` : '');
  for (;;) {
    const exit = opts.proc?.exit();
    if (exit) {
      throw new Error(`${opts.proc!.name} exited (code ${exit.code}, signal ${exit.signal}) before ${what} was ready${detail()}`);
    }
    try {
      if (await probe()) return Date.now() - t0;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() - t0 > timeoutMs) {
      throw new Error(`${what} not ready after ${(timeoutMs / 1000).toFixed(1)} s (last probe: ${last})${detail()}`);
    }
    await sleep(opts.intervalMs ?? 100);
  }
}

/** Probe: a TCP connection to `host:port` is accepted (1 s connect timeout). Default host 127.0.0.1. */
export function tcpProbe(port: number, host = '127.0.0.1'): Probe {
  return () =>
    new Promise((resolve, reject) => {
      const s = net.connect({ port, host });
      s.setTimeout(1000);
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('timeout', () => {
        s.destroy();
        reject(new Error(`connect ${host}:${port} timed out`));
      });
      s.once('error', (e) => reject(e));
    });
}

/**
 * Probe: an HTTP GET of `url` answers with a status that `accept` takes (default 2xx) within 2 s.
 * @throws (inside the probe) an Error naming the status, so that waitUntil can quote it.
 */
export function httpProbe(url: string, accept: (status: number) => boolean = (s) => s >= 200 && s < 300): Probe {
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    if (accept(res.status)) return true;
    throw new Error(`GET ${url} → ${res.status}`);
  };
}
