/**
 * The status timeline's webhook receiver natively: `faultline status webhook` (cli/src/commands/
 * status-webhook.ts) on 127.0.0.1:9097, sending to the stack's Collector. Alertmanager's `status-timeline`
 * receiver (alertmanager/alertmanager.yml) posts every alert fired and resolved to it; compose runs the
 * same command as its `status-webhook` service.
 */
import { join } from 'node:path';
import { binaries, REPO_ROOT, requireBinary } from './paths.ts';
import { assertPortFree } from './ports.ts';
import { spawnManaged, type ManagedProcess } from './process.ts';
import { httpProbe, waitUntil } from './wait.ts';

/** Default port of the receiver (native and compose). */
export const STATUS_WEBHOOK_PORT = 9097;

/** Options of {@link startStatusWebhook}. */
export interface StatusWebhookOptions {
  /** Port on 127.0.0.1. Default {@link STATUS_WEBHOOK_PORT}. */
  port?: number;
  /** The Collector's OTLP/HTTP base URL, e.g. `http://127.0.0.1:4318`. */
  collectorUrl: string;
  /** Process name (log `<name>.log`). Default `status-webhook`, or `status-webhook-<port>` off the default port. */
  name?: string;
}

/** A running receiver. */
export interface StatusWebhookInstance {
  port: number;
  /** `http://127.0.0.1:<port>/`: what Alertmanager's `status-timeline` webhook names. */
  url: string;
  process: ManagedProcess;
  readyMs: number;
  /** SIGTERM, SIGKILL after 10 s. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts `faultline status webhook` with Node 24 (the CLI must be built: `cli/dist`) and waits until it answers.
 * @throws Error if the port is taken, Node is missing, or it does not answer within 15 s (log tail quoted).
 */
export async function startStatusWebhook(opts: StatusWebhookOptions): Promise<StatusWebhookInstance> {
  const t0 = Date.now();
  const port = opts.port ?? STATUS_WEBHOOK_PORT;
  const name = opts.name ?? (port === STATUS_WEBHOOK_PORT ? 'status-webhook' : `status-webhook-${port}`);
  const node = requireBinary('Node 24', binaries().node24);
  await assertPortFree(port, `status webhook ${name}`);
  const url = `http://127.0.0.1:${port}/`;
  const proc = spawnManaged({
    name,
    command: node,
    args: [
      join(REPO_ROOT, 'cli', 'bin', 'faultline.js'),
      'status',
      'webhook',
      '--listen',
      `127.0.0.1:${port}`,
      '--collector',
      opts.collectorUrl,
    ],
    cwd: REPO_ROOT,
  });
  const stop = async () => {
    await proc.stop();
  };
  try {
    await waitUntil(`status webhook ${url}`, httpProbe(url), { proc, timeoutMs: 15_000 });
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, url, process: proc, readyMs: Date.now() - t0, stop };
}
