/**
 * `@faultline/stack`: installs nothing (scripts/bootstrap.sh does), starts and stops faultline's native
 * stack — PostgreSQL, Redis, Jaeger, VictoriaLogs, Zipkin and its bridge, the Collector, Prometheus, Alertmanager and
 * the demo fleet — for `npm run demo` and the tests.
 */
export {
  REPO_ROOT,
  COLLECTOR_CONFIG,
  ZIPKIN_BRIDGE_CONFIG,
  JAEGER_CONFIG,
  COMPOSE_FILE,
  ALERTMANAGER_CONFIG,
  ALERT_RULES,
  cacheDir,
  runDir,
  logDir,
  binaries,
  requireBinary,
  readEnvFile,
  type Binaries,
} from './paths.ts';
export { spawnManaged, runToEnd, type ManagedProcess, type SpawnOptions, type ExitInfo, type RunResult } from './process.ts';
export { reapStale } from './pids.ts';
export { tailFile } from './logs.ts';
export { userIds } from './users.ts';
export { waitUntil, tcpProbe, httpProbe, type Probe, type WaitOptions } from './wait.ts';
export { isPortFree, assertPortFree, freePort, freePorts } from './ports.ts';
export { startPostgres, POSTGRES_PORT, type PostgresOptions, type PostgresInstance } from './postgres.ts';
export { startRedis, redisCommand, REDIS_PORT, type RedisOptions, type RedisInstance } from './redis.ts';
export {
  startCollector,
  validateCollectorConfig,
  collectorEnv,
  COLLECTOR_PORTS,
  KEEP_ALL_TRACES_ENV,
  NO_ZIPKIN_BRIDGE,
  type CollectorOptions,
  type CollectorInstance,
  type CollectorPorts,
} from './collector.ts';
export { startPrometheus, nativePrometheusConfig, PROMETHEUS_PORT, type PrometheusOptions, type PrometheusInstance } from './prometheus.ts';
export {
  startAlertmanager,
  nativeAlertmanagerConfig,
  ALERTMANAGER_PORT,
  WEBHOOK_ENV,
  WEBHOOK_PLACEHOLDER,
  type AlertmanagerOptions,
  type AlertmanagerInstance,
} from './alertmanager.ts';
export {
  startVictoriaLogs,
  victoriaLogsRetention,
  VICTORIALOGS_PORT,
  type VictoriaLogsOptions,
  type VictoriaLogsInstance,
} from './victorialogs.ts';
export { startJaeger, jaegerEnv, JAEGER_PORTS, type JaegerOptions, type JaegerInstance, type JaegerPorts } from './jaeger.ts';
export { startZipkin, ZIPKIN_PORT, type ZipkinOptions, type ZipkinInstance } from './zipkin.ts';
export {
  startZipkinBridge,
  zipkinBridgeEnv,
  ZIPKIN_BRIDGE_PORTS,
  type ZipkinBridgeOptions,
  type ZipkinBridgeInstance,
  type ZipkinBridgePorts,
} from './zipkin-bridge.ts';
export {
  startFleet,
  loadFleet,
  readCompose,
  mapHosts,
  dependencyOrder,
  missingEntries,
  loadEnv,
  toMap,
  dependsOnOf,
  type Fleet,
  type FleetOptions,
  type FleetService,
  type RunningService,
  type LoadOptions,
} from './fleet.ts';
export { startBackends, type BackendsOptions, type RunningBackends } from './backends.ts';
export { readyBanner, type BannerOptions } from './banner.ts';
export { clientTrafficQuery, prometheusGraphUrl, zipkinSearchUrl, zipkinTraceUrl, type ZipkinSearch } from './links.ts';
export { startStack, type Stack, type StackOptions, type StackUrls, type StackService } from './stack.ts';
