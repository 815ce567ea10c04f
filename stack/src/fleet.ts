/**
 * The demo fleet, natively. Its definition is docker-compose.yml (configs are data shared by compose
 * and the native run, never copied): every service labelled `faultline.fleet: "true"` is started with
 * its compose `command` (`node` → Node 24, paths relative to the repo root, as in the image's /app) and
 * its compose `environment` with compose host names (and `0.0.0.0`) mapped to 127.0.0.1, in `depends_on` order, each
 * waited for on its `PORT`. A service also labelled `faultline.load: "true"` (loadgen) is started last
 * and only when load is asked for. A service's compose `restart:` is its restart policy here too
 * (restart.ts: `on-failure` restarts a crashed service after a short backoff, a few times a minute).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { binaries, COMPOSE_FILE, REPO_ROOT, requireBinary } from './paths.ts';
import { assertPortFree } from './ports.ts';
import { spawnManaged, type ManagedProcess } from './process.ts';
import { parseRestartPolicy, supervise, type Restart, type RestartPolicy } from './restart.ts';
import { tcpProbe, waitUntil } from './wait.ts';

/** One fleet service as the native run starts it. */
export interface FleetService {
  /** Compose service name, e.g. `api-1`. */
  name: string;
  /** argv: `[node24, ...args]`, script paths absolute. */
  argv: string[];
  /** Environment from compose, host names (and the bind-all address `0.0.0.0`) mapped to 127.0.0.1. */
  env: Record<string, string>;
  /** Its `PORT` (waited for at start), if it has one. */
  port?: number;
  /** Fleet services it depends on (backends are left out: the stack starts them first). */
  dependsOn: string[];
  /** `true` for the load generator (label `faultline.load`). */
  load: boolean;
  /** Compose's `restart:` (restart.ts); `no` when absent. */
  restart: RestartPolicy;
}

/** Load shape for the load generator; each becomes one of its env vars. */
export interface LoadOptions {
  /** Requests per second over all clients (`LOADGEN_RATE`). Default: compose's value. */
  rate?: number;
  /** Seconds to run, 0 = until stopped (`LOADGEN_DURATION_S`). Default: compose's value. */
  durationS?: number;
  /** Number of distinct clients (`LOADGEN_CLIENTS`). Default: compose's value. */
  clients?: number;
}

type ComposeMap = Record<string, unknown>;
interface ComposeService {
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  labels?: Record<string, unknown> | string[];
  depends_on?: string[] | Record<string, unknown>;
  restart?: string;
}

/** Parses a compose file (YAML merge keys `<<` resolved, as compose does). */
export function readCompose(file: string = COMPOSE_FILE): { services: Record<string, ComposeService> } & ComposeMap {
  return parse(readFileSync(file, 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
}

/** A compose `KEY: value` map or `["KEY=value"]` list as a map of strings (`null` → `''`). */
export function toMap(v: Record<string, unknown> | string[] | undefined): Record<string, string> {
  if (!v) return {};
  if (Array.isArray(v)) {
    return Object.fromEntries(v.map((s) => [s.split('=')[0]!, s.includes('=') ? s.slice(s.indexOf('=') + 1) : '']));
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x == null ? '' : String(x)]));
}

/** `depends_on` in list or map form, as a list of service names. */
export function dependsOnOf(s: ComposeService): string[] {
  const d = s.depends_on;
  if (!d) return [];
  return Array.isArray(d) ? d : Object.keys(d);
}

/**
 * Replaces compose host names with 127.0.0.1 where they stand as hosts: in a URL after `//` or `@`
 * (followed by `:`, `/`, `,` or the end), as `host:<port>` at the start or in a comma list, or as the
 * whole value of a variable whose name ends in `HOST` (`PGHOST=postgres`). Anything else is left alone:
 * `OTEL_SERVICE_NAME=partner`, `service.instance.id=api-1`, the scheme of `redis://redis:16379`.
 * @param hosts - compose service names. @param key - the variable's name, for the `*HOST` rule.
 */
