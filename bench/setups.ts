/**
 * The setups compared side by side: the demo api bare, with faultline's preload, and with the stock
 * `@opentelemetry/auto-instrumentations-node/register` (which needs the import-in-the-middle loader
 * flag on top for an ESM app), each optionally at 10% head sampling.
 */

/** One way of starting the app. */
export interface Setup {
  /** Short name used in tables: `bare`, `faultline`, `stock`, `faultline@10%`, `stock@10%`. */
  name: string;
  /** Node flags before the entry script. */
  flags: string[];
  /** Extra environment. */
  env: Record<string, string>;
}

const SAMPLED = { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' };
const ALL = { OTEL_TRACES_SAMPLER: 'parentbased_always_on' };
// Stock: only local resource detectors. Its defaults also probe cloud metadata addresses, which
// must not be contacted from these machines (and would cost start-up time anywhere off-cloud).
const STOCK = { OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process', OTEL_TRACES_EXPORTER: 'otlp', OTEL_METRICS_EXPORTER: 'otlp', OTEL_LOGS_EXPORTER: 'none', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' };
const STOCK_FLAGS = ['--experimental-loader=@opentelemetry/instrumentation/hook.mjs', '--import', '@opentelemetry/auto-instrumentations-node/register'];
const FAULTLINE_FLAGS = ['--import', '@faultline/instrumentation/register'];

/**
 * Where the cost comes from (faultline variants): the preload with `FAULTLINE_ENABLED=false` (loads
 * nothing), with `OTEL_SDK_DISABLED=true` (hooks and instrumentations loaded, no SDK), and with the
 * sampler off (SDK running, nothing recorded).
 */
export function breakdown(): Setup[] {
  return [
    { name: 'fl:disabled', flags: FAULTLINE_FLAGS, env: { FAULTLINE_ENABLED: 'false' } },
    { name: 'fl:sdk-off', flags: FAULTLINE_FLAGS, env: { OTEL_SDK_DISABLED: 'true' } },
    { name: 'fl:sampler-off', flags: FAULTLINE_FLAGS, env: { OTEL_TRACES_SAMPLER: 'always_off' } },
  ];
}

/** The setups, in the order each round runs them. */
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
