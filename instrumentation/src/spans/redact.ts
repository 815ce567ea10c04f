/**
 * Keeping secrets off spans: query-string parameters that commonly carry credentials are replaced
 * by `REDACTED` in `url.full`/`url.query` on HTTP server spans (http instrumentation), HTTP client
 * spans (http and undici/fetch). Header values are never recorded (no header capture is configured)
 * and SQL parameter values are never recorded (`enhancedDatabaseReporting: false`).
 */
import type { Span } from '@opentelemetry/api';

/** Value written in place of a secret, as the OpenTelemetry HTTP instrumentations write it. */
export const REDACTED = 'REDACTED';

/**
 * Query parameter names treated as secrets (compared case-insensitively). Includes the HTTP
 * instrumentation's defaults (`sig`, `Signature`, `AWSAccessKeyId`, `X-Goog-Signature`).
 */
export const SECRET_QUERY_PARAMS: readonly string[] = [
  'access_token',
  'api_key',
  'api-key',
  'apikey',
  'auth',
  'authorization',
  'awsaccesskeyid',
  'client_secret',
  'code',
  'id_token',
  'key',
  'passwd',
  'password',
  'refresh_token',
  'secret',
  'session',
  'sessionid',
  'sig',
  'signature',
  'token',
  'x-amz-credential',
  'x-amz-security-token',
  'x-amz-signature',
  'x-goog-signature',
];
const SECRET_SET = new Set(SECRET_QUERY_PARAMS);

/**
 * The list for the HTTP instrumentation's `redactedQueryParams` options, which compare names
 * case-sensitively: each name in lower case, upper case and as commonly capitalised.
 */
export function httpRedactionList(): string[] {
  const out = new Set<string>();
  for (const p of SECRET_QUERY_PARAMS) {
    out.add(p);
    out.add(p.toUpperCase());
    out.add(p.replace(/(^|[-_])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase()));
  }
  for (const d of ['AWSAccessKeyId', 'Signature', 'X-Goog-Signature', 'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token'])
    out.add(d);
  return [...out];
}

/**
 * Redacts secret query parameters of a query string (without the leading `?`), keeping order
 * and every other byte as it was.
 * @returns the query string with secret values replaced by `REDACTED`.
 */
export function redactQuery(query: string): string {
  if (query === '') return query;
  let changed = false;
  const parts = query.split('&').map((part) => {
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
    } catch {
      // keep the raw name
    }
    if (eq >= 0 && SECRET_SET.has(name.toLowerCase())) {
      changed = true;
      return `${rawName}=${REDACTED}`;
    }
    return part;
  });
  return changed ? parts.join('&') : query;
}

/** Redacts secret query parameters and userinfo of an absolute or relative URL string. */
export function redactUrl(url: string): string {
  const out = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, `$1${REDACTED}:${REDACTED}@`);
  const q = out.indexOf('?');
  if (q < 0) return out;
  const hash = out.indexOf('#', q);
  const query = hash < 0 ? out.slice(q + 1) : out.slice(q + 1, hash);
  const rest = hash < 0 ? '' : out.slice(hash);
  return `${out.slice(0, q + 1)}${redactQuery(query)}${rest}`;
}

/**
 * `requestHook` for the undici instrumentation (which does no redaction itself): rewrites
 * `url.full` and `url.query` with secrets redacted. Never throws.
 */
export function undiciRedactionHook(span: Span, request: { origin?: unknown; path?: unknown }): void {
  try {
    const path = typeof request.path === 'string' ? request.path : '';
    const q = path.indexOf('?');
    if (q < 0) return;
    const query = path.slice(q + 1);
    const redacted = redactQuery(query);
    if (redacted === query) return;
    span.setAttribute('url.full', `${String(request.origin ?? '')}${path.slice(0, q + 1)}${redacted}`);
    span.setAttribute('url.query', redacted);
  } catch {
    // never in the app's way
  }
}
