/**
 * One process of the scale profile that a test may kill and bring back: started with
 * {@link spawnManaged}, ready when its health URL answers 200, restarted with the same command,
 * environment and data (a Collector's disk queue, an ingester's group membership).
 */
import { killGroup } from './kill.ts';
import { spawnManaged, type ManagedProcess, type SpawnOptions } from './process.ts';
import { httpProbe, waitUntil } from './wait.ts';

/** A restartable child from {@link startRestartable}. */
export interface Restartable {
  readonly name: string;
  /** The current child (a new one after {@link Restartable.start}). */
  process(): ManagedProcess;
  /** SIGKILL to the child's process group (no shutdown, no flush); resolves once it has exited. */
  kill(): Promise<void>;
  /** SIGTERM, SIGKILL after the grace period. Safe to call twice. */
  stop(): Promise<void>;
  /** Starts it again (after {@link Restartable.kill} or {@link Restartable.stop}); resolves with the ms until healthy. */
  start(): Promise<number>;
}

/**
 * Spawns `spec` and waits until `healthUrl` answers 2xx.
 * @param timeoutMs - deadline for each start, ms.
 * @throws Error if it is not healthy in time (log tail quoted); the child is stopped first.
 */
export async function startRestartable(spec: SpawnOptions, healthUrl: string, timeoutMs = 60_000): Promise<Restartable> {
  let proc: ManagedProcess | undefined;
  const start = async (): Promise<number> => {
    const t0 = Date.now();
    proc = spawnManaged(spec);
    const p = proc;
    try {
      await waitUntil(`${spec.name} health ${healthUrl}`, httpProbe(healthUrl), { proc: p, timeoutMs, intervalMs: 200 });
    } catch (e) {
      await p.stop();
      throw e;
    }
    return Date.now() - t0;
  };
  await start();
  return {
    name: spec.name,
    process: () => proc!,
    kill: async () => {
      const p = proc!;
      if (p.exit()) return;
      killGroup(p.pid, 'SIGKILL');
      await p.exited;
    },
    stop: async () => {
      await proc?.stop();
    },
    start,
  };
}