export function mapHosts(value: string, hosts: readonly string[], key = ''): string {
  const target = '127.0.0.1';
  if (/HOST$/.test(key) && hosts.includes(value)) return target;
  let out = value;
  for (const h of [...hosts].sort((a, b) => b.length - a.length)) {
    const esc = h.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
    out = out
      .replace(new RegExp(`(//|@)${esc}(?=$|[:/,])`, 'g'), `$1${target}`)
      .replace(new RegExp(`(^|,)${esc}(?=:\\d)`, 'g'), `$1${target}`);
  }
  return out;
}

/** Orders services so that each comes after the fleet services it depends on. @throws Error on a cycle. */
export function dependencyOrder<T extends { name: string; dependsOn: string[] }>(services: T[]): T[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: T[] = [];
  const visit = (s: T) => {
    if (done.has(s.name)) return;
    if (visiting.has(s.name)) throw new Error(`depends_on cycle through ${s.name}`);
    visiting.add(s.name);
    for (const d of s.dependsOn) {
      const dep = byName.get(d);
      if (dep) visit(dep);
    }
    visiting.delete(s.name);
    done.add(s.name);
    out.push(s);
  };
  services.forEach(visit);
  return out;
}

const isTrue = (v: string | undefined) => v === 'true' || v === '1' || v === 'yes';

/**
 * The fleet as defined by the compose file, in start order (load generators last).
 * @param file - compose file; default `docker-compose.yml`.
 * @param node - the Node binary that replaces `node`; default Node 24 from {@link binaries}.
 * @throws Error if a fleet service has no `command`.
 */
export function loadFleet(file: string = COMPOSE_FILE, node: string = binaries().node24): FleetService[] {
  const compose = readCompose(file);
  const hosts = Object.keys(compose.services);
  const fleet: FleetService[] = [];
  for (const [name, s] of Object.entries(compose.services)) {
    const labels = toMap(s.labels);
    if (!isTrue(labels['faultline.fleet'])) continue;
    if (!s.command) throw new Error(`fleet service ${name} in ${file} has no command`);
    const cmd = Array.isArray(s.command) ? s.command.map(String) : s.command.split(/\s+/).filter(Boolean);
    const argv = cmd.map((a, i) => {
      if (i === 0) return a === 'node' ? node : a;
      return /\.(c|m)?js$/.test(a) && !isAbsolute(a) ? join(REPO_ROOT, a) : a;
    });
    // host names → 127.0.0.1; a container's "listen everywhere" → loopback only
    const env = Object.fromEntries(
      Object.entries(toMap(s.environment)).map(([k, v]) => [k, v === '0.0.0.0' ? '127.0.0.1' : mapHosts(v, hosts, k)]),
    );
    fleet.push({
      name,
      argv,
      env,
      port: env.PORT ? Number(env.PORT) : undefined,
      dependsOn: dependsOnOf(s).filter((d) => isTrue(toMap(compose.services[d]?.labels)['faultline.fleet'])),
      load: isTrue(labels['faultline.load']),
      restart: parseRestartPolicy(s.restart),
    });
  }
  const ordered = dependencyOrder(fleet);
  return [...ordered.filter((s) => !s.load), ...ordered.filter((s) => s.load)];
}

/** The entry scripts of the fleet that are not built yet (`demo-services/dist/...`). Empty = ready to run. */
export function missingEntries(fleet: FleetService[] = loadFleet()): string[] {
  return fleet.flatMap((s) => s.argv.filter((a) => a.startsWith(REPO_ROOT) && !existsSync(a)));
}

