/**
 * Graceful stop for a demo service: on SIGTERM or SIGINT, run the cleanups in order (close the
 * server, end pools, quit Redis), then exit 0; a second signal or a stuck cleanup (after
 * `graceMs`) exits 1 at once.
 */
import type { Logger } from 'pino';

/**
 * @param log - where to report.
 * @param cleanups - async steps, run in order; a failing step is logged and the rest still run.
 * @param graceMs - longest time the cleanups may take (default 3000 ms).
 */
export function onShutdown(log: Logger, cleanups: (() => Promise<unknown>)[], graceMs = 3000): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'stopping');
    setTimeout(() => process.exit(1), graceMs).unref();
    for (const step of cleanups) {
      try {
        await step();
      } catch (err) {
        log.warn({ err }, 'cleanup step failed');
      }
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
