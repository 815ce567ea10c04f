/**
 * The setups compared side by side: the demo api bare, with faultline's preload, and with the stock
 * `@opentelemetry/auto-instrumentations-node/register` (plus the loader flag its documentation asks
 * for with ESM apps), each also at 10% head sampling; and a breakdown of where faultline's cost is.
 */

/** One way of starting the app. */
export interface Setup {
  /** Short name used in tables: `bare`, `faultline`, `stock`, `faultline@10%`, `stock@10%`, `fl:…`. */
  name: string;
  /** Node flags before the entry script. */
  flags: string[];
  /** Extra environment (on top of the stack's PG*, REDIS_URL, OTEL_EXPORTER_OTLP_ENDPOINT). */
  env: Record<string, string>;
}

const SAMPLED = { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' };
const ALL = { OTEL_TRACES_SAMPLER: 'parentbased_always_on' };
/**
 * Stock: traces and metrics over OTLP/HTTP protobuf like faultline, no logs exporter (faultline has
 * none), and only local resource detectors: its default `all` also probes the AWS, Azure, GCP and
 * Alibaba metadata endpoints at start-up, which must not be contacted from these machines.
 */
const STOCK = {
  OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
  OTEL_TRACES_EXPORTER: 'otlp',
  OTEL_METRICS_EXPORTER: 'otlp',
  OTEL_LOGS_EXPORTER: 'none',
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
};
/**
 * The api is ESM: `@opentelemetry/instrumentation`'s README asks for its import-in-the-middle hook as
 * `--experimental-loader` (the register entry alone patches nothing loaded through `import`).
 */
export const STOCK_FLAGS = [
  '--experimental-loader=@opentelemetry/instrumentation/hook.mjs',
  '--import',
  '@opentelemetry/auto-instrumentations-node/register',
];
/** faultline: one flag, ESM or CommonJS. */
export const FAULTLINE_FLAGS = ['--import', '@faultline/instrumentation/register'];

/**
 * Where faultline's cost comes from: the preload with `FAULTLINE_ENABLED=false` (loads nothing), with
 * `OTEL_SDK_DISABLED=true` (hooks and instrumentations loaded, no SDK), with the sampler off (SDK
 * running, no span recorded), and with log sending off (`OTEL_LOGS_EXPORTER=none`: against the
 * `faultline` row, whose pino records are stamped, redacted and exported, the cost of the log pipeline).
 */
export function breakdown(): Setup[] {
  return [
    { name: 'fl:disabled', flags: FAULTLINE_FLAGS, env: { FAULTLINE_ENABLED: 'false' } },
    { name: 'fl:sdk-off', flags: FAULTLINE_FLAGS, env: { OTEL_SDK_DISABLED: 'true' } },
    { name: 'fl:sampler-off', flags: FAULTLINE_FLAGS, env: { OTEL_TRACES_SAMPLER: 'always_off' } },
    { name: 'fl:logs-off', flags: FAULTLINE_FLAGS, env: { ...ALL, OTEL_LOGS_EXPORTER: 'none' } },
  ];
}

/**
 * One row per kept overhead lever (issue 20), each with the lever switched off, every span sampled: against the
 * `faultline` row, what the lever saves. `fl:connect-spans`: every pg-pool acquire a `pg-pool.connect` span
 * (`FAULTLINE_POOL_CONNECT_SPAN_MIN_MS=0`, the behaviour before the lever) instead of only those that waited
 * 1 ms or more or failed.
 */
export function levers(): Setup[] {
  return [{ name: 'fl:connect-spans', flags: FAULTLINE_FLAGS, env: { ...ALL, FAULTLINE_POOL_CONNECT_SPAN_MIN_MS: '0' } }];
}

/**
 * What one contrib instrumentation costs in all (its patches, its spans and their export), every span sampled:
 * the most a cheaper way of making the same spans could save. `fl:-http` (`OTEL_NODE_DISABLED_INSTRUMENTATIONS=http`):
 * no server span, so the bound of an http server instrumentation on Node's diagnostics channels (issue 20,
 * lever 2); `fl:-express` (api only): the express instrumentation's per-layer wrapping, the bound of reading
 * the route at response end instead (lever 4). A row here loses what its instrumentation gives: a bound, not
 * a setting.
 */
export function bounds(): Setup[] {
  const off = (name: string): Setup => ({
    name: `fl:-${name}`,
    flags: FAULTLINE_FLAGS,
    env: { ...ALL, OTEL_NODE_DISABLED_INSTRUMENTATIONS: name },
  });
  return [off('http'), off('express')];
}

/**
 * The instrumentations added for other stacks than the demo's (fastify, koa, knex, generic-pool, the
 * `redis` client), which the demo api does not use: one row per instrumentation with it switched off
 * (`OTEL_NODE_DISABLED_INSTRUMENTATIONS`), and one with all of them off, every span sampled. Against the
 * `faultline` row, what each costs an app that does not use its library (it should be nothing measurable).
 */
export const UNUSED_INSTRUMENTATIONS = ['fastify', 'koa', 'knex', 'generic-pool', 'redis'] as const;

/** The rows of {@link UNUSED_INSTRUMENTATIONS}: `fl:-<name>` each, then `fl:-stacks` (all of them off). */
export function unused(): Setup[] {
  const row = (name: string, off: readonly string[]): Setup => ({
    name,
    flags: FAULTLINE_FLAGS,
    env: { ...ALL, OTEL_NODE_DISABLED_INSTRUMENTATIONS: off.join(',') },
  });
  return [...UNUSED_INSTRUMENTATIONS.map((n) => row(`fl:-${n}`, [n])), row('fl:-stacks', UNUSED_INSTRUMENTATIONS)];
}

/** The main setups, in the order of a round; the 10% ones when `withSampling`. */
export function setups(withSampling: boolean): Setup[] {
  const list: Setup[] = [
    { name: 'bare', flags: [], env: {} },
    { name: 'faultline', flags: FAULTLINE_FLAGS, env: { ...ALL } },
    { name: 'stock', flags: STOCK_FLAGS, env: { ...ALL, ...STOCK } },
  ];
  if (withSampling) {
    list.push(
      { name: 'faultline@10%', flags: FAULTLINE_FLAGS, env: { ...SAMPLED } },
      { name: 'stock@10%', flags: STOCK_FLAGS, env: { ...SAMPLED, ...STOCK } },
    );
  }
  return list;
}

/** The setup called `name` among {@link setups}, {@link breakdown}, {@link levers}, {@link bounds} and {@link unused}. @throws if there is none. */
export function setup(name: string): Setup {
  const s = [...setups(true), ...breakdown(), ...levers(), ...bounds(), ...unused()].find((x) => x.name === name);
  if (!s) throw new Error(`no setup ${name}`);
  return s;
}
