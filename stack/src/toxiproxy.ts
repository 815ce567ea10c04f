/**
 * Toxiproxy (Shopify's, MIT), the fault injector between the api and its dependencies, natively: the
 * server built by bootstrap.sh (`go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.5.0`), its API
 * on 127.0.0.1:8474 (Toxiproxy's standard port). Its proxies are data shared with compose:
 * `toxiproxy/proxies.json` (Toxiproxy's `-config` format), which docker-compose.yml mounts as is; here
 * the compose host names become 127.0.0.1 and `0.0.0.0` listeners loopback ones. The chaos scenarios
 * add and remove toxics through the API (demo-services/scenario/toxics.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCompose, mapHosts } from './fleet.ts';
import { binaries, REPO_ROOT, requireBinary, runDir } from './paths.ts';
import { assertPortFree } from './ports.ts';
import { spawnManaged, type ManagedProcess } from './process.ts';
import { waitUntil } from './wait.ts';

/** Toxiproxy's standard API port. */
export const TOXIPROXY_PORT = 8474;

/** The proxy list shared by the native run and compose (`-config` format). */
export const TOXIPROXY_CONFIG = join(REPO_ROOT, 'toxiproxy', 'proxies.json');

/** One proxy as Toxiproxy's `-config` file and `/populate` take it. */
export interface ProxyConfig {
  /** Proxy name, e.g. `postgres-api-1` (what the scenarios' toxics name). */
  name: string;
  /** `host:port` it listens on. */
  listen: string;
  /** `host:port` it forwards to. */
  upstream: string;
  /** Whether it accepts connections (Toxiproxy's default: true). */
  enabled?: boolean;
}

/**
 * The shared proxy list as the native run uses it: upstream compose host names → 127.0.0.1, `0.0.0.0`
 * listeners → 127.0.0.1.
 * @param file - a `-config` JSON file; default {@link TOXIPROXY_CONFIG}.
 * @param hosts - compose service names; default docker-compose.yml's.
 * @throws Error if the file is not a JSON array of proxies.
 */
export function nativeProxies(
  file: string = TOXIPROXY_CONFIG,
  hosts: readonly string[] = Object.keys(readCompose().services),
): ProxyConfig[] {
  const list = JSON.parse(readFileSync(file, 'utf8')) as ProxyConfig[];
  if (!Array.isArray(list) || !list.every((p) => p.name && p.listen && p.upstream)) {
    throw new Error(`${file}: expected [{name, listen, upstream}, …]`);
  }
  return list.map((p) => ({
    ...p,
    listen: p.listen.replace(/^0\.0\.0\.0:/, '127.0.0.1:'),
    upstream: mapHosts(p.upstream, hosts),
  }));
}

/** Options of {@link startToxiproxy}. */
export interface ToxiproxyOptions {
  /** API port on 127.0.0.1. Default {@link TOXIPROXY_PORT}. */
  port?: number;
  /** Proxies to create at start. Default {@link nativeProxies}. */
  proxies?: ProxyConfig[];
  /** Deadline for the API to list every proxy, ms. Default 15000. */
  readyTimeoutMs?: number;
}

/** A running Toxiproxy from {@link startToxiproxy}. */
export interface ToxiproxyInstance {
  port: number;
  /** API base URL: `http://127.0.0.1:<port>`. */
  url: string;
  /** The proxies it serves. */
  proxies: ProxyConfig[];
  process: ManagedProcess;
  /** ms from call to every proxy listed. */
  readyMs: number;
  /** SIGTERM, SIGKILL after 10 s. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts Toxiproxy with its proxies and waits until its API lists all of them (each listens by then).
 * @throws Error if a port is taken, the binary is missing (run `bash scripts/bootstrap.sh`), or it is not ready in time (log tail quoted).
 */
export async function startToxiproxy(opts: ToxiproxyOptions = {}): Promise<ToxiproxyInstance> {
  const t0 = Date.now();
  const port = opts.port ?? TOXIPROXY_PORT;
  const proxies = opts.proxies ?? nativeProxies();
  const bin = requireBinary('Toxiproxy', binaries().toxiproxy);
  await assertPortFree(port, 'Toxiproxy API');
  for (const p of proxies) await assertPortFree(Number(p.listen.split(':').pop()), `Toxiproxy proxy ${p.name}`);
  const dir = join(runDir(), 'toxiproxy');
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'proxies.json');
  writeFileSync(config, `${JSON.stringify(proxies, null, 2)}\n`);
  const proc = spawnManaged({
    name: 'toxiproxy',
    command: bin,
    args: ['-host', '127.0.0.1', '-port', String(port), '-config', config],
    // Its warnings are one line per closed connection (every keep-alive close): errors only.
    env: { LOG_LEVEL: 'error' },
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await proc.stop();
  };
  try {
    await waitUntil(
      `Toxiproxy ${url}/proxies lists ${proxies.length} proxies`,
      async () => {
        try {
          const res = await fetch(`${url}/proxies`, { signal: AbortSignal.timeout(1000) });
          if (!res.ok) return false;
          const listed = (await res.json()) as Record<string, unknown>;
          return proxies.every((p) => p.name in listed);
        } catch {
          return false;
        }
      },
      { proc, timeoutMs: opts.readyTimeoutMs ?? 15_000 },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, url, proxies, process: proc, readyMs: Date.now() - t0, stop };
}
