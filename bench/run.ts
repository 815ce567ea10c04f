/**
 * `npm run bench`: faultline's overhead, measured side by side in one run on this machine.
 *
 *   node bench/run.ts [--quick] [--rounds 3] [--duration 10] [--warmup 3] [--no-sampling]
 *
 * Starts real PostgreSQL, Redis, Jaeger and the Collector on free ports; prints a table and writes
 * bench/results/<date>.json. Targets are printed PASS/FAIL; the exit code is 0 either way (a
 * benchmark informs, tests decide).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { freePorts, startCollector, startJaeger, startPostgres, startRedis } from '../stack/src/index.ts';
import { startApp } from './app.ts';
import { capacity } from './capacity.ts';
import { freshness } from './freshness.ts';
import { overhead } from './overhead.ts';
import { report } from './report.ts';
import { breakdown, setups } from './setups.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    'no-sampling': { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const rounds = quick ? 1 : Number(values.rounds);
const durationS = quick ? 3 : Number(values.duration);
const warmupS = quick ? 1 : Number(values.warmup);
const log = (s: string) => process.stdout.write(`${s}\n`);

const [pg, redis, g, h, he, pr, me, jg, jh, jq, jqg, jhe, jm, appPort] = await freePorts(14);
const [postgres, redisI, jaeger] = await Promise.all([
  startPostgres({ port: pg!, settings: { max_connections: '200' } }),
  startRedis({ port: redis! }),
  startJaeger({ ports: { otlpGrpc: jg!, otlpHttp: jh!, query: jq!, queryGrpc: jqg!, health: jhe!, metrics: jm! } }),
]);
const collector = await startCollector({ ports: { otlpGrpc: g!, otlpHttp: h!, health: he!, prometheus: pr!, metrics: me! }, jaegerOtlpEndpoint: jaeger.otlpGrpcEndpoint });
const env = { ...postgres.env, REDIS_URL: `redis://127.0.0.1:${redisI.port}`, OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl, PARTNER_URL: 'http://127.0.0.1:9' };
try {
  log(`faultline bench: ${rounds} round(s) × ${durationS} s per setup (+${warmupS} s warm-up), autocannon 32 connections, GET /v1/stock/:id`);
  const stamping = JSON.parse(execFileSync(process.execPath, ['bench/stamping.ts', ...(quick ? ['--spans', '50000', '--rounds', '3'] : [])], { encoding: 'utf8' }).trim().split('\n').pop()!);
  log(`stamping: ${stamping.stampingNsPerSpan} ns/span (bare span ${stamping.nsPerSpanBare} ns)`);
  const list = [...setups(!values['no-sampling'] && !quick), ...(quick ? [] : breakdown())];
  const figures = await overhead(list, rounds, durationS, warmupS, appPort!, env, collector.metricsUrl, log);
  const capDuration = quick ? 5 : 30;
  const cap = [
    await capacity('20,000 spans/s, default queue', 20_000, capDuration, { OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl }, collector.metricsUrl),
    await capacity('as fast as possible, default queue', 0, capDuration, { OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl }, collector.metricsUrl),
  ];
  for (const c of cap) log(`capacity (${c.label}): made ${c.made} (${c.madePerSec.toFixed(0)}/s), Collector accepted ${c.accepted} (${c.acceptedPerSec.toFixed(0)}/s), dropped ${c.dropped}`);
  const app = await startApp(setups(false)[1]!, appPort!, env);
  const fresh = await freshness(app.url, jaeger.queryUrl, quick ? 10 : 30).finally(() => app.stop());
  log(`freshness: p50 ${fresh.p50} ms, p95 ${fresh.p95} ms`);
  const machine = {
    cpu: os.cpus()[0]?.model ?? '?',
    cores: os.cpus().length,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
  const { markdown, json } = report({ machine, stamping, figures, capacity: cap, freshness: fresh, quick, rounds, durationS });
  log(`\n${markdown}`);
  const date = new Date().toISOString().slice(0, 10);
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/${date}${quick ? '-quick' : ''}.json`;
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  log(`results: ${file}`);
} finally {
  await collector.stop();
  await Promise.all([jaeger.stop(), redisI.stop(), postgres.stop()]);
}
