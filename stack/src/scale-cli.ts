/**
 * `npm run demo -- --profile scale`: starts the scale demo (scale-demo.ts), prints where to look and,
 * every 5 s, one line: spans the agent accepted, spans the gateways sent to Kafka, the ingesters'
 * consumer lag, and the services in Jaeger (on Cassandra). Stops on Ctrl-C or after `--duration`.
 */
import { jaeger, L, M, scrape, sumSeries } from '@faultline/signals';
import type { LoadOptions } from './fleet.ts';
import { consumerLag } from './kafka-lag.ts';
import { logDir } from './paths.ts';
import { SCALE_CONSUMER_GROUP, SCALE_TOPIC } from './scale.ts';
import { startScaleDemo, type ScaleDemo } from './scale-demo.ts';

/** What `demo --profile scale` needs of the parsed options. */
export interface ScaleDemoArgs {
  durationMs?: number;
  load: boolean;
  fleet: boolean;
  loadOptions: LoadOptions;
}

/** The gateways' exporter to Kafka (collector/scale/gateway.yaml). */
const KAFKA_EXPORTER = 'kafka';

async function summary(d: ScaleDemo, since: number): Promise<string> {
  const parts = [`[${Math.round((Date.now() - since) / 1000)}s]`];
  try {
    const a = sumSeries(await scrape(d.scale.agent.metricsUrl, { timeoutMs: 3000 }), M.collectorAcceptedSpans);
    let out = 0;
    for (const g of d.scale.gateways) {
      out += sumSeries(await scrape(g.metricsUrl, { timeoutMs: 3000 }), M.collectorSentSpans, { [L.exporter]: KAFKA_EXPORTER });
    }
    parts.push(`agent: ${a} spans in · gateways: ${out} spans to Kafka`);
  } catch (e) {
    parts.push(`collectors: ${(e as Error).message}`);
  }
  try {
    parts.push(`ingester lag: ${(await consumerLag(d.scale.kafka.broker, SCALE_CONSUMER_GROUP, SCALE_TOPIC)).total}`);
  } catch (e) {
    parts.push(`kafka: ${(e as Error).message}`);
  }
  try {
    parts.push(`jaeger: ${(await jaeger.services(d.scale.query.queryUrl)).length} services`);
  } catch (e) {
    parts.push(`jaeger: ${(e as Error).message}`);
  }
  return parts.join(' · ');
}

/** Runs the scale demo; returns the process exit code (1 if it did not start). */
export async function demoScale(args: ScaleDemoArgs): Promise<number> {
  const t0 = Date.now();
  console.log(
    'faultline demo (scale profile): starting PostgreSQL, Redis, Toxiproxy, Cassandra, Kafka, Jaeger query and ingesters, 3 gateways, the agent ...',
  );
  let d: ScaleDemo;
  try {
    d = await startScaleDemo({ fleet: args.fleet, load: args.load ? args.loadOptions : false, log: (l) => console.log(`  ${l}`) });
  } catch (e) {
    console.error(`faultline demo: failed to start: ${(e as Error).message}`);
    return 1;
  }
  const s = d.scale;
  console.log(
    [
      `faultline demo (scale) ready in ${((Date.now() - t0) / 1000).toFixed(1)} s:`,
      `  OTLP into the agent    ${s.agent.otlpHttpUrl} (gRPC ${s.agent.otlpGrpcEndpoint})`,
      `  Jaeger query API       ${s.query.queryUrl}/api/services (traces on Cassandra 127.0.0.1:${s.cassandra.port}, heap ${s.cassandra.heapMb} MiB)`,
      `  Prometheus             ${d.prometheus.url}/classic/graph (every Collector and Jaeger role)`,
      `  Kafka                  ${s.kafka.broker} (heap ${s.kafka.heapMb} MiB), topic ${SCALE_TOPIC}, group ${SCALE_CONSUMER_GROUP}`,
      `  logs                   ${logDir()}`,
    ].join('\n'),
  );
  const since = Date.now();
  const timer = setInterval(() => void summary(d, since).then((l) => console.log(l)), 5000);
  const reason = await new Promise<string>((resolve) => {
    if (args.durationMs) setTimeout(() => resolve('--duration over'), args.durationMs).unref();
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  clearInterval(timer);
  console.log(`faultline demo: ${reason}, stopping ...`);
  await d.stop();
  return 0;
}
