/**
 * `faultline deploy --service NAME --version V [--client ID] [--env NAME] [--note TEXT]`: records a
 * deployment event (OpenTelemetry's `service.*` resource and `deployment.*` attribute names, `event.name`
 * = `faultline.deploy`) through the Collector into the log store, for teams whose services do not run
 * the preload. Dashboards show it as an annotation; `faultline incident` lines it up with client changes.
 */
import { parseArgs } from 'node:util';
import { EVENT, LOG_FIELD } from '@faultline/signals';
import { sendEvent, type EventRecord } from '../events/otlp.ts';
import { collectorUrl } from '../events/targets.ts';

/** Help text. */
export const DEPLOY_USAGE = `usage: faultline deploy --service NAME --version V [options]

  --service NAME    the service deployed (service.name)
  --version V       its new version (service.version)
  --client ID       the client (team) it belongs to or serves (client.id)
  --env NAME        deployment environment (deployment.environment.name)
  --note TEXT       what changed, in a few words
  --collector URL   the Collector's OTLP/HTTP endpoint (default $FAULTLINE_COLLECTOR_URL,
                    $OTEL_EXPORTER_OTLP_ENDPOINT or http://127.0.0.1:4318); bearer token from
                    $FAULTLINE_COLLECTOR_TOKEN when set

exit 0: recorded; 2: the Collector refused or is unreachable, or bad usage`;

/** Parsed `deploy` options. */
export interface DeployOptions {
  service: string;
  version: string;
  client: string | undefined;
  env: string | undefined;
  note: string | undefined;
  collector: string;
  token: string;
}

/**
 * @param argv - arguments after `deploy`.
 * @throws Error with a message for the user on a missing or bad option.
 */
export function parseDeploy(argv: string[], env: Record<string, string | undefined>): DeployOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      service: { type: 'string' },
      version: { type: 'string' },
      client: { type: 'string' },
      env: { type: 'string' },
      note: { type: 'string' },
      collector: { type: 'string' },
    },
  });
  if (!values.service?.trim()) throw new Error('--service NAME is required');
  if (!values.version?.trim()) throw new Error('--version V is required');
  return {
    service: values.service.trim(),
    version: values.version.trim(),
    client: values.client?.trim() || undefined,
    env: values.env?.trim() || undefined,
    note: values.note?.trim() || undefined,
    collector: collectorUrl(values.collector, env),
    token: env['FAULTLINE_COLLECTOR_TOKEN'] ?? '',
  };
}

/** The event a deploy records. */
export function deployEvent(o: DeployOptions, timeMs = Date.now()): EventRecord {
  return {
    resource: { [LOG_FIELD.service]: o.service, [LOG_FIELD.serviceVersion]: o.version },
    attributes: {
      [LOG_FIELD.eventName]: EVENT.deploy,
      [LOG_FIELD.clientId]: o.client,
      [LOG_FIELD.deploymentEnvironment]: o.env,
    },
    body: `${o.service} ${o.version} deployed${o.client ? ` (client ${o.client})` : ''}${o.note ? `: ${o.note}` : ''}`,
    timeMs,
  };
}

/**
 * Runs `faultline deploy`. Writes one confirmation line to `out`.
 * @returns the exit code.
 */
export async function runDeploy(argv: string[], env: Record<string, string | undefined>, out: (s: string) => void): Promise<number> {
  const o = parseDeploy(argv, env);
  const e = deployEvent(o);
  await sendEvent({ url: o.collector, token: o.token }, e);
  out(`recorded: ${e.body} (${new Date(e.timeMs!).toISOString()})`);
  return 0;
}
