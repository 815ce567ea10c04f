/**
 * The one typed reader of environment variables for every demo service. A bad value never
 * crashes a service: it is reported once on stderr, naming the variable, and the default is used.
 */

type Env = Readonly<Record<string, string | undefined>>;

function warn(name: string, raw: string, expected: string, fallback: unknown): void {
  process.stderr.write(`[demo] ${name}=${JSON.stringify(raw)} is not ${expected}; using ${JSON.stringify(fallback)}.\n`);
}

/**
 * Integer variable.
 * @param name - variable name.
 * @param fallback - default when unset or invalid.
 * @param min - smallest accepted value (default 0).
 */
export function intEnv(name: string, fallback: number, min = 0, env: Env = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < min) {
    warn(name, raw, `an integer ≥ ${min}`, fallback);
    return fallback;
  }
  return n;
}

/** Number variable (may be fractional), ≥ `min` (default 0). */
export function numEnv(name: string, fallback: number, min = 0, env: Env = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw.trim());
  if (!Number.isFinite(n) || n < min) {
    warn(name, raw, `a number ≥ ${min}`, fallback);
    return fallback;
  }
  return n;
}

/** String variable; empty counts as unset. */
export function strEnv(name: string, fallback: string, env: Env = process.env): string {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? fallback : raw.trim();
}

/** Comma-separated list variable; empty items dropped. */
export function listEnv(name: string, fallback: string[], env: Env = process.env): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Listening address of a service: `HOST` (default 127.0.0.1; `0.0.0.0` in containers). */
export function hostEnv(env: Env = process.env): string {
  return strEnv('HOST', '127.0.0.1', env);
}
