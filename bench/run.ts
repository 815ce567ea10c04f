/**
 * `npm run bench`: faultline's overhead, measured side by side in one run on this machine.
 *
 *   node bench/run.ts [--quick] [--rounds 3] [--duration 10] [--warmup 2] [--route /v1/stock/:id]
 *                     [--app api,plain-http] [--no-sampling] [--no-breakdown] [--capacity-duration 30]
 *                     [--bsp-sweep] [--profile | --no-profile] [--max-attempts 3] [--unused]
 *
 * `--max-attempts`: most measurements of one run while other work on the machine uses more than 0.15
 * cores (default 3, the least disturbed kept); 1 on a machine that is busy throughout.
 * `--app`: the apps measured, in order (default both): `api` (the demo api: every setup) and
 * `plain-http` (`bench/apps/plain-http.mjs`: bare, faultline, stock, `fl:sampler-off`, the lever rows, `fl:-http`).
 *
 * Starts real PostgreSQL, Redis, Jaeger and the Collector on free ports; prints a table and writes
 * bench/results/<date>.json. Targets are printed PASS/FAIL; the exit code is 0 either way (a
 * benchmark informs, tests decide). CPU profiles of every app, layer by layer, are taken when the api's
 * throughput, p99 or CPU target is missed (`--profile` always, `--no-profile` never). `--unused` adds the rows of the
 * instrumentations the api does not use (`fl:-fastify`, …, `fl:-stacks`; see `unused()` in setups.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startApp } from './app.ts';
import { apiApp, PLAIN_HTTP, startUpstream, type BenchApp } from './apps.ts';
import { capacity, DEFAULT_BSP, type CapacityResult, type CapacitySpec } from './capacity.ts';
import { storeRate } from './collector-stats.ts';
import { freshness } from './freshness.ts';
import { DEFAULT_ROUTE } from './load.ts';
import { overhead } from './overhead.ts';
import { machine } from './proc.ts';
import { diffPackages, profileSetup, type ProfileSummary } from './profile.ts';
import { report, targets, type AppFigures, type AppProfile, type ExportCost, type Stamping, type StartupMemory } from './report.ts';
import { startBenchStack } from './stack.ts';
import { bounds, breakdown, levers, setup, setups, unused } from './setups.ts';

const { values: v } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    route: { type: 'string', default: DEFAULT_ROUTE },
    app: { type: 'string', default: 'api,plain-http' },
    'no-sampling': { type: 'boolean', default: false },
    'no-breakdown': { type: 'boolean', default: false },
    'capacity-duration': { type: 'string', default: '30' },
    'bsp-sweep': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
    unused: { type: 'boolean', default: false },
    'max-attempts': { type: 'string', default: '3' },
  },
});
const quick = v.quick;
const settings = {
  quick,
  rounds: quick ? 1 : Number(v.rounds),
  durationS: quick ? 3 : Number(v.duration),
  warmupS: quick ? 1 : Number(v.warmup),
  route: v.route,
  connections: 32,
  capacityDurationS: quick ? 5 : Number(v['capacity-duration']),
  freshnessRequests: quick ? 10 : 30,
  /** Most measurements per run when other work disturbs them (the least disturbed is kept). */
  maxAttempts: Number(v['max-attempts']),
};
/** `OTEL_BSP_*` tried when the default queue drops at 20,000 spans/s: 4× the queue, 4× the batch. */
const TUNED_BSP = { OTEL_BSP_MAX_QUEUE_SIZE: '8192', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2048', OTEL_BSP_SCHEDULE_DELAY: '1000' };
const log = (s: string) => process.stdout.write(`${s}\n`);
const fail = (msg: string): never => {
  throw new Error(msg);
};
const t0 = Date.now();

const desc = machine();
const stack = await startBenchStack();
try {
  log(
    `faultline bench: ${settings.rounds} round(s) × ${settings.durationS} s per setup (+${settings.warmupS} s warm-up), autocannon ${settings.connections} connections, ` +
      `GET ${settings.route}; ${desc.cpu}, ${desc.cores} cores, load average ${desc.loadAvgAtStart}`,
  );

  const stamping = JSON.parse(
    execFileSync(process.execPath, ['bench/stamping.ts', ...(quick ? ['--spans', '50000', '--rounds', '3'] : [])], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!,
  ) as Stamping;
  log(`stamping: ${stamping.stampingNsPerSpan} ns/span (bare span ${stamping.nsPerSpanBare} ns)`);
  const startupMemory = JSON.parse(
    execFileSync(process.execPath, ['bench/startup-memory.ts', ...(quick ? ['--rounds', '1'] : [])], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!,
  ) as StartupMemory;
  log(`start-up memory: ${JSON.stringify(startupMemory)}`);
  const exportCost = JSON.parse(
    execFileSync(process.execPath, ['bench/export-cost.ts', ...(quick ? ['--rounds', '3', '--spans', '8192'] : [])], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!,
  ) as ExportCost;
  log(`export cost: ${JSON.stringify(exportCost.serializeUsPerSpan)}`);

  // Freshness first, on the idle pipeline (after the overhead runs, it waits behind their backlog: see below).
  const fl = setup('faultline');
  const freshApp = await startApp(fl, stack.appPort, stack.env);
  const fresh = await freshness(freshApp.url, settings.route, stack.jaeger.queryUrl, settings.freshnessRequests).finally(() =>
    freshApp.stop(),
  );
  log(`freshness: p50 ${fresh.p50} ms, p95 ${fresh.p95} ms, max ${fresh.max} ms, missing ${fresh.missing}`);

  const known: Record<string, BenchApp> = { api: apiApp(settings.route), 'plain-http': PLAIN_HTTP };
  const wanted = v.app.split(',').map((n) => known[n.trim()] ?? fail(`unknown app ${n} (known: ${Object.keys(known).join(', ')})`));
  const upstream = await startUpstream();
  const apps: AppFigures[] = [];
  try {
    for (const app of wanted) {
      // The api gets every layer; the second app the main three, the sampler-off layer (for µs per exported
      // span) and the http bound (it has no express); both a row per kept lever.
      const list =
        app.name === 'api'
          ? [
              ...setups(!v['no-sampling'] && !quick),
              ...(quick || v['no-breakdown'] ? [] : [...breakdown(), ...levers(), ...bounds()]),
              ...(v.unused ? unused() : []),
            ]
          : [...setups(false), ...(v['no-breakdown'] ? [] : [setup('fl:sampler-off'), ...levers(), setup('fl:-http')])];
      log(`app ${app.name}: ${app.description}`);
      const figures = await overhead(list, {
        ...settings,
        route: app.route,
        entry: app.entry,
        port: stack.appPort,
        env: { ...stack.env, UPSTREAM_URL: upstream.url },
        collectorMetrics: stack.collector.metricsUrl,
        pipelinePids: [stack.pids.collector, stack.pids.jaeger],
        stackGroups: stack.groups,
        log,
      });
      apps.push({ app: app.name, route: app.route, description: app.description, figures });
    }
  } finally {
    upstream.stop();
  }
  const figures = apps[0]!.figures;

  // What the overhead runs left queued for Jaeger, and how fast Jaeger stores it: the runs make ~10,000 spans/s
  // for minutes, more than one Jaeger on Badger stores on these cores, so the Collector's file queue holds a
  // backlog that takes many minutes to drain (a trace made now waits behind it).
  const stored = await storeRate(stack.collector.metricsUrl, quick ? 5 : 20);
  log(
    `Jaeger store rate: ${stored.spansPerSec} spans/s over ${stored.windowS} s (Collector's queue for it: ${stored.queuedBefore} → ${stored.queuedAfter} batches)`,
  );

  const target = {
    otlpHttpUrl: stack.collector.otlpHttpUrl,
    collectorMetrics: stack.collector.metricsUrl,
    prometheusUrl: stack.collector.prometheusUrl,
  };
  const capS = settings.capacityDurationS;
  const specs: CapacitySpec[] = [
    { label: 'as fast as it can', rate: 0, durationS: capS, bsp: DEFAULT_BSP },
    { label: '20,000 spans/s', rate: 20_000, durationS: capS, bsp: DEFAULT_BSP },
  ];
  if (v['bsp-sweep']) specs.push({ label: 'as fast as it can', rate: 0, durationS: capS, bsp: TUNED_BSP });
  const cap: CapacityResult[] = [];
  const logCap = (c: CapacityResult) =>
    log(
      `capacity (${c.label}, ${Object.values(c.bsp).join('/')}): made ${c.made} (${c.madePerSec.toFixed(0)}/s), Collector accepted ${c.accepted} ` +
        `(${c.acceptedPerSec.toFixed(0)}/s), dropped ${c.dropped}, SDK queue_full ${c.sdk?.queueFull ?? 'n/a'}, peak RSS ${c.peakRssMb.toFixed(0)} MB`,
    );
  for (const spec of specs) {
    cap.push(await capacity(spec, target));
    logCap(cap.at(-1)!);
  }
  const paced = cap.find((c) => c.rate === 20_000)!;
  if (paced.dropped > 0 || paced.sdk?.queueFull) {
    cap.push(await capacity({ label: '20,000 spans/s', rate: 20_000, durationS: capS, bsp: TUNED_BSP }, target));
    logCap(cap.at(-1)!);
  }

  const date = new Date().toISOString().slice(0, 10);
  const run = {
    date,
    machine: desc,
    settings: { ...settings, apps: wanted.map((a) => a.name) },
    stamping,
    exportCost,
    startupMemory,
    figures,
    apps,
    capacity: cap,
    freshness: fresh,
    jaegerStoreRate: stored,
    elapsedS: 0,
  };
  // The api's throughput, p99 and CPU targets decide whether the profiles are taken; they are taken on every app measured.
  const missed = targets(run)
    .slice(0, 3)
    .some((t) => !t.ok);
  const profiles: AppProfile[] = [];
  if (v.profile || (missed && !quick && !v['no-profile'])) {
    const up = wanted.some((a) => a.name === PLAIN_HTTP.name) ? await startUpstream() : undefined;
    const env = { ...stack.env, ...(up ? { UPSTREAM_URL: up.url } : {}) };
    try {
      for (const app of wanted) {
        // Layer by layer, so that the report says which layer costs what: bare, the instrumentations with
        // no SDK, the SDK recording nothing, faultline.
        const layers: ProfileSummary[] = [];
        for (const s of [setup('bare'), setup('fl:sdk-off'), setup('fl:sampler-off'), fl]) {
          layers.push(await profileSetup(s, stack.appPort, env, app.route, settings.durationS, settings.warmupS, app.entry));
          log(
            `profile ${app.name} ${s.name}: ${layers.at(-1)!.file}, ${layers.at(-1)!.cpuUsPerRequest} µs/request on the main thread (${layers.at(-1)!.load.rps.toFixed(0)} req/s under the profiler)`,
          );
        }
        profiles.push({ app: app.name, layers, delta: diffPackages(layers[0]!, layers.at(-1)!) });
      }
    } finally {
      up?.stop();
    }
  }

  const { markdown, json } = report({ ...run, profiles, elapsedS: Math.round((Date.now() - t0) / 1000) });
  log(`\n${markdown}`);
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/${date}${quick ? '-quick' : ''}.json`;
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  log(`\nresults: ${file} (${json.elapsedS} s)`);
} finally {
  await stack.stop();
}
