/** Command-line options of `faultline incident` and `faultline report`, with env and default URLs (pure but for `env`). */
import { parseDurationSeconds } from '@faultline/signals';
import { parseArgs } from 'node:util';
import { parseTime } from './time-arg.ts';

/** Parsed options. */
export interface CliOptions {
  command: string | undefined;
  /** Length of the window, s (`--since`, or `--to` − `--from`). */
  windowS: number;
  /** Its end, unix seconds (`--to`, or now when `--from` is given); undefined: now, each time it runs (`--watch`). */
  end: number | undefined;
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
  /** `faultline report --format`: md (default), json or html. */
  format: 'md' | 'json' | 'html';
  /** `faultline report --out DIR`: write the report and its charts (SVG, PNG) there. */
  out: string | undefined;
}

/** The help text (`--help`, and after a usage error). */
export const USAGE = `usage: faultline incident [options]
       faultline report --from T1 [--to T2] [--format md|json|html] [--out DIR] [options]

  --since D         window to investigate, ending now: 30s, 15m, 1h (default 15m)
  --from T, --to T  window from T to T (default now) instead: RFC 3339 (2026-11-22T14:05:00Z) or
                    before now (-3h)
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
  --format F        report: md (default, for an incident document), json (cli/schema/report.schema.json)
                    or html (one page with charts)
  --out DIR         report: write report.<format> and every chart as SVG and PNG into DIR

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
 * `--from -3h` as `--from=-3h`: node's parseArgs takes a value that starts with `-` for an option
 * (and refuses it as ambiguous) unless it is joined with `=`.
 */
function joinRelativeTimes(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if ((a === '--from' || a === '--to') && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/**
 * @param argv - arguments after the program name.
 * @param env - environment (for the URL defaults).
 * @throws Error with a message for the user on a bad option or value.
 */
export function parseCli(argv: string[], env: Record<string, string | undefined>, now: number = Math.floor(Date.now() / 1000)): CliOptions {
  const { values, positionals } = parseArgs({
    args: joinRelativeTimes(argv),
    allowPositionals: true,
    options: {
      since: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string', default: 'md' },
      out: { type: 'string' },
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
  if (values.since !== undefined && values.from !== undefined) throw new Error('--since and --from both set the window: give one');
  const end = values.to !== undefined ? parseTime(values.to, '--to', now) : values.from !== undefined ? now : undefined;
  const windowS =
    values.from !== undefined ? end! - parseTime(values.from, '--from', now) : parseDurationSeconds(values.since ?? '15m', '--since');
  if (windowS <= 0) throw new Error('--from must be before --to');
  if (!['md', 'json', 'html'].includes(values.format))
    throw new Error(`--format takes md, json or html, not ${JSON.stringify(values.format)}`);
  return {
    command: positionals[0],
    windowS,
    end,
    format: values.format as CliOptions['format'],
    out: values.out,
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
