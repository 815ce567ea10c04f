/**
 * `@faultline/instrumentation`: use it as a preload (`--import @faultline/instrumentation/register`).
 * These exports are for tests, benchmarks and apps that want to read what faultline knows.
 */
export { readConfig, DEFAULTS, type FaultlineConfig } from './config.ts';
export { sanitizeClientId, clientIdOf, withClientId, ClientIdPropagator, type ClientIdPropagatorOptions } from './client-id.ts';
export { PoolRegistry, poolNameOf, type PgPoolLike, type PoolSnapshot } from './pool-registry.ts';
export { StampingSpanProcessor } from './stamping-processor.ts';
export { startSdk, otlpEndpoint, type FaultlineSdk } from './sdk.ts';
export * from './semconv.ts';
