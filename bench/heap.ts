/**
 * The live JavaScript heap of a running app, measured from outside without any flag at start: SIGUSR1
 * opens Node's inspector (its documented default for that signal), and over the Chrome DevTools
 * Protocol the bench asks for a full garbage collection (`HeapProfiler.collectGarbage`) and then
 * the heap's size (`Runtime.getHeapUsage`). What is left after a full GC is what the app keeps; RSS
 * also holds the heap room V8 grew into under load, which it gives back later.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Node's default inspector port, where SIGUSR1 opens it (`--inspect-port` changes it, the bench never does). */
export const INSPECTOR_PORT = 9229;

/**
 * Opens the inspector of process `pid` (SIGUSR1), collects garbage and reads the heap usage.
 * Only one process at a time may use {@link INSPECTOR_PORT}.
 * @param timeoutMs - give up after this long (default 10,000).
 * @returns the live heap after a full GC (`usedSize`), MB (2^20 bytes), or `undefined` when the
 *   inspector cannot be reached (the app handles SIGUSR1 itself, the port is taken, …): the bench
 *   then reports the figure as missing.
 */
export async function liveHeapMb(pid: number, timeoutMs = 10_000): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  try {
    process.kill(pid, 'SIGUSR1');
  } catch {
    return undefined;
  }
  let wsUrl: string | undefined;
  while (!wsUrl && Date.now() < deadline) {
    try {
      const list = (await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json/list`)).json()) as { webSocketDebuggerUrl?: string }[];
      wsUrl = list[0]?.webSocketDebuggerUrl;
    } catch {
      await sleep(50);
    }
  }
  if (!wsUrl) return undefined;
  const ws = new WebSocket(wsUrl);
  try {
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = ws.onclose = () => reject(new Error('inspector connection failed'));
    });
    let id = 0;
    const pending = new Map<number, (result: unknown) => void>();
    ws.onmessage = (ev) => {
      const msg = JSON.parse(String(ev.data)) as { id?: number; result?: unknown };
      if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
    };
    const call = (method: string) =>
      new Promise<unknown>((resolve, reject) => {
        const n = ++id;
        pending.set(n, resolve);
        ws.send(JSON.stringify({ id: n, method }));
        setTimeout(() => reject(new Error(`${method}: no answer`)), Math.max(1, deadline - Date.now())).unref();
      });
    await call('HeapProfiler.collectGarbage');
    const usage = (await call('Runtime.getHeapUsage')) as { usedSize: number };
    return usage.usedSize / 2 ** 20;
  } catch {
    return undefined;
  } finally {
    ws.close();
  }
}
