/**
 * Export capacity: one process makes spans for `durationS` seconds (at a fixed rate, or as fast as
 * it can) with faultline's preload; spans made vs spans the Collector accepted (its own counter);
 * the difference was dropped in the SDK's bounded queue.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { counter } from './collector-stats.ts';

/** One capacity run. */
export interface CapacityResult {
  label: string;
  rateTarget: number;
  made: number;
  accepted: number;
  dropped: number;
  madePerSec: number;
  acceptedPerSec: number;
  env: Record<string, string>;
}

/**
 * @param rate - spans per second to make, 0 = as fast as possible.
 * @param env - OTLP endpoint and any `OTEL_BSP_*` settings to try.
 */
export async function capacity(label: string, rate: number, durationS: number, env: Record<string, string>, collectorMetrics: string): Promise<CapacityResult> {
  const before = await counter(collectorMetrics);
  const child = spawn(process.execPath, ['--import', '@faultline/instrumentation/register', fileURLToPath(new URL('producer.mjs', import.meta.url))], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, ...env, OTEL_SERVICE_NAME: 'bench-producer', RATE: String(rate), DURATION_MS: String(durationS * 1000) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  await new Promise((r) => child.on('exit', r));
  await new Promise((r) => setTimeout(r, 3000));
  const accepted = (await counter(collectorMetrics)) - before;
  const made = Number(/made (\d+)/.exec(out)?.[1] ?? NaN);
  return {
    label,
    rateTarget: rate,
    made,
    accepted,
    dropped: made - accepted,
    madePerSec: made / durationS,
    acceptedPerSec: accepted / durationS,
    env,
  };
}
