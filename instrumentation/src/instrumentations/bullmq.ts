/**
 * Background jobs: turns on BullMQ's own OpenTelemetry support (`bullmq-otel`,
 * https://docs.bullmq.io/guide/telemetry) for every `Queue`, `Worker` and `FlowProducer` the
 * app creates, with no code change. BullMQ then injects the producer's context (trace and
 * W3C Baggage, hence the client ID) into `job.opts.telemetry.metadata`, and the worker's
 * span continues that trace. An app that passes its own `telemetry` option keeps it.
 */
import { createRequire } from 'node:module';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { replaceExports } from './module-exports.ts';
import { VERSION } from '../version.ts';
import { warnOnce } from '../warn.ts';

const require = createRequire(import.meta.url);
const PATCHED = Symbol.for('faultline.bullmq.patched');

/** BullMQ versions whose `telemetry` option faultline fills in. */
export const SUPPORTED_BULLMQ = ['>=5.23.0 <7'];

type AnyClass = (new (...args: any[]) => object) & { [PATCHED]?: true };

/** Where the options object sits in each class's constructor arguments. */
const OPTIONS_INDEX: Readonly<Record<string, number>> = { Queue: 1, Worker: 2, FlowProducer: 0 };

/** Instrumentation that adds `telemetry: new BullMQOtel(...)` to BullMQ constructors. */
export class BullMqTelemetry extends InstrumentationBase {
  #telemetry: unknown;

  constructor() {
    super('@faultline/bullmq', VERSION, {});
  }

  protected override init() {
    return [
      new InstrumentationNodeModuleDefinition(
        'bullmq',
        SUPPORTED_BULLMQ,
        (exports: unknown) => this.#patch(exports),
        (exports: unknown) => exports,
      ),
    ];
  }

  #otel(): unknown {
    if (this.#telemetry === undefined) {
      const { BullMQOtel } = require('bullmq-otel') as { BullMQOtel: new (o: object) => unknown };
      this.#telemetry = new BullMQOtel({ tracerName: 'bullmq', meterName: 'bullmq', version: VERSION, enableMetrics: true });
    }
    return this.#telemetry;
  }

  #patch(exports: unknown): unknown {
    if (exports === null || typeof exports !== 'object') return exports;
    try {
      const mod = exports as Record<string, unknown>;
      const replacements: Record<string, unknown> = {};
      for (const [name, index] of Object.entries(OPTIONS_INDEX)) {
        const Original = mod[name] as AnyClass | undefined;
        if (typeof Original !== 'function' || Original[PATCHED]) continue;
        replacements[name] = this.#subclass(Original, index);
      }
      return Object.keys(replacements).length ? replaceExports(exports, replacements) : exports;
    } catch (err) {
      warnOnce('bullmq:patch', `could not turn on BullMQ telemetry (${(err as Error)?.message}); jobs will not be traced.`);
      return exports;
    }
  }

  #subclass(Original: AnyClass, optionsIndex: number): AnyClass {
    const self = this;
    const Traced = class extends Original {
      constructor(...args: any[]) {
        super(...withTelemetry(args, optionsIndex, () => self.#otel()));
      }
    } as AnyClass;
    Object.defineProperty(Traced, 'name', { value: Original.name });
    Traced[PATCHED] = true;
    return Traced;
  }
}

/**
 * Returns constructor arguments whose options object (at `index`) has a `telemetry` value:
 * the app's own when it set one, else `make()`. Never mutates the caller's objects.
 */
export function withTelemetry(args: unknown[], index: number, make: () => unknown): unknown[] {
  const opts = args[index];
  if (opts !== undefined && (opts === null || typeof opts !== 'object')) return args;
  if (opts && (opts as { telemetry?: unknown }).telemetry !== undefined) return args;
  let telemetry: unknown;
  try {
    telemetry = make();
  } catch (err) {
    warnOnce('bullmq:otel', `bullmq-otel could not be loaded (${(err as Error)?.message}); jobs will not be traced.`);
    return args;
  }
  const out = args.slice();
  while (out.length < index) out.push(undefined);
  out[index] = { ...(opts as object | undefined), telemetry };
  return out;
}
