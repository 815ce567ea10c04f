/**
 * A private Alertmanager for faultline (Debian's `prometheus-alertmanager` natively, on 127.0.0.1:9093
 * like compose publishes it). Its config is `alertmanager/alertmanager.yml`, the file docker-compose.yml
 * mounts; natively the webhook placeholder is replaced by `FAULTLINE_ALERT_WEBHOOK_URL` (or the webhook
 * dropped when it is unset), the status-timeline one by the stack's `faultline status webhook` (or
 * dropped), and the result is written to the run dir. Clustering is off (one instance:
 * no gossip port).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ALERTMANAGER_CONFIG, binaries, requireBinary, runDir } from './paths.ts';
import { assertPortFree } from './ports.ts';
import { spawnManaged, type ManagedProcess } from './process.ts';
import { httpProbe, waitUntil } from './wait.ts';

/** Default port of faultline's Alertmanager (native and compose; Alertmanager's standard port). */
export const ALERTMANAGER_PORT = 9093;
/** The webhook URL in alertmanager/alertmanager.yml that the real one replaces. */
export const WEBHOOK_PLACEHOLDER = 'http://faultline-alert-webhook.invalid/';
/** The variable that sets the webhook receiver's URL. */
export const WEBHOOK_ENV = 'FAULTLINE_ALERT_WEBHOOK_URL';
/** The `status-timeline` receiver's URL in alertmanager/alertmanager.yml: `faultline status webhook`'s, when one runs. */
export const STATUS_WEBHOOK_PLACEHOLDER = 'http://faultline-status-webhook.invalid/';

/** Options of {@link startAlertmanager}. */
export interface AlertmanagerOptions {
  /** Listening port on 127.0.0.1. Default {@link ALERTMANAGER_PORT}. */
  port?: number;
  /** Where notifications go (Alertmanager's webhook JSON). Default `$FAULTLINE_ALERT_WEBHOOK_URL`; none when unset. */
  webhookUrl?: string;
  /** `faultline status webhook`'s URL (every alert onto the status timeline). Default none: that receiver has no webhook. */
  statusWebhookUrl?: string;
  /** Instance name (log `<name>.log`, data `<runDir>/<name>`). Default `alertmanager` or `alertmanager-<port>`. */
  name?: string;
  /** Deadline for `/-/ready`, ms. Default 30000. */
  readyTimeoutMs?: number;
  /** Keep `<runDir>/<name>/data` (silences, notification log) from a previous start. Default false: fresh. */
  keepData?: boolean;
}

/** A running Alertmanager. */
export interface AlertmanagerInstance {
  port: number;
  /** `http://127.0.0.1:<port>` (UI; API under `/api/v2/`). */
  url: string;
  process: ManagedProcess;
  readyMs: number;
  /** SIGTERM, SIGKILL after 10 s. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The shared config with the webhook placeholder replaced by `webhookUrl` and the status-timeline
 * placeholder by `statusWebhookUrl`; a receiver whose URL is not given is left with no notifier (alerts
 * stay visible in the UI and API).
 * @throws Error if a given URL is not an http(s) URL.
 */
export function nativeAlertmanagerConfig(source: string, webhookUrl?: string, statusWebhookUrl?: string): string {
  let text = source;
  for (const [placeholder, url, what] of [
    [WEBHOOK_PLACEHOLDER, webhookUrl, WEBHOOK_ENV],
    [STATUS_WEBHOOK_PLACEHOLDER, statusWebhookUrl, 'the status webhook URL'],
  ] as const) {
    if (!url) continue;
    if (!/^https?:\/\/\S+$/.test(url)) throw new Error(`${what}=${url}: not an http(s) URL`);
    text = text.split(placeholder).join(url);
  }
  if (!text.includes(WEBHOOK_PLACEHOLDER) && !text.includes(STATUS_WEBHOOK_PLACEHOLDER)) return text;
  const doc = parse(text) as { receivers?: { webhook_configs?: { url?: string }[] }[] };
  for (const r of doc.receivers ?? []) {
    const kept = (r.webhook_configs ?? []).filter((w) => w.url !== WEBHOOK_PLACEHOLDER && w.url !== STATUS_WEBHOOK_PLACEHOLDER);
    if (kept.length) r.webhook_configs = kept;
    else delete r.webhook_configs;
  }
  return stringify(doc);
}

/**
 * Starts Alertmanager with fresh state and waits until it is ready.
 * @throws Error if the port is taken, the binary is missing, the webhook URL is malformed, or it is not
 *   ready in time (log tail quoted).
 */
export async function startAlertmanager(opts: AlertmanagerOptions = {}): Promise<AlertmanagerInstance> {
  const t0 = Date.now();
  const port = opts.port ?? ALERTMANAGER_PORT;
  const name = opts.name ?? (port === ALERTMANAGER_PORT ? 'alertmanager' : `alertmanager-${port}`);
  const bin = requireBinary('Alertmanager', binaries().alertmanager);
  await assertPortFree(port, `Alertmanager ${name}`);
  const dir = join(runDir(), name);
  if (!opts.keepData) rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(
    config,
    nativeAlertmanagerConfig(
      readFileSync(ALERTMANAGER_CONFIG, 'utf8'),
      opts.webhookUrl ?? (process.env[WEBHOOK_ENV] || undefined),
      opts.statusWebhookUrl,
    ),
  );
  const url = `http://127.0.0.1:${port}`;
  const proc = spawnManaged({
    name,
    command: bin,
    args: [
      `--config.file=${config}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      '--cluster.listen-address=',
    ],
  });
  const stop = async () => {
    await proc.stop();
  };
  try {
    await waitUntil(`Alertmanager ${url}/-/ready`, httpProbe(`${url}/-/ready`), { proc, timeoutMs: opts.readyTimeoutMs ?? 30_000 });
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, url, process: proc, readyMs: Date.now() - t0, stop };
}
