/**
 * `@faultline/stack`: installs nothing (scripts/bootstrap.sh does), starts and stops faultline's native
 * stack — PostgreSQL, Redis, Toxiproxy, Jaeger, VictoriaLogs, Zipkin and its bridge, the Collector, Prometheus, Alertmanager and
 * the demo fleet — for `npm run demo` and the tests.
 */
export {
  REPO_ROOT,
  COLLECTOR_CONFIG,
  PROMETHEUS_SCALE_CONFIG,
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
export { startTogether, type Stoppable } from './together.ts';
export { tailFile } from './logs.ts';
export { userIds } from './users.ts';
export { waitUntil, tcpProbe, httpProbe, type Probe, type WaitOptions } from './wait.ts';
export { isPortFree, assertPortFree, freePort, freePorts, freePortsExcept } from './ports.ts';
export { startPostgres, POSTGRES_PORT, type PostgresOptions, type PostgresInstance } from './postgres.ts';
export { startRedis, redisCommand, REDIS_PORT, type RedisOptions, type RedisInstance } from './redis.ts';
export { startMariaDb, type MariaDbOptions, type MariaDbInstance } from './mariadb.ts';
export { startRabbitMq, amqpProbe, type RabbitMqOptions, type RabbitMqInstance } from './rabbitmq.ts';
export { startKafka, kraftProperties, kafkaClusterId, type KafkaOptions, type KafkaInstance } from './kafka.ts';
export {
  startCassandra,
  cassandraHeapMb,
  cassandraJvmArgs,
  CASSANDRA_CONFIG,
  type CassandraOptions,
  type CassandraInstance,
} from './cassandra.ts';
export { startRestartable, type Restartable } from './scale-process.ts';
export { consumerLag, type ConsumerLag } from './kafka-lag.ts';
export { startScaleDemo, SCALE_PROMETHEUS_PORT, type ScaleDemo, type ScaleDemoOptions } from './scale-demo.ts';
export {
  startScale,
  staticResolver,
  SCALE_AGENT_CONFIG,
  SCALE_GATEWAY_CONFIG,
  SCALE_INGESTER_CONFIG,
  SCALE_QUERY_CONFIG,
  SCALE_CASSANDRA_STORAGE_CONFIG,
  SCALE_TOPIC,
  SCALE_CONSUMER_GROUP,
  SCALE_FIXED_PORTS,
  type ScaleOptions,
  type ScaleStack,
  type ScaleCollector,
} from './scale.ts';
export {
  startCollector,
  freeCollectorPorts,
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
  STATUS_WEBHOOK_PLACEHOLDER,
  type AlertmanagerOptions,
  type AlertmanagerInstance,
} from './alertmanager.ts';
export { startStatusWebhook, STATUS_WEBHOOK_PORT, type StatusWebhookOptions, type StatusWebhookInstance } from './status-webhook.ts';
export {
  startVictoriaLogs,
  victoriaLogsRetention,
  VICTORIALOGS_PORT,
  type VictoriaLogsOptions,
  type VictoriaLogsInstance,
} from './victorialogs.ts';
export {
  startToxiproxy,
  nativeProxies,
  TOXIPROXY_PORT,
  TOXIPROXY_CONFIG,
  type ToxiproxyOptions,
  type ToxiproxyInstance,
  type ProxyConfig,
} from './toxiproxy.ts';
export {
  startJaeger,
  jaegerEnv,
  JAEGER_PORTS,
  JAEGER_GOMEMLIMIT,
  type JaegerOptions,
  type JaegerInstance,
  type JaegerPorts,
} from './jaeger.ts';
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
export {
  supervise,
  parseRestartPolicy,
  shouldRestart,
  describeExit,
  RESTART_BACKOFF_MS,
  RESTARTS_PER_MINUTE,
  type Restart,
  type RestartPolicy,
  type Supervised,
  type SuperviseOptions,
} from './restart.ts';
export { startBackends, type BackendsOptions, type RunningBackends } from './backends.ts';
export { readyBanner, type BannerOptions } from './banner.ts';
export { clientTrafficQuery, prometheusGraphUrl, zipkinSearchUrl, zipkinTraceUrl, type ZipkinSearch } from './links.ts';
export { startStack, type Stack, type StackOptions, type StackUrls, type StackService } from './stack.ts';
