/**
 * Flushing on the way out without changing how the app exits.
 *
 * - SIGTERM/SIGINT with no handler of the app's own: Node's default is to die at once. faultline
 *   flushes (bounded by `FAULTLINE_SHUTDOWN_TIMEOUT_MS`), removes its listener and re-sends
 *   the same signal, so the process still dies of that signal (same exit status as without
 *   the preload, e.g. 143 for SIGTERM in a shell).
 * - The app has its own handler: the app decides what happens; faultline only starts a flush
 *   in the background and never delays, swallows or re-sends anything.
 * - The event loop drains (`beforeExit`): flush once; the exit code is the app's.
 * Uncaught exceptions and `process.exit()` are not touched.
 */

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * @param flush - flushes spans and metrics; must settle within `timeoutMs` (it is raced anyway).
 * @param timeoutMs - upper bound on the delay added before the signal takes effect, in ms.
 * @returns a function that removes the listeners.
 */
export function installExitFlush(flush: () => Promise<void>, timeoutMs: number): () => void {
  const bounded = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      flush().then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        () => {
          clearTimeout(timer);
          resolve();
        },
      );
    });

  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const signal of SIGNALS) {
    const handler = () => {
      if (process.listenerCount(signal) > 1) {
        void bounded();
        return;
      }
      process.removeListener(signal, handler);
      void bounded().then(() => {
        // Default disposition is back in place: this ends the process as the signal would have.
        process.kill(process.pid, signal);
      });
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }

  let flushedOnDrain = false;
  const onBeforeExit = () => {
    if (flushedOnDrain) return;
    flushedOnDrain = true;
    void bounded();
  };
  process.on('beforeExit', onBeforeExit);

  return () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    process.removeListener('beforeExit', onBeforeExit);
  };
}
