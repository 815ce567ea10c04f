/**
 * The apps the bench measures: the demo api, and `plain-http`, an app of another shape written for
 * the bench (plain `node:http`, one Redis read with ioredis, one query through a `pg.Pool`, one
 * outbound fetch to a local upstream the bench starts; `bench/apps/plain-http.mjs`).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../stack/src/index.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/** One app under test. */
export interface BenchApp {
  /** `api` or `plain-http`. */
  name: string;
  /** Entry script, relative to the repository root. */
  entry: string;
  /** The route under load; `:id` becomes a random id 1..1000 per request. */
  route: string;
  /** One line saying what a request does. */
  description: string;
}

/** The demo api (`demo-services/dist/api/main.js`); `route` as given by `--route`. */
export function apiApp(route: string): BenchApp {
  return {
    name: 'api',
    entry: 'demo-services/dist/api/main.js',
    route,
    description: `the demo api (express), GET ${route}: one Redis read, one PostgreSQL query through the pool`,
  };
}

/** `bench/apps/plain-http.mjs`: needs `UPSTREAM_URL` (see {@link startUpstream}). */
export const PLAIN_HTTP: BenchApp = {
  name: 'plain-http',
  entry: 'bench/apps/plain-http.mjs',
  route: '/quote/:id',
  description:
    'plain node:http, GET /quote/:id: one Redis read (ioredis), one query through a pg.Pool (max 10), one fetch to a local upstream',
};

/**
 * Starts `bench/apps/upstream.mjs` on a free port (in the bench's process group: its CPU counts as
 * the bench's, not as other work).
 * @returns its URL and a stop function.
 * @throws if it does not listen within 10 s.
 */
export async function startUpstream(): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bench/apps/upstream.mjs'], {
    cwd: REPO,
    env: { ...process.env, PORT: String(port) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the upstream did not start within 10 s')), 10_000);
    child.stdout!.once('data', () => (clearTimeout(t), resolve()));
    child.once('exit', (code) => (clearTimeout(t), reject(new Error(`the upstream exited (${code})`))));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => void child.kill('SIGTERM') };
}