/** Options of {@link startFleet}. */
export interface FleetOptions {
  /** Start the load generator(s) too: `true` with compose's shape, or a {@link LoadOptions}. Default false. */
  load?: boolean | LoadOptions;
  /** Env added to every service (after compose's), e.g. `{ OTEL_METRIC_EXPORT_INTERVAL: '1000' }`. */
  env?: Record<string, string>;
  /** Env per service name, added last, e.g. `{ 'api-1': { PG_POOL_MAX: '2' } }`. */
  serviceEnv?: Record<string, Record<string, string>>;
  /** Start only these services (and not their dependencies). Default: all. */
  only?: string[];
  /** Compose file. Default `docker-compose.yml`. */
  composeFile?: string;
  /** Deadline for each service's port, ms. Default 30000. */
  readyTimeoutMs?: number;
  /** Progress lines (`started api-1 on :8081 in 420 ms`). Default: none. */
  log?: (line: string) => void;
}

/** A started fleet service. */
export interface RunningService {
  name: string;
  port?: number;
  /** Its process now (after a restart, the new one). */
  readonly process: ManagedProcess;
  /** Restarts by its restart policy so far, oldest first. */
  readonly restarts: readonly Restart[];
  readyMs: number;
}

/** A running fleet from {@link startFleet}. */
export interface Fleet {
  services: RunningService[];
  /** Stops every service, in reverse start order (SIGTERM, SIGKILL after 10 s). Safe to call twice. */
  stop(): Promise<void>;
}

/** Env of the load generator for a {@link LoadOptions}. */
export function loadEnv(load: LoadOptions): Record<string, string> {
  const env: Record<string, string> = {};
  if (load.rate !== undefined) env.LOADGEN_RATE = String(load.rate);
  if (load.durationS !== undefined) env.LOADGEN_DURATION_S = String(load.durationS);
  if (load.clients !== undefined) env.LOADGEN_CLIENTS = String(load.clients);
  return env;
}

/**
 * Starts the fleet natively (the backends must already be running), in dependency order, waiting for
 * each service's port before the next. On any failure, stops what it started and rethrows.
 * @throws Error if an entry script is not built (`demo-services/dist/...`), or a service exits or does
 *   not open its port in time (its log tail quoted).
 */
export async function startFleet(opts: FleetOptions = {}): Promise<Fleet> {
  const node = requireBinary('Node 24', binaries().node24);
  let fleet = loadFleet(opts.composeFile, node);
  if (!opts.load) fleet = fleet.filter((s) => !s.load);
  if (opts.only) fleet = fleet.filter((s) => opts.only!.includes(s.name));
  const missing = missingEntries(fleet);
  if (missing.length) throw new Error(`the fleet is not built (missing ${missing.join(', ')}): build demo-services first`);
  const running: (RunningService & { stop(): Promise<unknown> })[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const s of [...running].reverse()) await s.stop();
  };
  try {
    for (const s of fleet) {
      const t0 = Date.now();
      const env = {
        ...s.env,
        ...opts.env,
        ...(s.load && typeof opts.load === 'object' ? loadEnv(opts.load) : {}),
        ...opts.serviceEnv?.[s.name],
      };
      const port = env.PORT ? Number(env.PORT) : undefined;
      if (port) await assertPortFree(port, s.name);
      const supervised = supervise(
        s.name,
        (append) => spawnManaged({ name: s.name, command: s.argv[0]!, args: s.argv.slice(1), env, cwd: REPO_ROOT, append }),
        { policy: s.restart, log: opts.log },
      );
      const proc = supervised.current;
      const svc = {
        name: s.name,
        port,
        get process() {
          return supervised.current;
        },
        restarts: supervised.restarts,
        readyMs: 0,
        stop: () => supervised.stop(),
      };
      running.push(svc);
      if (port) await waitUntil(`${s.name} on 127.0.0.1:${port}`, tcpProbe(port), { proc, timeoutMs: opts.readyTimeoutMs ?? 30_000 });
      svc.readyMs = Date.now() - t0;
      opts.log?.(`started ${s.name}${port ? ` on :${port}` : ''} in ${svc.readyMs} ms`);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { services: running, stop };
}
