/**
 * A span exporter that serializes and sends spans on a worker thread, so that the app's event
 * loop pays only for a structured-clone copy of each batch (about 1.4 µs per span) instead of
 * OTLP protobuf serialization (about 5.4 µs per span, i.e. ~3 ms of blocked event loop for a
 * batch of 512) and the HTTP request. The synchronous serialization is what makes the SDK's p99
 * spikes (opentelemetry-js PR 6228).
 *
 * Nothing is lost if the thread cannot start or dies: its unanswered batches and every later one
 * go to `fallback()` (OpenTelemetry's exporter on the app's thread), with one `[faultline]` warning.
 * The thread never keeps the process alive by itself: it is referenced only while an export is
 * in flight, as the exporter's own socket would be.
 */
import { Worker } from 'node:worker_threads';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { ExportReply, ExportWorkerData } from './export-worker.ts';
import { SpanEncoder } from './span-wire.ts';
import { warnOnce } from './warn.ts';

/** Options of {@link ThreadSpanExporter}. */
export interface ThreadExporterOptions {
  /** OTLP export timeout for the thread's exporter, ms (see `exportTimeoutMs` in `sdk.ts`). */
  readonly timeoutMillis: number;
  /** Makes the in-thread exporter used when the export thread is unavailable. Called at most once. */
  readonly fallback: () => SpanExporter;
  /** The thread's entry module. @default `export-worker.js` beside this module (`.ts` when run from source) */
  readonly workerUrl?: URL;
}

interface Pending {
  readonly spans: ReadableSpan[];
  readonly done: (result: ExportResult) => void;
}

/** The entry module beside this one, in the same form (`.js` built, `.ts` from source). */
function defaultWorkerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './export-worker.ts' : './export-worker.js', import.meta.url);
}

/** See the module comment. Implements the SDK's `SpanExporter`; never throws into the caller. */
export class ThreadSpanExporter implements SpanExporter {
  readonly #options: ThreadExporterOptions;
  readonly #pending = new Map<number, Pending>();
  readonly #idle: (() => void)[] = [];
  #encoder = new SpanEncoder();
  #worker: Worker | undefined;
  #fallback: SpanExporter | undefined;
  #nextId = 0;
  #closed = false;

  constructor(options: ThreadExporterOptions) {
    this.#options = options;
    try {
      const data: ExportWorkerData = { faultlineExportThread: true, timeoutMillis: options.timeoutMillis };
      const worker = new Worker(options.workerUrl ?? defaultWorkerUrl(), {
        // No inherited --import: the preload must not run (and start another SDK) in this thread.
        execArgv: [],
        workerData: data,
        name: 'faultline-export',
        // A small young generation: the thread's garbage is short-lived batches, collected often and cheaply.
        resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 96 },
      });
      worker.on('message', (m: ExportReply | { shutdown: true }) => {
        if (!('shutdown' in m)) this.#settle(m);
      });
      worker.on('error', (err) => this.#lose(err));
      worker.on('exit', (code) => this.#lose(new Error(`it exited with code ${code}`)));
      // After the listeners: adding a 'message' listener references the worker again.
      worker.unref();
      this.#worker = worker;
    } catch (err) {
      this.#lose(err as Error);
    }
  }

  /** True while spans go through the export thread (false after a fallback). */
  get threaded(): boolean {
    return this.#worker !== undefined;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const worker = this.#worker;
    if (worker === undefined) return this.#inThread().export(spans, done);
    const id = this.#nextId++;
    try {
      worker.postMessage({ id, batch: this.#encoder.encode(spans) });
    } catch {
      // A value the structured clone refuses: this batch goes the slow way, and the thread will be
      // sent every resource and scope again, since it may have missed some the encoder counted as sent.
      this.#encoder = new SpanEncoder();
      return this.#inThread().export(spans, done);
    }
    if (this.#pending.size === 0) worker.ref();
    this.#pending.set(id, { spans, done });
  }

  /** Resolves once every batch handed over so far has been answered. Never rejects. */
  forceFlush(): Promise<void> {
    const fallback = this.#fallback?.forceFlush?.().catch(() => undefined);
    if (this.#pending.size === 0) return fallback ?? Promise.resolve();
    return Promise.all([fallback, new Promise<void>((resolve) => this.#idle.push(resolve))]).then(() => undefined);
  }

  /** Flushes, then stops the thread and the fallback exporter. Never rejects. */
  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    await Promise.all([worker?.terminate().catch(() => undefined), this.#fallback?.shutdown().catch(() => undefined)]);
  }

  #settle(reply: ExportReply): void {
    const p = this.#pending.get(reply.id);
    if (p === undefined) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) {
      this.#worker?.unref();
      for (const resolve of this.#idle.splice(0)) resolve();
    }
    if (reply.ok) return p.done({ code: ExportResultCode.SUCCESS });
    const error = Object.assign(new Error(reply.error?.message ?? 'export failed'), { name: reply.error?.name ?? 'Error', code: reply.error?.code });
    p.done({ code: ExportResultCode.FAILED, error });
  }

  /** The thread is gone (or never started): everything it had not answered is exported here. */
  #lose(err: Error): void {
    if (this.#closed) return;
    const wasRunning = this.#worker !== undefined;
    this.#worker?.removeAllListeners('exit'); // after an 'error' comes an 'exit': one report is enough
    this.#worker = undefined;
    warnOnce(
      'export-thread',
      `the span export thread ${wasRunning ? 'stopped' : 'could not start'} (${err?.message ?? err}); spans are exported from the app's thread from now on.`,
    );
    const unanswered = [...this.#pending.values()];
    this.#pending.clear();
    for (const resolve of this.#idle.splice(0)) resolve();
    for (const p of unanswered) this.#inThread().export(p.spans, p.done);
  }

  #inThread(): SpanExporter {
    return (this.#fallback ??= this.#options.fallback());
  }
}
