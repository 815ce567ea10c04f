/**
 * `@opentelemetry/winston-transport` (0.34, the newest) emits through the older, separate logs API
 * package (`@opentelemetry/api-logs` 0.223), whose global logger provider is not the one the SDK 3.x
 * registers (`logs` of `@opentelemetry/api` 1.10): without this, winston records would go to a no-op
 * logger. Registering the SDK's provider there too sends them through the same processors as pino's.
 */
import { logs } from '@opentelemetry/api';
import { logs as legacyLogs, type LoggerProvider as LegacyLoggerProvider } from '@opentelemetry/api-logs';

/**
 * Registers the logger provider the SDK set on `@opentelemetry/api` as the global provider of
 * `@opentelemetry/api-logs` as well. Call after the SDK started. Never throws (an app without
 * winston loses nothing when it fails).
 */
export function shareLoggerProviderWithLegacyApi(): void {
  try {
    legacyLogs.setGlobalLoggerProvider(logs.getLoggerProvider() as unknown as LegacyLoggerProvider);
  } catch {
    // winston records stay local (stdout) only.
  }
}
