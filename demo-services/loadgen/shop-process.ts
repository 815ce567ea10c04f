/**
 * The shop (team-05's backend, demo-services/shop) as loadgen's child process, with the preload, and
 * scenario `buggy-deploy`: switching it on redeploys the shop (stop, start) as
 * `service.version=<deployVersion>` with `SHOP_BUGGY=true`; switching it off rolls back to
 * `<baseVersion>`. While the shop is down (starting or redeploying) its client's traffic goes straight
 * to the lb. The child listens on a port of its choice and reports it over IPC.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { ScenarioHandler } from '../shared/switchboard.ts';

/** Knobs of {@link createShop}. */
export interface ShopOptions {
  /** `demo-services/dist/shop/main.js`. */
  script: string;
  /** Port to listen on, 0 = any free one. */
  port: number;
  /** The client team whose backend it is. */
  client: string;
  /** The API's entry (the lb). */
  target: string;
  baseVersion: string;
  deployVersion: string;
  /** Progress lines. */
  log(line: string): void;
}

/** The shop's lifecycle: `start()` once, `url()` while it is up, `handler` for buggy-deploy, `stop()` at exit. */
export function createShop(opts: ShopOptions) {
  let child: ChildProcess | undefined;
  let port: number | undefined;

  const launch = (version: string, buggy: boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      const env = {
        ...process.env,
        PORT: String(opts.port),
        HOST: '127.0.0.1',
        INSTANCE: 'shop',
        OTEL_SERVICE_NAME: 'shop',
        OTEL_RESOURCE_ATTRIBUTES: `service.version=${version},service.instance.id=shop,deployment.environment.name=demo`,
        FAULTLINE_EDGE: 'true',
        TARGET_URL: opts.target,
        SHOP_CLIENT: opts.client,
        SHOP_VERSION: version,
        SHOP_BUGGY: String(buggy),
      };
      const c = spawn(process.execPath, ['--import', '@faultline/instrumentation/register', opts.script], {
        env,
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      child = c;
      const timer = setTimeout(() => reject(new Error('shop did not report its port within 30 s')), 30_000);
      c.on('message', (m: { ready?: number }) => {
        if (typeof m?.ready !== 'number') return;
        clearTimeout(timer);
        port = m.ready;
        opts.log(`shop ${version}${buggy ? ' (buggy)' : ''} up on :${port} for ${opts.client}`);
        resolve();
      });
      c.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (child === c) {
          child = undefined;
          port = undefined;
        }
        reject(new Error(`shop exited (${signal ?? code})`));
      });
    });

  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    port = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (c.exitCode === null) c.kill('SIGKILL');
  };

  const redeploy = async (version: string, buggy: boolean) => {
    await stop();
    await launch(version, buggy);
  };

  const handler: ScenarioHandler = {
    start: () => redeploy(opts.deployVersion, true),
    stop: () => redeploy(opts.baseVersion, false),
  };
  return {
    handler,
    client: opts.client,
    /** Starts the base version. */
    start: () => launch(opts.baseVersion, false),
    /** The shop's URL while it is up. */
    url: (): string | undefined => (port ? `http://127.0.0.1:${port}` : undefined),
    stop,
  };
}
