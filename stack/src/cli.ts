#!/usr/bin/env node
/**
 * `faultline-stack demo [--duration 5m|300s] [--rate N] [--clients N] [--no-load] [--no-fleet]`
 *
 * Starts the native stack (PostgreSQL, Redis, Jaeger, Zipkin, the Collector, the demo fleet and its load),
 * prints where to look, then one live summary line every 5 s, and stops everything cleanly on
 * Ctrl-C / SIGTERM or when `--duration` is over. Exit 0 after a clean stop, 1 if the stack failed to
 * start, 2 on a usage error.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { jaeger, L, M, parseDurationMs, scrape, sumSeries } from '@faultline/signals';
import { readyBanner } from './banner.ts';
import { tailFile } from './logs.ts';
import { startStack, type Stack } from './stack.ts';
import { loadFleet, missingEntries, type LoadOptions } from './fleet.ts';
import { demoScale } from './scale-cli.ts';

const USAGE = `usage: npm run demo -- [options]     (or: node stack/dist/cli.js demo [options])
  --duration D   stop after D (300s, 5m, 1h; a bare number is seconds); default: until Ctrl-C
  --rate N       load: requests per second over all clients (default: docker-compose.yml's LOADGEN_RATE)
  --clients N    load: number of distinct client IDs (default: docker-compose.yml's LOADGEN_CLIENTS)
  --no-load      start the fleet without the load generator
  --no-fleet     start only PostgreSQL, Redis, Jaeger, Zipkin and the Collector
  --profile P    default (one Collector, Jaeger on Badger) or scale (agent → 3 gateway Collectors →
                 Kafka → 2 Jaeger ingesters → Cassandra; README "Scaling out")`;

/** Parsed `demo` options. */
export interface DemoArgs {
  /** Stop after this many ms; `undefined` = until Ctrl-C. */
  durationMs?: number;
  /** Start the load generator. Default true. */
  load: boolean;
  /** Start the fleet. Default true. */
  fleet: boolean;
  /** Load shape overrides. */
  loadOptions: LoadOptions;
  /** `scale` with `--profile scale` (startScaleDemo); absent for the default profile (startStack). */
  profile?: 'scale';
}

/** The options of `demo` (`node:util` parseArgs). */
const DEMO_OPTIONS = {
  duration: { type: 'string' },
  rate: { type: 'string' },
  clients: { type: 'string' },
  'no-load': { type: 'boolean' },
  'no-fleet': { type: 'boolean' },
  profile: { type: 'string' },
} as const;

/** parseArgs' complaints, in this CLI's words. */
function usageError(err: Error & { code?: string }, argv: string[]): Error {
  const flag = /'(--?[\w-]+)/.exec(err.message)?.[1] ?? '';
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // `--rate -1`: parseArgs will not take a value starting with a dash
    const next = argv[argv.indexOf(flag) + 1];
    if (next !== undefined && flag !== '--duration') return new Error(`${flag} needs a non-negative number: ${JSON.stringify(next)}`);
    return new Error(`${flag} needs a value`);
  }
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new Error(`unknown option: ${flag}`);
  if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new Error(`unknown option: ${/'([^']*)'/.exec(err.message)?.[1] ?? ''}`);
  return err;
}

/** A non-negative number from `--<flag>`'s text. @throws Error otherwise. */
function nonNegative(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw new Error(`--${flag} needs a non-negative number`);
  return n;
}

/**
 * Parses the arguments after `demo` (see USAGE): `--duration` through `@faultline/signals`'
 * parseDurationMs (`300s`, `5m`, `1h`, `1500ms`; a bare number is seconds), `--rate` and `--clients`
 * as non-negative numbers, `--no-load`, `--no-fleet` (which implies `--no-load`), `--profile default|scale`.
 * @throws Error on an unknown option, a missing value or a bad one, in words for the user.
 */
export function parseDemoArgs(argv: string[]): DemoArgs {
  let values: { duration?: string; rate?: string; clients?: string; 'no-load'?: boolean; 'no-fleet'?: boolean; profile?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: DEMO_OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw usageError(err as Error, argv);
  }
  const profile = values.profile ?? 'default';
  if (profile !== 'default' && profile !== 'scale') throw new Error(`--profile is default or scale, not ${JSON.stringify(profile)}`);
  const out: DemoArgs = { load: !values['no-load'], fleet: !values['no-fleet'], loadOptions: {} };
  if (profile === 'scale') out.profile = 'scale';
  if (values.duration !== undefined) out.durationMs = parseDurationMs(values.duration, '--duration');
  if (values.rate !== undefined) out.loadOptions.rate = nonNegative('rate', values.rate);
  if (values.clients !== undefined) out.loadOptions.clients = nonNegative('clients', values.clients);
  if (!out.fleet) out.load = false;
  return out;
}

/** Per-request timeout of the live summary's reads, ms (one line every 5 s). */
const SUMMARY_TIMEOUT_MS = 3000;
/** The demo's edge service, whose traces the summary counts. */
const EDGE_SERVICE = 'lb';
/** The Collector's exporter to Jaeger (collector/config.yaml): the summary's "out" counts its spans only. */
const JAEGER_EXPORTER = 'otlp_grpc/jaeger';

