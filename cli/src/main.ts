#!/usr/bin/env node
/**
 * `faultline incident [--since 15m] [--prometheus URL] [--jaeger URL] [--edge lb] [--json] [--watch]`
 *
 * Reads only Prometheus' and Jaeger's HTTP APIs. URLs default to `FAULTLINE_PROMETHEUS_URL` /
 * `FAULTLINE_JAEGER_URL`, else http://127.0.0.1:9090 and http://127.0.0.1:16686 (the native stack and
 * docker compose). Exit 0: findings or "no anomaly found"; 2: a source cannot be reached or has no data.
 */
import { parseArgs } from 'node:util';
import { investigate } from './incident.ts';
import { SourceError } from './prometheus.ts';
import { renderText } from './render.ts';

/** Parses `15m`, `30s`, `1h`, `90` (seconds). @throws Error on anything else. */
export function parseWindow(s: string): number {
  const m = /^(\d+)(s|m|h)?$/.exec(s.trim());
  if (!m) throw new Error(`--since takes a duration like 30s, 15m or 1h, not ${JSON.stringify(s)}`);
  return Number(m[1]) * ({ s: 1, m: 60, h: 3600 } as Record<string, number>)[m[2] ?? 's']!;
}

const USAGE = 'usage: faultline incident [--since 15m] [--prometheus URL] [--jaeger URL] [--edge lb] [--json] [--watch]';

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      since: { type: 'string', default: '15m' },
      prometheus: { type: 'string', default: process.env['FAULTLINE_PROMETHEUS_URL'] ?? 'http://127.0.0.1:9090' },
      jaeger: { type: 'string', default: process.env['FAULTLINE_JAEGER_URL'] ?? 'http://127.0.0.1:16686' },
      edge: { type: 'string', default: 'lb' },
      json: { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || positionals[0] !== 'incident') {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const opts = { prometheus: values.prometheus.replace(/\/$/, ''), jaeger: values.jaeger.replace(/\/$/, ''), windowS: parseWindow(values.since), edge: values.edge };
  const colour = process.stdout.isTTY === true && !process.env['NO_COLOR'];
  for (;;) {
    try {
      const report = await investigate(opts);
      const out = values.json ? JSON.stringify(report, null, 2) : renderText(report, colour);
      process.stdout.write(`${values.watch && colour ? '\x1b[2J\x1b[H' : ''}${out}\n`);
    } catch (err) {
      if (err instanceof SourceError) {
        process.stderr.write(`faultline: ${err.message}\n`);
        if (!values.watch) return 2;
      } else throw err;
    }
    if (!values.watch) return 0;
    await new Promise((r) => setTimeout(r, 5000));
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`faultline: ${(err as Error).stack ?? err}\n`);
    process.exit(2);
  },
);
