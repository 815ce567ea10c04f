/** pino logger for a demo service: one JSON line per event on stdout, `service` and `instance` on each. */
import { pino, type Logger } from 'pino';

/**
 * @param service - service name (`lb`, `api`, …).
 * @returns a logger at `LOG_LEVEL` (default `info`).
 */
export function createLogger(service: string): Logger {
  return pino({
    level: process.env['LOG_LEVEL'] ?? 'info',
    base: { service, instance: process.env['INSTANCE'] ?? service },
  });
}
