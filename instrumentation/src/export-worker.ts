/**
 * The export thread's entry: receives span batches in the compact form of `span-wire.ts`,
 * serializes them to OTLP protobuf and sends them with OpenTelemetry's own OTLP/HTTP exporter,
 * which reads the standard `OTEL_EXPORTER_OTLP_*` variables from this thread's copy of the
 * environment. Started only by `thread-exporter.ts`, with no `--import` (no SDK in this thread).
 *
 * Messages in: `{ id, batch }` (export) or `{ shutdown: true }`.
 * Messages out: `{ id, ok, error? }` per export; `{ shutdown: true }` once the exporter has shut down.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { SpanDecoder, type WireBatch } from './span-wire.ts';

/** What the app's thread passes in `workerData`. */
export interface ExportWorkerData {
  /** Marks this thread for the preload, which must not start an SDK here. */
  readonly faultlineExportThread: true;
  /** OTLP export timeout, ms. */
  readonly timeoutMillis: number;
}

/** An export's outcome as it crosses back (Error objects lose their own fields in a structured clone). */
export interface ExportReply {
  readonly id: number;
  readonly ok: boolean;
  readonly error?: { readonly name: string; readonly message: string; readonly code?: number | string };
}

const port = parentPort;
if (port !== null) {
  const { timeoutMillis } = workerData as ExportWorkerData;
  const exporter = new OTLPTraceExporter({ timeoutMillis });
  const decoder = new SpanDecoder();
  port.on('message', (msg: { id: number; batch: WireBatch } | { shutdown: true }) => {
    if ('shutdown' in msg) {
      void exporter.shutdown().finally(() => port.postMessage({ shutdown: true }));
      return;
    }
    const reply = (r: ExportReply) => port.postMessage(r);
    try {
      exporter.export(decoder.decode(msg.batch), (result) => {
        if (result.code === ExportResultCode.SUCCESS) return reply({ id: msg.id, ok: true });
        const e = result.error as (Error & { code?: number | string }) | undefined;
        reply({ id: msg.id, ok: false, error: { name: e?.name ?? 'Error', message: e?.message ?? 'export failed', code: e?.code } });
      });
    } catch (err) {
      reply({ id: msg.id, ok: false, error: { name: 'Error', message: (err as Error)?.message ?? String(err) } });
    }
  });
}