const clock = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

/** One live summary line: spans into the Collector and out to Jaeger, what Jaeger kept, the load generator's last words. */
async function summary(stack: Stack, since: number, prev: { spans: number }): Promise<string> {
  const parts: string[] = [`[${clock(Date.now() - since)}]`];
  try {
    const m = await scrape(stack.urls.collectorMetrics, { timeoutMs: SUMMARY_TIMEOUT_MS });
    const spans = sumSeries(m, M.collectorAcceptedSpans);
    const sent = sumSeries(m, M.collectorSentSpans, { [L.exporter]: JAEGER_EXPORTER });
    parts.push(`collector: ${spans} spans in (+${spans - prev.spans}/5s), ${sent} out to Jaeger`);
    prev.spans = spans;
  } catch (e) {
    parts.push(`collector: ${(e as Error).message}`);
  }
  try {
    const services = await jaeger.services(stack.urls.jaegerQuery);
    let lbTraces = '-';
    if (services.includes(EDGE_SERVICE)) {
      // Traces that started at the lb between 20 and 10 s ago and that the Collector's tail sampling
      // kept (younger ones may still wait for its decision): at most 500, a small query.
      const end = Date.now() / 1000 - 10;
      const n = (await jaeger.findTraces(stack.urls.jaegerQuery, { service: EDGE_SERVICE }, end - 10, end, 500)).length;
      lbTraces = n >= 500 ? '≥50' : (n / 10).toFixed(1);
    }
    parts.push(`jaeger: ${services.length} services, lb ${lbTraces} kept traces/s (10-20 s ago)`);
  } catch (e) {
    parts.push(`jaeger: ${(e as Error).message}`);
  }
  const loadgen = stack.services.loadgen;
  if (loadgen) {
    const last = tailFile(loadgen.logFile, 1).trim();
    parts.push(`loadgen: ${last.length > 70 ? `${last.slice(0, 67)}...` : last || '(quiet)'}`);
  }
  return parts.join(' · ');
}

/** Runs `demo`: returns the process exit code. */
export async function demo(argv: string[]): Promise<number> {
  let args: DemoArgs;
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  try {
    args = parseDemoArgs(argv);
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.fleet) {
    const missing = missingEntries(loadFleet());
    if (missing.length) {
      console.error(`the demo fleet is not built (missing ${missing.join(', ')}).\nBuild it, or run the backends alone with --no-fleet.`);
      return 1;
    }
  }
  if (args.profile === 'scale') return demoScale(args);
  const t0 = Date.now();
  console.log(
    'faultline demo: starting PostgreSQL, Redis, Jaeger, Zipkin, the Collector' +
      (args.fleet ? ', the fleet' : '') +
      (args.load ? ' and the load' : '') +
      ' ...',
  );
  let stack: Stack;
  try {
    stack = await startStack({
      fleet: args.fleet,
      load: args.load ? args.loadOptions : false,
      log: (l) => console.log(`  ${l}`),
    });
  } catch (e) {
    console.error(`faultline demo: failed to start: ${(e as Error).message}`);
    return 1;
  }
  console.log(
    readyBanner(stack.urls, {
      edgeService: EDGE_SERVICE,
      readyMs: Date.now() - t0,
      stopping: args.durationMs ? `Stopping in ${clock(args.durationMs)}; ` : '',
    }),
  );

  const since = Date.now();
  const prev = { spans: 0 };
  let done!: (reason: string) => void;
  const finished = new Promise<string>((r) => (done = r));
  const timer = setInterval(() => {
    void summary(stack, since, prev).then((l) => console.log(l));
  }, 5000);
  const deadline = args.durationMs ? setTimeout(() => done(`--duration ${clock(args.durationMs!)} over`), args.durationMs) : undefined;
  // `npm run demo` forwards the terminal's Ctrl-C to us, which the terminal also sends us directly:
  // a repeat within 2 s is the same Ctrl-C. A later one means "now": exit, the exit hook kills all.
  let firstSignalAt = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    if (!firstSignalAt) {
      firstSignalAt = Date.now();
      done(sig);
    } else if (Date.now() - firstSignalAt > 2000) {
      console.error(`faultline demo: ${sig} again, killing everything`);
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const reason = await finished;
  clearInterval(timer);
  if (deadline) clearTimeout(deadline);
  console.log(`faultline demo: ${reason}, stopping ...`);
  const s0 = Date.now();
  await stack.stop();
  console.log(`faultline demo: stopped in ${((Date.now() - s0) / 1000).toFixed(1)} s`);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return 0;
}

/** CLI entry: `cli.js demo [options]`. */
async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'demo') return demo(rest);
  console.error(USAGE);
  return 2;
}

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  // exit at once: idle keep-alive sockets of fetch would otherwise hold the process for seconds
  process.exit(await main(process.argv.slice(2)));
}
