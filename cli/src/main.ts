#!/usr/bin/env node
/**
 * `faultline incident [--since 15m | --from T [--to T]] [--baseline D] [--prometheus URL] [--jaeger URL]
 * [--edge NAME] [--json] [--watch]` and `faultline report --from T [--to T] [--format md|json|html]
 * [--out DIR]` (see args.ts). Reads only Prometheus' and Jaeger's HTTP APIs (and the log store for log lines).
 * `faultline deploy ...` and `faultline status ...` (commands/) record and read events in the log store.
 * Exit 0: findings or "no anomaly found"; 2: a source cannot be reached or has no data, or bad usage.
 */
import { parseCli, USAGE, type CliOptions } from './args.ts';
import { SourceError } from '@faultline/signals';
import { investigate } from './incident.ts';
import { renderText, useColour } from './render.ts';
import { buildReport } from './report/build.ts';
import { writeReport } from './report/output.ts';

/** Refresh interval of `--watch`, ms. */
const WATCH_MS = 5000;

/** The investigation's options from the command line. */
function incidentOptions(o: CliOptions) {
  return {
    prometheus: o.prometheus,
    jaeger: o.jaeger,
    grafana: o.grafana,
    logs: o.logs,
    windowS: o.windowS,
    baselineS: o.baselineS,
    edge: o.edge,
    ...(o.end !== undefined ? { end: o.end } : {}),
  };
}

async function once(o: CliOptions, colour: boolean): Promise<string> {
  if (o.command === 'report') return (await writeReport(await buildReport(incidentOptions(o)), o.format, o.out)).replace(/\n$/, '');
  const report = await investigate(incidentOptions(o));
  // --json --watch: one report per line (NDJSON), so a pipe can read them one by one.
  return o.json ? JSON.stringify(report, null, o.watch ? undefined : 2) : renderText(report, colour);
}

/** `faultline deploy` and `faultline status` (commands/): events in the log store. */
async function eventCommand(argv: string[]): Promise<number> {
  const { runDeploy, DEPLOY_USAGE } = await import('./commands/deploy.ts');
  const { runStatus, STATUS_USAGE } = await import('./commands/status.ts');
  const [run, usage] = argv[0] === 'deploy' ? [runDeploy, DEPLOY_USAGE] : [runStatus, STATUS_USAGE];
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  try {
    return await run(argv.slice(1), process.env, (s) => process.stdout.write(`${s}\n`));
  } catch (err) {
    process.stderr.write(`faultline: ${(err as Error).message}\n${err instanceof SourceError ? '' : `${usage}\n`}`);
    return 2;
  }
}

/** Runs the command; resolves to the exit code. */
async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'deploy' || argv[0] === 'status') return eventCommand(argv);
  let o: CliOptions;
  try {
    o = parseCli(argv, process.env);
  } catch (err) {
    process.stderr.write(`faultline: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (o.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (o.command !== 'incident' && o.command !== 'report') {
    process.stderr.write(`${o.command ? `faultline: unknown command ${JSON.stringify(o.command)}\n` : ''}${USAGE}\n`);
    return 2;
  }
  const tty = process.stdout.isTTY === true;
  const colour = useColour(tty, process.env);
  for (;;) {
    try {
      const out = await once(o, colour);
      process.stdout.write(`${o.watch && tty && !o.json ? '\x1b[2J\x1b[H' : ''}${out}\n`);
    } catch (err) {
      if (!(err instanceof SourceError)) throw err;
      process.stderr.write(`faultline: ${err.message}\n`);
      if (!o.watch) return 2;
    }
    if (!o.watch) return 0;
    if (!tty && !o.json) process.stdout.write('\n');
    await new Promise((r) => setTimeout(r, WATCH_MS));
  }
}

process.on('SIGINT', () => process.exit(0));
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`faultline: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);
