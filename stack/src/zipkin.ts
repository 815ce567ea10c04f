/**
 * Zipkin, natively: the server's executable jar from Maven Central (`io.zipkin:zipkin-server`, `exec`
 * classifier, fetched by bootstrap.sh) on Java 17, on 127.0.0.1 only, with its in-memory storage
 * bounded to {@link ZipkinOptions.maxSpans} spans. Its Lens UI (`/zipkin/`) is the trace UI of the
 * native run; the spans come from the main Collector through the Zipkin bridge (zipkin-bridge.ts).
 * Settings are Zipkin's documented env vars (zipkin-server README: `STORAGE_TYPE`, `MEM_MAX_SPANS`,
 * `QUERY_PORT`) and the Armeria server's port list (`armeria.ports`), which is what binds it to loopback.
 */
import { binaries, requireBinary } from './paths.ts';
import { assertPortFree } from './ports.ts';
import { spawnManaged, type ManagedProcess } from './process.ts';
import { httpProbe, waitUntil } from './wait.ts';

/** Zipkin's standard port (HTTP API, span intake `POST /api/v2/spans`, and the Lens UI). */
export const ZIPKIN_PORT = 9411;

/** Options of {@link startZipkin}. */
export interface ZipkinOptions {
  /** Listening port on 127.0.0.1. Default {@link ZIPKIN_PORT}. */
  port?: number;
  /** In-memory storage bound (`MEM_MAX_SPANS`): older traces are evicted beyond it. Default 50000 spans. */
  maxSpans?: number;
  /** JVM heap limit (`-Xmx`). Default `256m`. */
  heap?: string;
  /** Instance name (log `<name>.log`). Default `zipkin`, or `zipkin-<port>` off the default port. */
  name?: string;
  /** More env vars for the server (Zipkin's own names). */
  env?: Record<string, string>;
  /** Deadline for `/health`, ms (a JVM start on a busy machine). Default 60000. */
  readyTimeoutMs?: number;
}

/** A running Zipkin from {@link startZipkin}. */
export interface ZipkinInstance {
  port: number;
  /** `http://127.0.0.1:<port>`: the API base (`/api/v2/...`) and the bridge's export target. */
  url: string;
  /** The Lens UI: `http://127.0.0.1:<port>/zipkin/`. */
  uiUrl: string;
  process: ManagedProcess;
  /** ms from call to healthy. */
  readyMs: number;
  /** SIGTERM, SIGKILL after 10 s. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts Zipkin and waits until `/health` answers 200.
 * @throws Error if the port is taken, Java or the jar is missing, or it is not healthy in time (log tail quoted).
 */
export async function startZipkin(opts: ZipkinOptions = {}): Promise<ZipkinInstance> {
  const t0 = Date.now();
  const port = opts.port ?? ZIPKIN_PORT;
  const name = opts.name ?? (port === ZIPKIN_PORT ? 'zipkin' : `zipkin-${port}`);
  const { java, zipkinJar } = binaries();
  requireBinary('Java', java);
  requireBinary('the Zipkin server jar', zipkinJar);
  await assertPortFree(port, `Zipkin ${name}`);
  const proc = spawnManaged({
    name,
    command: java,
    args: [
      '-Xms64m',
      `-Xmx${opts.heap ?? '256m'}`,
      // Two cores shared with the whole stack: the serial collector and no JIT compiler threads race.
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-jar',
      zipkinJar,
      // Armeria's port list replaces the default one (all interfaces) with loopback only.
      `--armeria.ports[0].ip=127.0.0.1`,
      `--armeria.ports[0].port=${port}`,
      '--armeria.ports[0].protocols[0]=http',
    ],
    env: {
      STORAGE_TYPE: 'mem',
      MEM_MAX_SPANS: String(opts.maxSpans ?? 50_000),
      QUERY_PORT: String(port),
      // The server would otherwise trace itself into its own storage.
      SELF_TRACING_ENABLED: 'false',
      ...opts.env,
    },
  });
  const stop = async () => {
    await proc.stop();
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(`Zipkin ${url}/health`, httpProbe(`${url}/health`), { proc, timeoutMs: opts.readyTimeoutMs ?? 60_000 });
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, url, uiUrl: `${url}/zipkin/`, process: proc, readyMs: Date.now() - t0, stop };
}
