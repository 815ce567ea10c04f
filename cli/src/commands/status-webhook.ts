/**
 * `faultline status webhook [--listen 127.0.0.1:9097] [--collector URL]`: Alertmanager's webhook
 * receiver for the status timeline. Each notification's alerts become status events (events/alertmanager.ts)
 * sent to the Collector (OTLP/HTTP, its logs pipeline into VictoriaLogs), the same path as `faultline
 * status post`. A GET answers 200 (readiness). A POST answers 200 once the Collector took every event, 502 when it did not (Alertmanager then
 * retries the notification), 400 for a body that is not a notification. An alert already sent in the same
 * state (Alertmanager re-sends a group's alerts) is sent once.
 *
 * Why not the Collector's own webhook receiver: contrib's `webhookevent` receiver is the natural part,
 * but the Go module proxy serves no version of it (v0.157.0–v0.161.0 asked), so the Collector cannot be
 * built with it here; this receiver does the same job in front of the Collector's OTLP receiver.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { alertEvent, alertKey, parsePayload } from '../events/alertmanager.ts';
import { sendEvent, type CollectorTarget } from '../events/otlp.ts';

/** Default listen address (loopback; Alertmanager's config points here natively). */
export const STATUS_WEBHOOK_LISTEN = '127.0.0.1:9097';
/** Largest notification body accepted, bytes (Alertmanager's `max_alerts: 50` stays far below). */
const MAX_BODY = 1 << 20;
/** Alert states remembered for de-duplication (oldest forgotten first). */
const REMEMBERED = 10_000;

/** A running receiver. */
export interface StatusWebhook {
  /** `http://host:port/`, what Alertmanager's `webhook_configs` url names. */
  url: string;
  server: Server;
  /** Stops listening; resolves when open connections are done. */
  close(): Promise<void>;
}

/**
 * Starts the receiver.
 * @param listen - `host:port` (port 0: any free port).
 * @param target - the Collector to send the events to.
 * @param log - one line per event sent or failure (default: none).
 * @throws Error when the address cannot be listened on.
 */
export async function startStatusWebhook(
  listen: string,
  target: CollectorTarget,
  log: (s: string) => void = () => {},
): Promise<StatusWebhook> {
  const m = /^(.*):(\d+)$/.exec(listen);
  if (!m) throw new Error(`--listen takes host:port, not ${JSON.stringify(listen)}`);
  const seen = new Set<string>();
  const server = createServer((req, res) => {
    const reply = (code: number, text: string) => void res.writeHead(code, { 'content-type': 'text/plain' }).end(`${text}\n`);
    if (req.method === 'GET') return reply(200, 'faultline status webhook: POST Alertmanager notifications here');
    if (req.method !== 'POST') return reply(405, 'POST an Alertmanager webhook notification');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      void (async () => {
        if (size > MAX_BODY) return reply(413, `body over ${MAX_BODY} bytes`);
        let alerts;
        try {
          alerts = parsePayload(JSON.parse(Buffer.concat(chunks).toString('utf8'))).alerts;
        } catch (err) {
          return reply(400, (err as Error).message);
        }
        const fresh = alerts.filter((a) => !seen.has(alertKey(a)));
        try {
          for (const a of fresh) {
            const e = alertEvent(a);
            await sendEvent(target, e);
            seen.add(alertKey(a));
            if (seen.size > REMEMBERED) seen.delete(seen.values().next().value!);
            log(`${new Date(e.timeMs!).toISOString()} ${e.body}`);
          }
        } catch (err) {
          log(`not recorded: ${(err as Error).message}`);
          return reply(502, (err as Error).message);
        }
        reply(200, `${fresh.length} recorded, ${alerts.length - fresh.length} already recorded`);
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(m[2]), m[1], () => resolve());
  });
  const a = server.address() as AddressInfo;
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return {
    url: `http://${host}:${a.port}/`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
