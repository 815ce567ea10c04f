/**
 * Keeping secrets out of the log store: the body and attributes of every log record are scrubbed
 * before export, with the same list of secret names as spans (`spans/redact.ts`). A careless log call
 * (`log.info({ password }, ...)`, a logged URL with `?token=`, a logged `Authorization` header) reaches
 * the Collector with `REDACTED` in place of the secret. The Collector's `transform/redact` and
 * `redaction` processors are the second line of defence (collector/config.yaml).
 */
import type { AnyValue } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { REDACTED, SECRET_QUERY_PARAMS } from '../spans/redact.ts';

/** Attribute keys (compared case-insensitively, `-` and `_` alike) whose values are always secret. */
export const SECRET_KEYS: readonly string[] = [
  ...SECRET_QUERY_PARAMS,
  'cookie',
  'set-cookie',
  'proxy-authorization',
  'x-api-key',
  'x-auth-token',
  'private_key',
  'credentials',
];
const norm = (k: string) => k.toLowerCase().replace(/-/g, '_');
const SECRET_KEY_SET = new Set(SECRET_KEYS.map(norm));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NAMES = SECRET_KEYS.map(escape).join('|');
/** `name=value` or `name: value` pairs in free text (query strings, logged headers, key=value lines). */
const PAIR = new RegExp(`(^|[?&\\s,;{"'(])(${NAMES})(["']?\\s*[=:]\\s*["']?)(?!REDACTED)[^&\\s,;"'#)}]+`, 'gi');
/** Credentials that are secret wherever they appear: bearer/basic tokens, JWTs, AWS access key IDs, URL userinfo. */
const TOKENS: readonly [RegExp, string][] = [
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, REDACTED],
  [/AKIA[0-9A-Z]{16}/g, REDACTED],
  [/([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/gi, `$1${REDACTED}:${REDACTED}@`],
];

/** Replaces secrets in free text (see the module comment). Returns `text` itself when nothing changed. */
export function redactText(text: string): string {
  let out = text.replace(PAIR, (_m, pre: string, name: string, sep: string) => `${pre}${name}${sep}${REDACTED}`);
  for (const [re, to] of TOKENS) out = out.replace(re, to);
  return out === text ? text : out;
}

/** Whether an attribute or field name holds a secret by name (e.g. `password`, `Authorization`, `x-api-key`). */
export function isSecretKey(key: string): boolean {
  const k = norm(key);
  const last = k.slice(k.lastIndexOf('.') + 1);
  return SECRET_KEY_SET.has(k) || SECRET_KEY_SET.has(last);
}

/**
 * Redacts a log body or attribute value: strings through {@link redactText}, arrays and maps
 * recursively, values under secret keys replaced entirely. Depth-limited (8) against cycles.
 */
export function redactValue(value: AnyValue, depth = 0): AnyValue {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, AnyValue> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) ? REDACTED : redactValue(v as AnyValue, depth + 1);
  return out;
}

/**
 * Scrubs each log record's body and attributes in place ({@link redactValue}). Put it after every
 * processor that adds attributes and before the exporting one. Never throws (a record it cannot
 * scrub loses its body instead).
 */
export class RedactingLogRecordProcessor implements LogRecordProcessor {
  onEmit(record: ReadWriteLogRecord): void {
    try {
      if (record.body !== undefined) record.setBody(redactValue(record.body));
      for (const [k, v] of Object.entries(record.attributes)) {
        if (v === undefined) continue;
        const clean = isSecretKey(k) ? REDACTED : redactValue(v as AnyValue);
        if (clean !== v) record.setAttribute(k, clean);
      }
    } catch {
      record.setBody(REDACTED);
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
