/**
 * `@faultline/instrumentation`: use it as a preload (`--import @faultline/instrumentation/register`).
 * These exports are for tests, benchmarks and apps that want to read what faultline knows.
 */
export { readConfig, DEFAULTS, type FaultlineConfig } from './config.ts';
export { sanitizeClientId, clientIdOf, withClientId, ClientIdPropagator, type ClientIdPropagatorOptions } from './spans/client-id.ts';
export { PoolRegistry, poolNameOf, type PgPoolLike, type PoolAdapter, type PoolSnapshot } from './pools/registry.ts';
export { StampingSpanProcessor } from './spans/stamping-processor.ts';
export { startSdk, type FaultlineSdk } from './export/sdk.ts';
export { otlpEndpoint } from './export/otlp.ts';
export * from './semconv.ts';
