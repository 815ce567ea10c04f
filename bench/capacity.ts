/**
 * Export capacity: one process (faultline's preload + `producer.mjs`) makes spans for `durationS`
 * seconds, as fast as it can or paced; spans made vs spans the Collector accepted (its own counter),
 * and the SDK's own drop count (`otel.sdk.processor.span.processed{error.type="queue_full"}`).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sdkSpanCounts, spanCounters, type SdkSpanCounts } from './collector-stats.ts';
import { rssMb } from '@faultline/testkit';

/** Default `OTEL_BSP_*` settings faultline runs with (the SDK specification's, but a 1 s delay). */
export const DEFAULT_BSP = { OTEL_BSP_MAX_QUEUE_SIZE: '2048', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '512', OTEL_BSP_SCHEDULE_DELAY: '1000' };

/** One capacity run's settings. */
export interface CapacitySpec {
  label: string;
  /** Spans per second to make; 0 = as fast as possible. */
  rate: number;
  durationS: number;
  /** `OTEL_BSP_*` settings for the producer. */
  bsp: Record<string, string>;
}

/** One capacity run's figures (counts are spans; rates spans/s over the producer's own elapsed time). */
export interface CapacityResult extends CapacitySpec {
  made: number;
  madePerSec: number;
  /** Collector receiver delta (`M.collectorAcceptedSpans`). */
  accepted: number;
  acceptedPerSec: number;
  /** Collector receiver refusals in the run. */
  refused: number;
  /** made − accepted. */
  dropped: number;
  /** The SDK's own counts (`queueFull` = its drop count); undefined if not exported. */
  sdk: SdkSpanCounts | undefined;
  /** Producer's peak VmRSS seen (sampled every 500 ms), MB. */
  peakRssMb: number;
}

/** Where the producer sends and where its effect is read. */
export interface CapacityTarget {
  /** OTLP/HTTP base URL of the Collector. */
  otlpHttpUrl: string;
  /** The Collector's own metrics URL. */
  collectorMetrics: string;
  /** The Collector's `prometheus` exporter URL (SDK metrics). */
  prometheusUrl: string;
}

let runs = 0;

/** Runs one producer to its end (plus its exit flush) and counts. */
export async function capacity(spec: CapacitySpec, t: CapacityTarget): Promise<CapacityResult> {
  const service = `bench-producer-${++runs}`;
  const before = await spanCounters(t.collectorMetrics);
  const child = spawn(
    process.execPath,
    ['--import', '@faultline/instrumentation/register', fileURLToPath(new URL('producer.mjs', import.meta.url))],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: {
        ...process.env,
        ...spec.bsp,
        OTEL_EXPORTER_OTLP_ENDPOINT: t.otlpHttpUrl,
        OTEL_SERVICE_NAME: service,
        RATE: String(spec.rate),
        DURATION_MS: String(spec.durationS * 1000),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err = (err + d).slice(-2000)));
  let peakRssMb = 0;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, rssMb(child.pid!) || 0)), 500);
  const code = await new Promise((r) => child.on('exit', r));
  clearInterval(sampler);
  const line = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`producer exited ${code}: ${out}${err}`);
  const { made, ms } = JSON.parse(line) as { made: number; ms: number };
  // The exit flush sent the spans still queued and the final metrics; the Collector's metrics
  // pipeline (1 s batches) shows them a moment later: read until two reads 1 s apart agree.
  let sdk: SdkSpanCounts | undefined;
  for (let i = 0, prev = ''; i < 10; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    sdk = await sdkSpanCounts(t.prometheusUrl, service);
    if (sdk && JSON.stringify(sdk) === prev) break;
    prev = JSON.stringify(sdk);
  }
  const after = await spanCounters(t.collectorMetrics);
  const accepted = after.accepted - before.accepted;
  return {
    ...spec,
    made,
    madePerSec: made / (ms / 1000),
    accepted,
    acceptedPerSec: accepted / (ms / 1000),
    refused: after.refused - before.refused,
    dropped: made - accepted,
    sdk,
    peakRssMb,
  };
}
