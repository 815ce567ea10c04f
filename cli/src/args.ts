/** Command-line options of `faultline incident`, with env and default URLs (pure but for `env`). */
import { parseDurationSeconds } from '@faultline/signals';
import { parseArgs } from 'node:util';

/** Parsed options. */
export interface CliOptions {
  command: string | undefined;
  windowS: number;
  baselineS: number | undefined;
  prometheus: string;
  jaeger: string;
  grafana: string;
  /** `--logs`: VictoriaLogs, for log lines and recorded deploys (optional: missing or down gives none). */
  logs: string;
  /** `--edge`: the edge service; undefined: found in the data (edge.ts). */
  edge: string | undefined;
  json: boolean;
  watch: boolean;
  help: boolean;
}

/** The help text (`--help`, and after a usage error). */
export const USAGE = `usage: faultline incident [options]

  --since D         window to investigate, ending now: 30s, 15m, 1h (default 15m)
  --baseline D      compare with this long before the window (default: as long as --since)
  --prometheus URL  Prometheus (default $FAULTLINE_PROMETHEUS_URL or http://127.0.0.1:9090)
  --jaeger URL      Jaeger query API (default $FAULTLINE_JAEGER_URL or http://127.0.0.1:16686)
  --grafana URL     Grafana, for links in --json (default $FAULTLINE_GRAFANA_URL or http://127.0.0.1:3000)
  --logs URL        VictoriaLogs, for log lines and recorded deploys (default $FAULTLINE_LOGS_URL or
                    http://127.0.0.1:9428; unreachable: the report is made without them)
  --edge NAME       service whose server spans count client requests (default: found in the data,
                    the service marked FAULTLINE_EDGE with the most client requests)
  --json            the findings as JSON (schema: cli/schema/incident.schema.json)
  --watch           refresh every 5 s until Ctrl-C (with --json: one report per line)

exit 0: findings or "no anomaly found"; 2: Prometheus or Jaeger unreachable or empty, or bad usage`;

function url(value: string, flag: string): string {
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new Error(`${flag} takes an http(s) URL, not ${JSON.stringify(value)}`);
  }
  return value.replace(/\/+$/, '');
}

/**
 * @param argv - arguments after the program name.
 * @param env - environment (for the URL defaults).
 * @throws Error with a message for the user on a bad option or value.
 */
export function parseCli(argv: string[], env: Record<string, string | undefined>): CliOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      since: { type: 'string', default: '15m' },
      baseline: { type: 'string' },
      prometheus: { type: 'string', default: env['FAULTLINE_PROMETHEUS_URL'] || 'http://127.0.0.1:9090' },
      jaeger: { type: 'string', default: env['FAULTLINE_JAEGER_URL'] || 'http://127.0.0.1:16686' },
      grafana: { type: 'string', default: env['FAULTLINE_GRAFANA_URL'] || 'http://127.0.0.1:3000' },
      logs: { type: 'string', default: env['FAULTLINE_LOGS_URL'] || 'http://127.0.0.1:9428' },
      edge: { type: 'string' },
      json: { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  return {
    command: positionals[0],
    windowS: parseDurationSeconds(values.since, '--since'),
    baselineS: values.baseline === undefined ? undefined : parseDurationSeconds(values.baseline, '--baseline'),
    prometheus: url(values.prometheus, '--prometheus'),
    jaeger: url(values.jaeger, '--jaeger'),
    grafana: url(values.grafana, '--grafana'),
    logs: url(values.logs, '--logs'),
    edge: values.edge,
    json: values.json,
    watch: values.watch,
    help: values.help,
  };
}
